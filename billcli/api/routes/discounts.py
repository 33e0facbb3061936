"""Coupons."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, paging, route
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
    )
    p.unknown()
    return coupons.create(ledger, data)


@route("GET", "/v1/coupons/{coupon}")
def retrieve_coupon(ledger: Ledger, p: Params, coupon: str) -> Any:
    p.unknown()
    return coupons.show(ledger, coupon)


@route("POST", "/v1/coupons/{coupon}")
def update_coupon(ledger: Ledger, p: Params, coupon: str) -> Any:
    data = coupons.CouponInput(
        name=p.text("name", clearable=True),
        metadata=p.metadata(coupons.show(ledger, coupon)["metadata"]),
    )
    p.unknown()
    return coupons.update(ledger, coupon, data)


@route("DELETE", "/v1/coupons/{coupon}")
def delete_coupon(ledger: Ledger, p: Params, coupon: str) -> Any:
    p.unknown()
    return coupons.delete(ledger, coupon)


@route("GET", "/v1/coupons")
def list_coupons(ledger: Ledger, p: Params) -> Any:
    request = paging(p, created=True)
    p.unknown()
    return listed(coupons.list_coupons(ledger, request))


ROUTES = [
    create_coupon,
    list_coupons,
    retrieve_coupon,
    update_coupon,
    delete_coupon,
]
