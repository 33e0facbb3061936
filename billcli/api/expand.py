"""`expand[]` as Stripe reads it: by field, to four levels, with includable fields.

A path is a dotted list of fields (`customer`, `data.customer`, `lines.data.price.product`)
walked through the answer as the request's API version shows it (a subscription's
`discounts` from 2024-04-10, a discount's `source.coupon` from clover); every object
put in is shown in that version too. Each object says by its type which of its fields name another
object (`price.product` names a product, whatever its id looks like, so a product made
with `--id pro` expands) and which are includable: present only when asked for
(`price.tiers`, `customer.sources`). A list of ids (`discounts`) expands item by item. A
path deeper than four levels, or ending on a field that cannot be expanded, is refused
as Stripe refuses it; a field that is null stays null.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.api import includes, versions
from billcli.errors import InvalidRequest
from billcli.services.catalog import plans, prices, products
from billcli.services.clock import clocks
from billcli.services.customers import balance, customers
from billcli.services.discounts import applicable, coupons, promotion_codes
from billcli.services.invoicing import credit_notes, invoices
from billcli.services.invoicing import items as invoice_items
from billcli.services.payments import (
    charges,
    methods,
    payment_intents,
    refunds,
    setup_intents,
    sources,
)
from billcli.services.portal import configurations
from billcli.services.schedules import schedules
from billcli.services.subscriptions import creation as subscriptions
from billcli.services.taxes import rates
from billcli.store.ledger import Ledger

MAX_EXPANSIONS = 20
MAX_DEPTH = 4  # Stripe's: `data.source.customer.default_source` is the deepest on a list
Obj = dict[str, Any]
Resolver = Callable[[Ledger, str, Obj], Obj]
Shaped = Callable[[Any], Any]  # an object as the request's version shows it

RESOLVERS: dict[str, Resolver] = {
    "customer": lambda ledger, id_, _: customers.show(ledger, id_),
    "invoice": lambda ledger, id_, _: invoices.show(ledger, id_),
    "invoiceitem": lambda ledger, id_, _: invoice_items.show(ledger, id_),
    "subscription": lambda ledger, id_, _: subscriptions.show(ledger, id_),
    "price": lambda ledger, id_, _: prices.show(ledger, id_),
    "plan": lambda ledger, id_, _: plans.show(ledger, id_),
    "product": lambda ledger, id_, _: products.show(ledger, id_),
    "coupon": lambda ledger, id_, _: coupons.show(ledger, id_),
    "discount": lambda ledger, id_, _: applicable.show(ledger, id_),
    "promotion_code": lambda ledger, id_, _: promotion_codes.show(ledger, id_),
    "credit_note": lambda ledger, id_, _: credit_notes.show(ledger, id_),
    "payment_method": lambda ledger, id_, _: methods.show(ledger, id_),
    "source": lambda ledger, id_, _: sources.show_card(ledger, id_),
    "payment_intent": lambda ledger, id_, _: payment_intents.show(ledger, id_),
    "charge": lambda ledger, id_, _: charges.show(ledger, id_),
    "refund": lambda ledger, id_, _: refunds.show(ledger, id_),
    "setup_intent": lambda ledger, id_, _: setup_intents.show(ledger, id_),
    "configuration": lambda ledger, id_, _: configurations.show(ledger, id_),
    "tax_rate": lambda ledger, id_, _: rates.show(ledger, id_),
    "test_clock": lambda ledger, id_, _: clocks.show(ledger, id_),
    "subscription_schedule": lambda ledger, id_, _: schedules.show(ledger, id_),
    "customer_balance_transaction": lambda ledger, id_, owner: balance.show(
        ledger, str(owner.get("customer")), id_
    ),
}
# Per object type, its expandable fields (Stripe's `x-expandableFields`): the kind of
# object a field names, or None for an object shown in place (expanding it is a no-op).
# Fields naming objects billcli never has (applications, accounts, quotes, schedules) are
# always null and expand as null; tax rates and test clocks expand as themselves.
_NOTHING = ("application", "on_behalf_of")
_RATES = {"tax_rates": "tax_rate"}
EXPANDABLE: dict[str, dict[str, str | None]] = {
    "customer": {"default_source": "source", "discount": None, "invoice_settings": None,
                 "address": None, "shipping": None, "test_clock": "test_clock"},
    "invoice": {"charge": "charge", "customer": "customer", "default_payment_method":
                "payment_method", "default_source": "source", "discount": None,
                "discounts": "discount", "latest_revision": "invoice", "lines": None,
                "payment_intent": "payment_intent", "subscription": "subscription",
                "account_tax_ids": None, "quote": None, "custom_fields": None,
                "status_transitions": None, "subscription_details": None, "parent": None,
                "payments": None, "confirmation_secret": None, "from_invoice": None,
                "total_discount_amounts": None, "total_tax_amounts": None,
                "default_tax_rates": "tax_rate", "test_clock": "test_clock"},
    "invoiceitem": {"customer": "customer", "discounts": "discount", "invoice": "invoice",
                    "price": "price", "subscription": "subscription", "period": None,
                    "parent": None, "pricing": None, **_RATES, "test_clock": "test_clock"},
    "line_item": {"discounts": "discount", "invoice_item": "invoiceitem", "price": "price",
                  "subscription": "subscription", "period": None, "discount_amounts": None,
                  "parent": None, "pricing": None, **_RATES},
    "subscription": {"customer": "customer", "default_payment_method": "payment_method",
                     "default_source": "source", "discount": None, "discounts": "discount",
                     "items": None, "latest_invoice": "invoice",
                     "pending_setup_intent": "setup_intent",
                     "schedule": "subscription_schedule",
                     "default_tax_rates": "tax_rate", "test_clock": "test_clock"},
    "subscription_item": {"price": "price", "plan": None, "discounts": "discount", **_RATES},
    "price": {"product": "product", "recurring": None},
    "plan": {"product": "product"},
    "product": {"default_price": "price"},
    "coupon": {},
    "discount": {"coupon": None, "customer": "customer", "promotion_code": "promotion_code",
                 "source": None},
    "discount.source": {"coupon": "coupon"},  # clover names the coupon by its id
    "promotion_code": {"coupon": None, "customer": "customer", "restrictions": None,
                       "promotion": None},
    "promotion_code.promotion": {"coupon": "coupon"},
    "credit_note": {"customer": "customer", "invoice": "invoice", "lines": None,
                    "discount_amounts": None, "tax_amounts": None,
                    "customer_balance_transaction": "customer_balance_transaction",
                    "refund": "refund"},
    "customer_balance_transaction": {"credit_note": "credit_note", "customer": "customer",
                                     "invoice": "invoice"},
    "payment_method": {"customer": "customer", "billing_details": None, "card": None},
    "payment_intent": {"customer": "customer", "invoice": "invoice",
                       "latest_charge": "charge", "payment_method": "payment_method",
                       "last_payment_error": None, "next_action": None},
    "charge": {"customer": "customer", "invoice": "invoice",
               "payment_intent": "payment_intent", "refunds": None, "outcome": None,
               "balance_transaction": None},
    "refund": {"charge": "charge", "payment_intent": "payment_intent",
               "balance_transaction": None},
    "setup_intent": {"customer": "customer", "payment_method": "payment_method",
                     "latest_attempt": None, "last_setup_error": None},
    "invoice_payment": {"invoice": "invoice", "payment": None},
    # objects shown in place that name others (Stripe's spec marks them expandable)
    "customer.invoice_settings": {"default_payment_method": "payment_method"},
    "invoice.from_invoice": {"invoice": "invoice"},
    # from 2025-03-31.basil: an invoice's parent, a payment, a line's or item's pricing
    "invoice.parent.subscription_details": {"subscription": "subscription"},
    "invoice_payment.payment": {"payment_intent": "payment_intent", "charge": "charge"},
    "line_item.pricing.price_details": {"price": "price"},  # from 2025-12-15.clover
    "invoiceitem.pricing.price_details": {"price": "price"},
    # each entry of a discount list names its discount, of a tax list its rate (2023's
    # `tax_amounts`)
    "invoice.total_discount_amounts": {"discount": "discount"},
    "line_item.discount_amounts": {"discount": "discount"},
    "credit_note.discount_amounts": {"discount": "discount"},
    "credit_note_line_item.discount_amounts": {"discount": "discount"},
    "invoice.total_tax_amounts": {"tax_rate": "tax_rate"},
    "line_item.tax_amounts": {"tax_rate": "tax_rate"},
    "credit_note.tax_amounts": {"tax_rate": "tax_rate"},
    "credit_note_line_item.tax_amounts": {"tax_rate": "tax_rate"},
    "billing_portal.session": {"configuration": "configuration"},
    "checkout.session": {"customer": "customer", "invoice": "invoice",
                         "payment_intent": "payment_intent", "setup_intent": "setup_intent",
                         "subscription": "subscription", "payment_link": None},
    "subscription_schedule": {"customer": "customer", "subscription": "subscription",
                              "test_clock": "test_clock", "application": None,
                              "phases": None, "default_settings": None},
    "subscription_schedule.default_settings": {"default_payment_method": "payment_method"},
    "subscription_schedule.phases": {"default_payment_method": "payment_method",
                                     "items": None, "add_invoice_items": None,
                                     "discounts": None},
    "subscription_schedule.phases.items": {"price": "price", "plan": "plan"},
    "subscription_schedule.phases.add_invoice_items": {"price": "price"},
    "subscription_schedule.phases.discounts": {"coupon": "coupon",
                                               "promotion_code": "promotion_code",
                                               "discount": "discount"},
    "card": {"customer": "customer"},
    "token": {"card": None},
    "tax_id": {"customer": "customer", "owner": None, "verification": None},
    "event": {"data": None, "request": None},
    "account": {"business_profile": None, "settings": None, "capabilities": None},
}  # fmt: skip


# Fields Stripe made expandable after they first appeared, and the version that did
# (before it, expanding them is refused as for any field naming nothing).
EXPANDABLE_SINCE: dict[tuple[str, str], str] = {
    ("line_item.pricing.price_details", "price"): versions.CLOVER_12,
    ("invoiceitem.pricing.price_details", "price"): versions.CLOVER_12,
}


def cannot(path: str) -> InvalidRequest:
    return InvalidRequest(f"This property cannot be expanded ({path}).", param="expand")


def expand(
    ledger: Ledger, found: Any, paths: list[str], shaped: Shaped, version: str = versions.BASE
) -> Any:
    """Each path expanded in turn in an answer already `shaped` (without its includable
    fields, in the request's `version`)."""
    if len(paths) > MAX_EXPANSIONS:
        raise InvalidRequest(f"Invalid expand: at most {MAX_EXPANSIONS} paths", param="expand")
    for path in paths:
        if len(path.split(".")) > MAX_DEPTH:
            raise InvalidRequest(
                f"You cannot expand more than {MAX_DEPTH} levels of a property. Property: {path}",
                param="expand",
            )
    shown = found
    for path in paths:
        walk = _Walk(ledger, path, shaped, version)
        shown = walk.expand(shown, path.split("."), kind=None, owner={})
    return shown


class _Walk:
    """One path walked through an answer."""

    def __init__(self, ledger: Ledger, path: str, shaped: Shaped, version: str):
        self.ledger, self.path, self.shaped, self.version = ledger, path, shaped, version

    def fields(self, kind: str | None) -> dict[str, str | None]:
        """The expandable fields of a `kind` of object in the request's version."""
        return {
            name: target
            for name, target in EXPANDABLE.get(str(kind), {}).items()
            if self.version >= EXPANDABLE_SINCE.get((str(kind), name), versions.BASE)
        }

    def expand(self, value: Any, parts: list[str], *, kind: str | None, owner: Obj) -> Any:
        return _expand(self, value, parts, kind=kind, owner=owner)

    def resolve(self, target: str | None, held: Any, owner: Obj) -> Any:
        """An id of a `target` object replaced by the object (a list of ids, each)."""
        if target is None or held is None or isinstance(held, dict):
            return held
        if isinstance(held, list):
            return [self.resolve(target, item, owner) for item in held]
        return self.shaped(RESOLVERS[target](self.ledger, str(held), owner))


def _expand(walk: _Walk, value: Any, parts: list[str], *, kind: str | None, owner: Obj) -> Any:
    path = walk.path
    if isinstance(value, list):
        return [walk.expand(v, parts, kind=kind, owner=owner) for v in value]
    if not isinstance(value, dict):
        raise cannot(path)
    declared = value.get("object")  # an event's data has an `object` that is no type
    kind = declared if isinstance(declared, str) else kind
    owner = value if "id" in value and isinstance(declared, str) else owner
    head, rest = parts[0], parts[1:]
    copied = dict(value)
    included = includes.includer(kind, head)
    if included is not None:
        copied[head] = included(walk.ledger, owner)
        if copied[head] is includes.ABSENT:
            copied.pop(head)
            return copied
        copied[head] = walk.shaped(copied[head])
    elif kind in ("list", "search_result"):
        if head != "data" or not rest:
            raise cannot(path)
    elif head not in value:
        raise cannot(path)
    else:
        fields = walk.fields(kind)
        known = head in fields or head in _NOTHING
        if not rest and not known:
            raise cannot(path)
        held = value[head]
        copied[head] = walk.resolve(fields.get(head), held, owner) if known else held
    if rest and copied.get(head) is not None:
        copied[head] = walk.expand(copied[head], rest, kind=f"{kind}.{head}", owner=owner)
    return copied
