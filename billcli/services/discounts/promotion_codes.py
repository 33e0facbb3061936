"""Promotion codes: create, update (active, metadata, minimums in other currencies),
show, list, and find the code a customer typed. Redeeming one is `redemptions.py`'s."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import discount_objects, objects
from billcli.core.discounts import valid
from billcli.core.ids import new_id
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import normalize_currency
from billcli.core.pagination import Page, PageRequest
from billcli.core.promotion_codes import (
    Restrictions,
    active,
    check_code,
    check_restrictions,
    generated_code,
)
from billcli.core.records.discounts import PromotionCode
from billcli.errors import InvalidRequest, NotFound
from billcli.services.discounts import coupons
from billcli.services.ledger.events import record
from billcli.services.ledger.idempotency import once
from billcli.services.ledger.lookup import live_customer
from billcli.store.ledger import Ledger, Tx

KIND = "promotion_code"


@dataclass(frozen=True)
class PromotionCodeInput:
    """`promotion-codes create` (and `/v1/promotion_codes`) as typed; amounts are
    integers in minor units of their currency, as the API takes them."""

    coupon: str | None = None
    code: str | None = None
    customer: str | None = None
    active: bool | None = None
    max_redemptions: int | None = None
    expires_at: int | None = None
    first_time_transaction: bool = False
    minimum_amount: int | None = None
    minimum_amount_currency: str | None = None
    currency_options: tuple[tuple[str, int], ...] = ()  # (currency, minimum amount)
    metadata: tuple[str, ...] = ()


def find(tx: Tx, promotion_code_id: str, *, param: str = "promotion_code") -> PromotionCode:
    code = tx.promotion_codes.get(promotion_code_id) if promotion_code_id else None
    if code is None:
        raise NotFound("promotion code", promotion_code_id, param=param)
    return code


def named(tx: Tx, given: str, customer: str | None, *, param: str) -> PromotionCode:
    """The code a customer or an operator names: a `promo_` id, or the code as typed
    (any case) among the active ones that customer may use."""
    if given.startswith("promo_"):
        return find(tx, given, param=param)
    usable = [
        code
        for code in tx.promotion_codes.with_code(given)
        if code.active and code.customer in (None, customer)
    ]
    if not usable:
        raise NotFound(
            "promotion code",
            given,
            param=param,
            message=f"No such promotion code: '{given}'",
        )
    return usable[-1]


def promotion_code_object(tx: Tx, code: PromotionCode) -> dict[str, Any]:
    coupon = coupons.find(tx, code.coupon, live=False)
    return discount_objects.promotion_code(code, coupon, tx.now)


def create(
    ledger: Ledger, data: PromotionCodeInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    if data.coupon is None:
        raise InvalidRequest.missing("coupon")
    if data.code is not None:
        check_code(data.code)
    parse_pairs(data.metadata)
    with ledger.write() as tx:
        return once(tx, "promotion_codes.create", idempotency_key, vars(data),
                    lambda: _create_in(tx, data))  # fmt: skip


def _create_in(tx: Tx, data: PromotionCodeInput) -> dict[str, Any]:
    coupon = coupons.find(tx, str(data.coupon))
    if not valid(coupon, tx.now):
        raise InvalidRequest(
            f"Invalid coupon: {coupon.id} can no longer be redeemed", param="coupon"
        )
    currency = None
    if data.minimum_amount_currency:
        param = "restrictions[minimum_amount_currency]"
        currency = normalize_currency(data.minimum_amount_currency, param=param)
    check_restrictions(
        Restrictions(data.expires_at, data.max_redemptions, data.minimum_amount, currency),
        coupon,
        tx.now,
    )
    customer = live_customer(tx, data.customer).id if data.customer else None
    code = PromotionCode(
        id=new_id(KIND),
        code=data.code or _new_code(tx),
        coupon=coupon.id,
        created=tx.now,
        active=data.active is not False,
        customer=customer,
        expires_at=data.expires_at,
        max_redemptions=data.max_redemptions,
        first_time_transaction=data.first_time_transaction,
        minimum_amount=data.minimum_amount,
        minimum_amount_currency=currency,
        currency_options=_options(data.currency_options, currency),
        metadata=merged({}, parse_pairs(data.metadata)),
    )
    if code.active:
        _check_unique(tx, code)
    tx.promotion_codes.add(code)
    shown = promotion_code_object(tx, code)
    record(tx, "promotion_code.created", shown)
    return shown


def _new_code(tx: Tx) -> str:
    while True:
        candidate = generated_code()
        if not tx.promotion_codes.with_code(candidate):
            return candidate


def _options(given: tuple[tuple[str, int], ...], currency: str | None) -> dict[str, dict[str, int]]:
    """Minimums in other currencies, each positive, none in the main minimum's."""
    options: dict[str, dict[str, int]] = {}
    for raw, minimum in given:
        param = f"restrictions[currency_options][{raw}][minimum_amount]"
        option = normalize_currency(raw, param=param)
        if currency is None:
            raise InvalidRequest(
                "Invalid restrictions[currency_options]: they go with minimum_amount and "
                "minimum_amount_currency",
                param=param,
            )
        if option == currency or minimum < 1:
            raise InvalidRequest(
                f"Invalid {param}: a positive minimum in a currency other than {currency}",
                param=param,
            )
        options[option] = {"minimum_amount": minimum}
    return options


def _check_unique(tx: Tx, code: PromotionCode) -> None:
    """Regardless of case, no other active code a customer could use is spelt the
    same: a code for everyone clashes with any active one, a customer's own with the
    active codes for everyone and theirs."""
    for other in tx.promotion_codes.with_code(code.code):
        if other.id == code.id or not other.active:
            continue
        if code.customer is None or other.customer in (None, code.customer):
            raise InvalidRequest(
                f"An active promotion code with the code '{code.code}' already exists "
                f"({other.id}).",
                param="code",
            )


def update(
    ledger: Ledger,
    promotion_code_id: str,
    *,
    active_: bool | None = None,
    metadata: tuple[str, ...] = (),
    currency_options: tuple[tuple[str, int], ...] | None = None,
) -> dict[str, Any]:
    """Most of a promotion code never changes (Stripe's rule): whether it is active, its
    metadata, and its minimums in other currencies do. A code is reactivated only while
    it could be redeemed."""
    pairs = parse_pairs(metadata)
    with ledger.write() as tx:
        before = find(tx, promotion_code_id, param="promotion_code")
        after = replace(
            before,
            active=before.active if active_ is None else active_,
            metadata=merged(before.metadata, pairs),
        )
        if currency_options is not None:
            main = before.minimum_amount_currency
            after = replace(after, currency_options=_options(currency_options, main))
        if after.active and not before.active:
            _check_reactivation(tx, after)
        shown_before = promotion_code_object(tx, before)
        if after == before:
            return shown_before
        tx.promotion_codes.save(after)
        shown = promotion_code_object(tx, after)
        previous = objects.changed_attributes(shown_before, shown)
        record(tx, "promotion_code.updated", shown, previous=previous)
        return shown


def _check_reactivation(tx: Tx, code: PromotionCode) -> None:
    coupon = coupons.find(tx, code.coupon, live=False)
    spent = code.max_redemptions is not None and code.times_redeemed >= code.max_redemptions
    expired = code.expires_at is not None and tx.now >= code.expires_at
    if not active(code, coupon, tx.now) or spent or expired:
        raise InvalidRequest(
            "Invalid active: a promotion code can only be reactivated while its coupon is "
            "valid and it could otherwise be redeemed",
            param="active",
        )
    _check_unique(tx, code)


def show(ledger: Ledger, promotion_code_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return promotion_code_object(tx, find(tx, promotion_code_id, param="promotion_code"))


def currency_options(ledger: Ledger, promotion_code_id: str) -> dict[str, Any]:
    """`restrictions.currency_options` (includable): the minimum in each currency."""
    with ledger.read() as tx:
        code = find(tx, promotion_code_id)
        return discount_objects.promotion_code_currency_options(code)


def list_promotion_codes(
    ledger: Ledger,
    request: PageRequest,
    *,
    code: str | None = None,
    coupon: str | None = None,
    customer: str | None = None,
    active_: bool | None = None,
) -> Page:
    """Newest first; `code` matches whatever its case (Stripe's list)."""
    with ledger.read() as tx:
        found, has_more = tx.promotion_codes.page(
            request, code=code, coupon=coupon, customer=customer, active=active_
        )
        return Page("/v1/promotion_codes", [promotion_code_object(tx, c) for c in found], has_more)
