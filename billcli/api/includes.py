"""Includable fields: what Stripe shows of an object only when `expand[]` asks for it.

`price.tiers` and `currency_options`, `plan.tiers`, `coupon.applies_to` and
`currency_options`, a customer's `sources`, `subscriptions`, `tax_ids`, `tax`,
`cash_balance` and `invoice_credit_balance`, a promotion code's
`restrictions.currency_options`, a Checkout Session's `line_items`: left out of every
answer, in every API version (they are not version changes), and filled in, from the
ledger as it is, where a path names them. `--json` on the command line keeps the
objects whole.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.core import discount_objects
from billcli.core.pagination import PageRequest
from billcli.services.catalog import prices
from billcli.services.checkout import sessions
from billcli.services.customers import customers, tax_ids
from billcli.services.discounts import coupons, promotion_codes
from billcli.services.payments import sources
from billcli.services.subscriptions import creation as subscriptions
from billcli.store.ledger import Ledger

Obj = dict[str, Any]
ABSENT: Any = object()  # an includable field that this object has not (a per-unit price's tiers)
Includer = Callable[[Ledger, Obj], Any]


def _price_field(name: str) -> Includer:
    def include(ledger: Ledger, owner: Obj) -> Any:
        return prices.show(ledger, owner["id"]).get(name, ABSENT)

    return include


def _price_options(ledger: Ledger, owner: Obj) -> Any:
    """A price's amounts by currency: its own currency at least."""
    full = prices.show(ledger, owner["id"])
    if "currency_options" in full:
        return full["currency_options"]
    option = {
        "custom_unit_amount": full.get("custom_unit_amount"),
        "tax_behavior": full.get("tax_behavior"),
        "unit_amount": full.get("unit_amount"),
        "unit_amount_decimal": full.get("unit_amount_decimal"),
    }
    if "tiers" in full:
        option["tiers"] = full["tiers"]
    return {full["currency"]: option}


def _coupon(ledger: Ledger, owner: Obj) -> Obj:
    """The coupon whole; a deleted coupon is shown as it was where it applied."""
    with ledger.read() as tx:
        from_ledger = coupons.find(tx, owner["id"], live=False)
        return discount_objects.coupon(from_ledger, tx.now, stub_when_deleted=False)


def _applies_to(ledger: Ledger, owner: Obj) -> Any:
    return _coupon(ledger, owner).get("applies_to") or {"products": []}


def _coupon_options(ledger: Ledger, owner: Obj) -> Any:
    """An amount-off coupon's amount by currency: its own currency at least."""
    full = _coupon(ledger, owner)
    if "currency_options" in full:
        return full["currency_options"]
    if full.get("amount_off") is None:
        return ABSENT
    return {full["currency"]: {"amount_off": full["amount_off"]}}


def _customer_field(name: str) -> Includer:
    def include(ledger: Ledger, owner: Obj) -> Any:
        return customers.show(ledger, owner["id"]).get(name, ABSENT)

    return include


def _sources(ledger: Ledger, owner: Obj) -> Any:
    return sources.list_sources(ledger, owner["id"], PageRequest()).to_stripe()


def _tax_ids(ledger: Ledger, owner: Obj) -> Any:
    return tax_ids.list_tax_ids(ledger, owner["id"], PageRequest()).to_stripe()


def _subscriptions(ledger: Ledger, owner: Obj) -> Any:
    found = subscriptions.list_subscriptions(ledger, PageRequest(), customer=owner["id"])
    shown = found.to_stripe()
    shown["url"] = f"/v1/customers/{owner['id']}/subscriptions"
    return shown


def _session_items(ledger: Ledger, owner: Obj) -> Any:
    return sessions.show(ledger, owner["id"], with_items=True)["line_items"]


def _code_options(ledger: Ledger, owner: Obj) -> Any:
    return promotion_codes.currency_options(ledger, owner["id"])


INCLUDABLE: dict[str, dict[str, Includer]] = {
    "price": {"tiers": _price_field("tiers"), "currency_options": _price_options},
    "plan": {"tiers": _price_field("tiers")},
    "coupon": {"applies_to": _applies_to, "currency_options": _coupon_options},
    "customer": {
        "sources": _sources,
        "subscriptions": _subscriptions,
        "tax_ids": _tax_ids,
        **{
            name: _customer_field(name)
            for name in ("tax", "cash_balance", "invoice_credit_balance")
        },
    },
    "promotion_code.restrictions": {"currency_options": _code_options},
    "checkout.session": {"line_items": _session_items},
}


def includer(kind: str | None, field: str) -> Includer | None:
    return INCLUDABLE.get(kind or "", {}).get(field)


def without(value: Any) -> Any:
    """A copy of an answer with every includable field left out."""
    if isinstance(value, list):
        return [without(item) for item in value]
    if not isinstance(value, dict):
        return value
    kind = value.get("object")  # an event's data has an `object` that is no type
    dropped = INCLUDABLE.get(kind, {}) if isinstance(kind, str) else {}
    return {key: without(item) for key, item in value.items() if key not in dropped}
