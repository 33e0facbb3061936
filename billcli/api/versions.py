"""API versions: the 2023-08-16 objects `--json` prints, changed at the edge for newer.

As in Stripe's own API, a response is built in one shape and walked through a chain of
small version changes, each applied when the request's version is at or after it. Each
change sits at the version Stripe's changelog (and its libraries, release by release)
gives it: a field renamed or removed where it was (`features` became
`marketing_features` at 2024-04-10, the invoice lost `subscription` at 2025-03-31.basil,
a discount's `coupon` became `source.coupon` at 2025-09-30.clover), a field added where
it first appeared. Fields Stripe shows only when expanded are no version change at all
(`api/includes.py`). Every version Stripe has published is known; a version billcli does
not know is answered as the nearest older one. An event says in `api_version` which
version its `data.object` is shown in.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from billcli.api import payment_versions, tax_versions
from billcli.core.objects import changed_attributes

BASE = "2023-08-16"
V2024_04 = "2024-04-10"
V2024_06 = "2024-06-20"
ACACIA = "2024-09-30.acacia"
BASIL = "2025-03-31.basil"
BASIL_05 = "2025-05-28.basil"
BASIL_06 = "2025-06-30.basil"
BASIL_08 = "2025-08-27.basil"
CLOVER = "2025-09-30.clover"
CLOVER_12 = "2025-12-15.clover"
DAHLIA = "2026-03-25.dahlia"
DAHLIA_04 = "2026-04-22.dahlia"
DAHLIA_05 = "2026-05-27.dahlia"
CURRENT = "2026-10-28.endive"
# Every version Stripe has published since the extract's (its libraries' enum).
VERSIONS = (
    "2023-08-16 2023-10-16 2024-04-10 2024-06-20 2024-09-30.acacia 2024-10-28.acacia "
    "2024-11-20.acacia 2024-12-18.acacia 2025-01-27.acacia 2025-02-24.acacia "
    "2025-03-01.dashboard 2025-03-31.basil 2025-04-30.basil 2025-05-28.basil "
    "2025-06-30.basil 2025-07-30.basil 2025-08-27.basil 2025-09-30.clover "
    "2025-10-29.clover 2025-11-17.clover 2025-12-15.clover 2026-01-28.clover "
    "2026-02-25.clover 2026-03-25.dahlia 2026-04-22.dahlia 2026-05-27.dahlia "
    "2026-06-24.dahlia 2026-07-29.dahlia 2026-08-26.dahlia 2026-09-30.endive "
    "2026-10-28.endive"
).split()
Obj = dict[str, Any]
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Change:
    version: str
    kind: str
    describes: str
    apply: Callable[[Obj, Obj], None]  # (object, context) -> None, in place


def _drop(obj: Obj, *names: str) -> None:
    for name in names:
        obj.pop(name, None)


def _set(**fields: Any) -> Callable[[Obj, Obj], None]:
    """A change that adds fields with these values (copied, so no two objects share)."""

    def apply(obj: Obj, _: Obj) -> None:
        for name, value in fields.items():
            obj[name] = copy.deepcopy(value)

    return apply


def _gone(*names: str) -> Callable[[Obj, Obj], None]:
    return lambda obj, _: _drop(obj, *names)


def _product_features(obj: Obj, _: Obj) -> None:
    obj["marketing_features"] = obj.pop("features", [])


def _invoice_2024(obj: Obj, _: Obj) -> None:
    obj["issuer"] = {"type": "self"}
    obj.setdefault("rendering", None)  # what an invoice was given, if anything
    _drop(obj, "rendering_options")


def _invoice_basil(obj: Obj, context: Obj) -> None:
    payment_versions.invoice_payments(obj, context)
    subscription = obj.get("subscription")
    details = obj.get("subscription_details") or {}
    obj["amount_overpaid"] = 0
    obj["parent"] = (
        None
        if subscription is None
        else {
            "quote_details": None,
            "subscription_details": {
                "metadata": details.get("metadata") or {},
                "subscription": subscription,
            },
            "type": "subscription_details",
        }
    )
    obj["total_taxes"] = tax_versions.taxes(obj.get("total_tax_amounts"))
    _drop(
        obj,
        "application_fee_amount",
        "charge",
        "discount",
        "paid",
        "paid_out_of_band",
        "payment_intent",
        "quote",
        "subscription",
        "subscription_details",
        "subscription_proration_date",
        "tax",
        "total_tax_amounts",
        "transfer_data",
    )


def _pricing(obj: Obj) -> Obj:
    price = obj.get("price")
    if not price:
        return {"price_details": None, "type": None, "unit_amount_decimal": None}
    unit = price.get("unit_amount_decimal") if isinstance(price, dict) else None
    return {
        "price_details": {
            "price": price["id"] if isinstance(price, dict) else price,
            "product": price.get("product") if isinstance(price, dict) else None,
        },
        "type": "price_details",
        "unit_amount_decimal": unit,
    }


def _invoice_item_basil(obj: Obj, _: Obj) -> None:
    obj["parent"] = (
        None
        if obj.get("subscription") is None
        else {
            "subscription_details": {
                "subscription": obj.get("subscription"),
                "subscription_item": obj.get("subscription_item"),
            },
            "type": "subscription_details",
        }
    )
    obj["pricing"] = _pricing(obj)
    _drop(
        obj, "plan", "price", "subscription", "subscription_item", "unit_amount",
        "unit_amount_decimal",
    )  # fmt: skip


def _invoice_item_clover(obj: Obj, _: Obj) -> None:
    obj["net_amount"] = obj.get("amount")


def _line_item_invoice(obj: Obj, context: Obj) -> None:
    obj["invoice"] = context.get("invoice")


def _line_item_basil(obj: Obj, _: Obj) -> None:
    proration = {"credited_items": None} if obj.get("proration") else None
    if obj.get("type") == "subscription":
        parent = {
            "subscription_item_details": {
                "invoice_item": None,
                "proration": obj.get("proration", False),
                "proration_details": proration,
                "subscription": obj.get("subscription"),
                "subscription_item": obj.get("subscription_item"),
            },
            "type": "subscription_item_details",
        }
    else:
        parent = {
            "invoice_item_details": {
                "invoice_item": obj.get("invoice_item"),
                "proration": obj.get("proration", False),
                "proration_details": proration,
                "subscription": obj.get("subscription"),
            },
            "type": "invoice_item_details",
        }
    obj["parent"] = parent
    obj["pricing"] = _pricing(obj)
    obj["taxes"] = tax_versions.taxes(obj.get("tax_amounts"))
    _drop(
        obj, "amount_excluding_tax", "invoice_item", "plan", "price", "proration",
        "proration_details", "subscription_item", "tax_amounts", "tax_rates", "type",
        "unit_amount_excluding_tax",
    )  # fmt: skip


def _line_item_subtotal(obj: Obj, _: Obj) -> None:
    obj["subtotal"] = obj.get("amount")


def _subscription_2024(obj: Obj, _: Obj) -> None:
    discount = obj.get("discount")
    obj["billing_cycle_anchor_config"] = None
    obj["discounts"] = [] if not discount else [discount["id"]]


def _subscription_item_periods(obj: Obj, context: Obj) -> None:
    period = context.get("period") or {}
    obj.setdefault("current_period_start", period.get("start"))
    obj.setdefault("current_period_end", period.get("end"))


def _recurring_meter(obj: Obj, _: Obj) -> None:
    """A recurring price's meter: null unless the price is metered (its meter is kept)."""
    if isinstance(obj.get("recurring"), dict):
        obj["recurring"] = {"meter": None, **obj["recurring"]}


def _plan_meter(obj: Obj, _: Obj) -> None:
    obj.setdefault("meter", None)


def _recurring_usage(obj: Obj, _: Obj) -> None:
    """Usage aggregates on the meter; every recurring price shows its trial days."""
    if isinstance(obj.get("recurring"), dict):
        recurring = {k: v for k, v in obj["recurring"].items() if k != "aggregate_usage"}
        obj["recurring"] = {"trial_period_days": None, **recurring}


def _portal_pause(obj: Obj, _: Obj) -> None:
    features = obj.get("features")
    if isinstance(features, dict):
        obj["features"] = {k: v for k, v in features.items() if k != "subscription_pause"}


def _coupon_id(coupon: Any) -> Any:
    return coupon.get("id") if isinstance(coupon, dict) else coupon


def _discount_clover(obj: Obj, _: Obj) -> None:
    obj["source"] = {"coupon": _coupon_id(obj.pop("coupon", None)), "type": "coupon"}


def _promotion_code_clover(obj: Obj, _: Obj) -> None:
    obj["promotion"] = {"coupon": _coupon_id(obj.pop("coupon", None)), "type": "coupon"}


def _credit_note_basil(obj: Obj, _: Obj) -> None:
    obj["refunds"] = (
        [] if not obj.get("refund") else [{"amount_refunded": None, "refund": obj["refund"]}]
    )
    obj["total_taxes"] = tax_versions.taxes(obj.get("tax_amounts"))
    _drop(obj, "refund", "tax_amounts")


def _credit_note_amounts(obj: Obj, _: Obj) -> None:
    post = obj.get("type") == "post_payment"
    obj["post_payment_amount"] = obj.get("total", 0) if post else 0
    obj["pre_payment_amount"] = 0 if post else obj.get("total", 0)


def _credit_note_line_basil(obj: Obj, _: Obj) -> None:
    obj["taxes"] = tax_versions.taxes(obj.get("tax_amounts"))
    _drop(obj, "amount_excluding_tax", "tax_amounts", "unit_amount_excluding_tax")


def _customer_names(obj: Obj, _: Obj) -> None:
    for name in ("business_name", "individual_name"):
        obj.setdefault(name, None)


ACCOUNTS = (
    "customer",
    "customer_balance_transaction",
    "invoice",
    "invoiceitem",
    "credit_note",
    "discount",
    "promotion_code",
    "subscription",
    "billing_portal.session",
)
CHANGES = [
    Change(V2024_04, "product", "features become marketing_features", _product_features),
    Change(V2024_04, "invoice", "an issuer; rendering replaces rendering_options", _invoice_2024),
    Change(V2024_04, "line_item", "the invoice it is on", _line_item_invoice),
    Change(V2024_04, "subscription", "discounts as a list; anchor config", _subscription_2024),
    Change(V2024_04, "subscription_item", "discounts", _set(discounts=[])),
    Change(V2024_04, "plan", "meters", _plan_meter),
    Change(V2024_04, "price", "meters on recurring prices", _recurring_meter),
    Change(V2024_04, "discount", "a subscription item", _set(subscription_item=None)),
    Change(V2024_04, "billing_portal.configuration", "no subscription_pause", _portal_pause),
    Change(V2024_04, "refund", "destination details", payment_versions.refund),
    Change(
        V2024_06,
        "subscription",
        "invoice settings",
        _set(invoice_settings={"account_tax_ids": None, "issuer": {"type": "self"}}),
    ),
    Change(V2024_06, "payment_method", "allow_redisplay", payment_versions.payment_method),
    Change(ACACIA, "invoice", "pretax credits", _set(total_pretax_credit_amounts=[])),
    Change(ACACIA, "line_item", "pretax credits", _set(pretax_credit_amounts=[])),
    Change(ACACIA, "credit_note", "pretax credits", _set(pretax_credit_amounts=[])),
    Change(ACACIA, "credit_note_line_item", "pretax credits", _set(pretax_credit_amounts=[])),
    Change(ACACIA, "test_helpers.test_clock", "status details", _set(status_details={})),
    Change(BASIL, "invoice", "parent; payment and subscription fields move off", _invoice_basil),
    Change(
        BASIL,
        "invoiceitem",
        "pricing and parent replace price and subscription",
        _invoice_item_basil,
    ),
    Change(
        BASIL, "line_item", "pricing and parent replace price, type, proration", _line_item_basil
    ),
    Change(
        BASIL,
        "subscription",
        "periods move to items; no discount, no billing thresholds",
        _gone("current_period_end", "current_period_start", "discount", "billing_thresholds"),
    ),
    Change(BASIL, "subscription_item", "periods move to items", _subscription_item_periods),
    Change(BASIL, "plan", "usage aggregation goes", _gone("aggregate_usage")),
    Change(BASIL, "price", "usage aggregation goes", _recurring_usage),
    Change(BASIL, "credit_note", "refunds become a list; total taxes", _credit_note_basil),
    Change(BASIL, "credit_note_line_item", "taxes", _credit_note_line_basil),
    Change(BASIL, "customer_balance_transaction", "checkout sessions", _set(checkout_session=None)),
    Change(
        BASIL,
        "payment_intent",
        "no invoice; excluded types and configurations",
        payment_versions.payment_intent,
    ),
    Change(
        BASIL, "setup_intent", "excluded types and configurations", payment_versions.setup_intent
    ),
    Change(BASIL, "charge", "no invoice; a source", payment_versions.charge),
    Change(BASIL, "tax_rate", "Stripe Tax's fields, null for a manual rate", tax_versions.tax_rate),
    Change(BASIL_05, "subscription", "billing thresholds again", _set(billing_thresholds=None)),
    Change(BASIL_05, "credit_note", "pre and post payment amounts", _credit_note_amounts),
    Change(BASIL_06, "subscription", "a billing mode", _set(billing_mode={"type": "classic"})),
    Change(BASIL_08, "billing_portal.configuration", "a name", _set(name=None)),
    Change(CLOVER, "discount", "a source names the coupon (its id)", _discount_clover),
    Change(CLOVER, "customer", "business and individual names", _customer_names),
    Change(CLOVER, "promotion_code", "a promotion names the coupon", _promotion_code_clover),
    Change(CLOVER, "invoiceitem", "net amounts", _invoice_item_clover),
    *(
        Change(CLOVER_12, kind, "customer accounts", _set(customer_account=None))
        for kind in ACCOUNTS
    ),
    Change(CLOVER_12, "line_item", "subtotals", _line_item_subtotal),
    Change(DAHLIA, "credit_note_line_item", "metadata", _set(metadata={})),
    Change(DAHLIA, "invoiceitem", "decimal quantities", _set(quantity_decimal=None)),
    Change(DAHLIA, "line_item", "decimal quantities", _set(quantity_decimal=None)),
    Change(DAHLIA_04, "subscription", "managed payments", _set(managed_payments=None)),
    Change(DAHLIA_05, "subscription", "billing schedules", _set(billing_schedules=[])),
]
KNOWN = VERSIONS
# Event types newer than the version an event list is read in: left out of it, their
# objects being unknown there (InvoicePayments' event came with 2025-05-28.basil's
# partial payments).
EVENT_TYPES_SINCE = {"invoice_payment.paid": BASIL_05}


def newer_event_types(version: str) -> tuple[str, ...]:
    return tuple(kind for kind, since in EVENT_TYPES_SINCE.items() if version < since)


def resolve(requested: str | None) -> str:
    """The version a request is answered in: the one asked for if billcli knows it,
    else the nearest older one (the base version when none is older, or none asked)."""
    if not requested:
        return BASE
    found = _DATE.match(requested)
    if not found:
        return BASE
    date = found.group(1)
    older = [v for v in KNOWN if v[:10] <= date]
    exact = [v for v in KNOWN if v == requested]
    return exact[0] if exact else (older[-1] if older else BASE)


def render(value: Any, version: str, context: Obj | None = None) -> Any:
    """The response as the version asked for sees it (a copy; `value` is untouched)."""
    if version == BASE:
        return value
    changes = [c for c in CHANGES if c.version <= version]
    return _walk(value, changes, {**(context or {}), "version": version})


def event_in(event: Obj, requested: str) -> Obj:
    """An event as an endpoint that keeps API version `requested` receives it: its
    object walked to that version (the nearest older one billcli knows), which it names,
    without the fields Stripe shows only when expanded (a customer's `sources`), as the
    API shows it."""
    # startup: includes loads the services that fill expanded fields; this needs `without`
    from billcli.api.includes import without

    shown: Obj = render(without(event), resolve(requested))
    return shown


def _previous_in_version(event: Obj, shown: Obj, changes: list[Change], context: Obj) -> None:
    """An `.updated` event's `previous_attributes` in the version its object is shown in:
    what differs between the object before (the recorded object with its recorded old
    values) and after, both walked to that version. A field the version moved (a
    subscription's period, on its items since 2025-03-31.basil) is named where that
    version has it, as Stripe computes them in the event's own version."""
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("previous_attributes"), dict):
        return
    before = _walk({**data["object"], **data["previous_attributes"]}, changes, context)
    shown["data"]["previous_attributes"] = changed_attributes(before, shown["data"]["object"])


def _walk(value: Any, changes: list[Change], context: Obj) -> Any:
    if isinstance(value, list):
        return [_walk(item, changes, context) for item in value]
    if not isinstance(value, dict):
        return value
    kind = value.get("object")
    inner = dict(context)
    if kind == "invoice" and "id" in value:
        inner["invoice"] = value["id"]
    if kind == "subscription":
        inner["period"] = {
            "start": value.get("current_period_start"),
            "end": value.get("current_period_end"),
        }
    url = value.get("url")
    if kind == "list" and isinstance(url, str) and url.startswith("/v1/invoices/in_"):
        inner["invoice"] = url.split("/")[3]
    copied = {key: _walk(item, changes, inner) for key, item in value.items()}
    for change in changes:
        if change.kind == kind:
            change.apply(copied, inner)
    if kind == "event":  # its data.object is shown in this version: it says so
        copied["api_version"] = context["version"]
        _previous_in_version(value, copied, changes, inner)
    return copied
