"""Coupons and their promotion codes."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, paging, required, route
from billcli.api.params import Params, integer_of, only, spelled_as
from billcli.errors import InvalidRequest
from billcli.services.discounts import coupons, promotion_codes
from billcli.services.discounts.promotion_codes import PromotionCodeInput
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


def _by_currency(options: Params, key: str) -> dict[str, str]:
    """`{currency}[key]=…` for each currency of an options group (a coupon's
    `currency_options[eur][amount_off]`, a code's
    `restrictions[currency_options][eur][minimum_amount]`): the amount, required."""
    found = {}
    for currency in list(options.values):
        entry = options.nested(currency)
        found[currency] = required(entry.amount(key), entry.spelled(key))
        entry.unknown()
        options.taken.add(currency)
    return found


def _amounts_off(p: Params) -> dict[str, str] | None:
    """`currency_options[eur][amount_off]=…` by currency."""
    if not p.has("currency_options"):
        return None
    return _by_currency(p.nested("currency_options"), "amount_off")


@route("GET", "/v1/coupons/{coupon}")
def retrieve_coupon(ledger: Ledger, p: Params, coupon: str) -> Any:
    p.unknown()
    return coupons.show(ledger, coupon)


@route("POST", "/v1/coupons/{coupon}")
def update_coupon(ledger: Ledger, p: Params, coupon: str) -> Any:
    data = coupons.CouponInput(
        name=p.text("name", clearable=True),
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
    request = paging(p, created=True)
    p.unknown()
    return listed(coupons.list_coupons(ledger, request))


def _currency_options(given: Any) -> tuple[tuple[str, int], ...]:
    """`restrictions[currency_options][eur][minimum_amount]=…` as (currency, minimum)."""
    outer = "restrictions[currency_options]"
    if not isinstance(given, dict):
        raise InvalidRequest(f"Invalid {outer}: expected an object", param=outer)
    options = Params(given, spelled=lambda key: f"{outer}[{key}]")
    return tuple(
        (currency, int(minimum))
        for currency, minimum in _by_currency(options, "minimum_amount").items()
    )


RESTRICTIONS = (
    "first_time_transaction",
    "minimum_amount",
    "minimum_amount_currency",
    "currency_options",
)


def _restrictions(p: Params) -> dict[str, Any]:
    given = p.map("restrictions") or {}
    only(given, RESTRICTIONS, "restrictions")
    first = given.get("first_time_transaction")
    if first not in (None, "true", "false"):
        raise InvalidRequest(
            f"Invalid boolean: {first}", param="restrictions[first_time_transaction]"
        )
    minimum = given.get("minimum_amount")
    options = given.get("currency_options")
    return {
        "first_time_transaction": first == "true",
        "minimum_amount": integer_of(minimum, "restrictions[minimum_amount]"),
        "minimum_amount_currency": given.get("minimum_amount_currency"),
        "currency_options": () if options is None else _currency_options(options),
    }


def _coupon_of(p: Params) -> str:
    """`coupon=…`, or `promotion[type]=coupon&promotion[coupon]=…` (2025-09-30.clover's
    shape of the same)."""
    coupon, promotion = p.text("coupon"), p.map("promotion")
    if promotion is None:
        return str(required(coupon, "coupon"))
    if coupon is not None:
        raise InvalidRequest.exclusive(("coupon", "promotion"), "promotion")
    if promotion.get("type") != "coupon":
        raise InvalidRequest(
            "Invalid promotion[type]: must be one of coupon", param="promotion[type]"
        )
    return str(required(promotion.get("coupon"), "promotion[coupon]"))


@route("POST", "/v1/promotion_codes")
def create_promotion_code(ledger: Ledger, p: Params) -> Any:
    p.refuse("customer_account")
    data = PromotionCodeInput(
        coupon=_coupon_of(p),
        code=p.text("code"),
        customer=p.text("customer"),
        active=p.boolean("active"),
        max_redemptions=p.integer("max_redemptions"),
        expires_at=p.integer("expires_at"),
        metadata=p.metadata(),
        **_restrictions(p),
    )
    p.unknown()
    spelled = "promotion[coupon]" if p.has("promotion") else "coupon"  # clover's, or older
    with spelled_as({"coupon": spelled}.get):
        return promotion_codes.create(ledger, data)


@route("GET", "/v1/promotion_codes/{promotion_code}")
def retrieve_promotion_code(ledger: Ledger, p: Params, promotion_code: str) -> Any:
    p.unknown()
    return promotion_codes.show(ledger, promotion_code)


@route("POST", "/v1/promotion_codes/{promotion_code}")
def update_promotion_code(ledger: Ledger, p: Params, promotion_code: str) -> Any:
    current = promotion_codes.show(ledger, promotion_code)
    active, metadata = p.boolean("active"), p.metadata(current["metadata"])
    restrictions = p.map("restrictions") or {}
    only(restrictions, ("currency_options",), "restrictions")
    options = restrictions.get("currency_options")
    p.unknown()
    return promotion_codes.update(
        ledger,
        promotion_code,
        active_=active,
        metadata=metadata,
        currency_options=None if options is None else _currency_options(options),
    )


@route("GET", "/v1/promotion_codes")
def list_promotion_codes(ledger: Ledger, p: Params) -> Any:
    p.refuse("customer_account")
    request, code, coupon = paging(p, created=True), p.text("code"), p.text("coupon")
    customer, active = p.text("customer"), p.boolean("active")
    p.unknown()
    return listed(
        promotion_codes.list_promotion_codes(
            ledger, request, code=code, coupon=coupon, customer=customer, active_=active
        )
    )


ROUTES = [
    create_coupon,
    list_coupons,
    retrieve_coupon,
    update_coupon,
    delete_coupon,
    create_promotion_code,
    list_promotion_codes,
    retrieve_promotion_code,
    update_promotion_code,
]
