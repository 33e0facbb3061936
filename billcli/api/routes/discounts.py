"""Coupons."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, paging, required, route
from billcli.api.params import Params
from billcli.services.discounts import coupons
from billcli.store.ledger import Ledger


@route("POST", "/v1/coupons")
def create_coupon(ledger: Ledger, p: Params) -> Any:
    percent = p.text("percent_off")
    data = coupons.CouponInput(
        id=p.text("id"),
        percent_off=percent,
        amount_off=p.amount("amount_off"),
        currency=p.text("currency"),
        duration=p.text("duration"),
        duration_in_months=p.integer("duration_in_months"),
        max_redemptions=p.integer("max_redemptions"),
        redeem_by=p.integer("redeem_by"),
        name=p.text("name"),
        metadata=p.metadata(),
        applies_to=_applies_to(p),
        currency_options=_amounts_off(p),
    )
    p.unknown()
    return coupons.create(ledger, data)


def _applies_to(p: Params) -> tuple[str, ...] | None:
    if not p.has("applies_to"):
        return None
    given = p.nested("applies_to")
    products = tuple(given.texts("products"))
    given.unknown()
    return products


def _amounts_off(p: Params) -> dict[str, str] | None:
    """`currency_options[eur][amount_off]=…` by currency."""
    if not p.has("currency_options"):
        return None
    options = p.nested("currency_options")
    found = {}
    for currency in list(options.values):
        entry = options.nested(currency)
        found[currency] = required(entry.amount("amount_off"), entry.spelled("amount_off"))
        entry.unknown()
        options.taken.add(currency)
    return found


@route("GET", "/v1/coupons/{coupon}")
def retrieve_coupon(ledger: Ledger, p: Params, coupon: str) -> Any:
    p.unknown()
    return coupons.show(ledger, coupon)


@route("POST", "/v1/coupons/{coupon}")
def update_coupon(ledger: Ledger, p: Params, coupon: str) -> Any:
    data = coupons.CouponInput(
        name=p.text("name"),
        metadata=p.metadata(coupons.show(ledger, coupon)["metadata"]),
        currency_options=_amounts_off(p),
    )
    p.unknown()
    return coupons.update(ledger, coupon, data)


@route("DELETE", "/v1/coupons/{coupon}")
def delete_coupon(ledger: Ledger, p: Params, coupon: str) -> Any:
    p.unknown()
    return coupons.delete(ledger, coupon)


@route("GET", "/v1/coupons")
def list_coupons(ledger: Ledger, p: Params) -> Any:
    request = paging(p)
    p.unknown()
    return listed(coupons.list_coupons(ledger, request))


ROUTES = [
    create_coupon,
    list_coupons,
    retrieve_coupon,
    update_coupon,
    delete_coupon,
]
