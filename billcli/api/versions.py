"""API versions: the 2023-08-16 objects `--json` prints, changed at the edge for newer.

As in Stripe's own API, a response is built in one shape and walked through a chain of
small version changes, each applied when the request's version is at or after it. The
changes are the differences between the extract's 2023 schemas and its current fixtures
(`x-field-diff-vs-current`); where the extract does not date a difference, billcli
places it with the version that brought the invoice restructuring (2025-03-31.basil).
A version billcli does not know is answered as the nearest older one it does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from billcli.api import payment_versions, tax_versions

BASE = "2023-08-16"
CURRENT = "2026-10-28.endive"
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


def _customer(obj: Obj, _: Obj) -> None:
    _drop(
        obj, "cash_balance", "invoice_credit_balance", "sources", "subscriptions", "tax", "tax_ids"
    )


def _balance_transaction(obj: Obj, _: Obj) -> None:
    obj.setdefault("checkout_session", None)
    obj.setdefault("customer_account", None)


def _invoice(obj: Obj, context: Obj) -> None:
    payment_versions.invoice_payments(obj, context)
    subscription = obj.get("subscription")
    details = obj.get("subscription_details") or {}
    obj["amount_overpaid"] = 0
    obj["customer_account"] = None
    obj["issuer"] = {"type": "self"}
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
    obj.setdefault("rendering", None)
    obj["total_pretax_credit_amounts"] = []
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
        "rendering_options",
        "subscription_details",
        "subscription_proration_date",
        "tax",
        "threshold_reason",
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


def _invoice_item(obj: Obj, _: Obj) -> None:
    obj["customer_account"] = None
    obj["net_amount"] = obj.get("amount")
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
    obj["quantity_decimal"] = None
    _drop(obj, "price", "subscription", "subscription_item", "unit_amount", "unit_amount_decimal")


def _line_item(obj: Obj, context: Obj) -> None:
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
    obj["invoice"] = context.get("invoice")
    obj["parent"] = parent
    obj["pretax_credit_amounts"] = []
    obj["pricing"] = _pricing(obj)
    obj["quantity_decimal"] = None
    obj["subtotal"] = obj.get("amount")
    obj["taxes"] = tax_versions.taxes(obj.get("tax_amounts"))
    _drop(
        obj,
        "amount_excluding_tax",
        "invoice_item",
        "price",
        "proration",
        "proration_details",
        "subscription_item",
        "tax_amounts",
        "tax_rates",
        "type",
        "unit_amount_excluding_tax",
        "plan",
    )


def _subscription(obj: Obj, _: Obj) -> None:
    discount = obj.get("discount")
    obj["billing_cycle_anchor_config"] = None
    obj["billing_mode"] = {"type": "classic"}
    obj["billing_schedules"] = []
    obj["customer_account"] = None
    obj["discounts"] = [] if not discount else [discount["id"]]
    obj["invoice_settings"] = {"account_tax_ids": None, "issuer": {"type": "self"}}
    obj["managed_payments"] = None
    _drop(obj, "current_period_end", "current_period_start", "discount")


def _subscription_item(obj: Obj, context: Obj) -> None:
    period = context.get("period") or {}
    obj.setdefault("current_period_start", period.get("start"))
    obj.setdefault("current_period_end", period.get("end"))
    obj.setdefault("discounts", [])


def _price(obj: Obj, _: Obj) -> None:
    _drop(obj, "currency_options", "tiers")
    recurring = obj.get("recurring")
    if recurring:  # basil: usage aggregates on the meter
        recurring.pop("aggregate_usage", None)
        recurring.setdefault("meter", None)
        recurring.setdefault("trial_period_days", None)


def _plan(obj: Obj, _: Obj) -> None:
    obj.setdefault("meter", None)
    _drop(obj, "aggregate_usage", "tiers")


def _product(obj: Obj, _: Obj) -> None:
    obj["marketing_features"] = obj.pop("features", [])
    obj["type"] = "service"


def _coupon(obj: Obj, _: Obj) -> None:
    _drop(obj, "applies_to", "currency_options")


def _discount(obj: Obj, _: Obj) -> None:
    obj["customer_account"] = None
    obj["source"] = {"coupon": obj.get("coupon"), "type": "coupon"}
    obj["subscription_item"] = None
    _drop(obj, "coupon")


def _credit_note(obj: Obj, _: Obj) -> None:
    post = obj.get("type") == "post_payment"
    obj["customer_account"] = None
    obj["post_payment_amount"] = obj.get("total", 0) if post else 0
    obj["pre_payment_amount"] = 0 if post else obj.get("total", 0)
    obj["pretax_credit_amounts"] = []
    obj["refunds"] = (
        [] if not obj.get("refund") else [{"amount_refunded": None, "refund": obj["refund"]}]
    )
    obj["total_taxes"] = tax_versions.taxes(obj.get("tax_amounts"))
    _drop(obj, "refund", "tax_amounts")


def _credit_note_line(obj: Obj, _: Obj) -> None:
    obj["metadata"] = {}
    obj["pretax_credit_amounts"] = []
    obj["taxes"] = tax_versions.taxes(obj.get("tax_amounts"))
    _drop(obj, "amount_excluding_tax", "tax_amounts", "unit_amount_excluding_tax")


def _configuration(obj: Obj, _: Obj) -> None:
    obj.setdefault("name", None)


def _session(obj: Obj, _: Obj) -> None:
    obj.setdefault("customer_account", None)


def _event(obj: Obj, _: Obj) -> None:
    _drop(obj, "account")


def _customer_names(obj: Obj, _: Obj) -> None:
    for name in ("business_name", "individual_name"):
        obj.setdefault(name, None)


BASIL = "2025-03-31.basil"
CHANGES = [
    Change(BASIL, "customer", "includable lists and tax left out unless expanded", _customer),
    Change(
        BASIL,
        "customer_balance_transaction",
        "checkout sessions and accounts",
        _balance_transaction,
    ),
    Change(BASIL, "invoice", "parent and issuer; payment fields move off the invoice", _invoice),
    Change(
        BASIL, "invoiceitem", "pricing and parent replace price and subscription", _invoice_item
    ),
    Change(BASIL, "line_item", "pricing and parent replace price, type and proration", _line_item),
    Change(BASIL, "subscription_item", "periods move to items", _subscription_item),
    Change(BASIL, "subscription", "periods move to items; discounts become a list", _subscription),
    Change(BASIL, "price", "tiers and currency options only when expanded", _price),
    Change(BASIL, "plan", "meters; usage aggregation goes", _plan),
    Change(BASIL, "product", "marketing features and a type", _product),
    Change(BASIL, "coupon", "applies_to and currency options only when expanded", _coupon),
    Change(BASIL, "discount", "a source names the coupon", _discount),
    Change(
        BASIL, "credit_note", "refunds become a list; pre and post payment amounts", _credit_note
    ),
    Change(BASIL, "credit_note_line_item", "metadata and taxes", _credit_note_line),
    Change(BASIL, "billing_portal.configuration", "configurations have a name", _configuration),
    Change(BASIL, "billing_portal.session", "customer accounts", _session),
    Change(BASIL, "event", "no account field", _event),
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
    Change(BASIL, "refund", "destination details", payment_versions.refund),
    Change(BASIL, "payment_method", "allow_redisplay", payment_versions.payment_method),
    Change(CURRENT, "customer", "business and individual names", _customer_names),
    Change(BASIL, "tax_rate", "Stripe Tax's fields, null for a manual rate", tax_versions.tax_rate),
]
KNOWN = sorted({BASE, CURRENT, *(change.version for change in CHANGES)})
# Event types newer than the version an event list is read in: left out of it, their
# objects being unknown there (InvoicePayments came with 2025-05-28.basil's partial
# payments; billcli places them with 2025-03-31.basil, as the invoice's `payments`).
EVENT_TYPES_SINCE = {"invoice_payment.paid": BASIL}


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
    return _walk(value, changes, context or {})


def event_in(event: Obj, requested: str) -> Obj:
    """An event as an endpoint that keeps API version `requested` receives it: its
    object walked to that version (the nearest older one billcli knows), and said so."""
    version = resolve(requested)
    shown: Obj = render(event, version)
    shown["api_version"] = version
    return shown


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
    return copied
