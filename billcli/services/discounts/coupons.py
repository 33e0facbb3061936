"""Coupons: create, show, list, rename, delete. Applying one is `services.discounts`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import discount_objects, limits, objects
from billcli.core.discounts import check_coupon_id, check_terms
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import normalize_currency, parse_amount
from billcli.core.pagination import Page, PageRequest
from billcli.core.records.discounts import Coupon
from billcli.errors import InvalidRequest, NotFound
from billcli.services.ledger.events import record
from billcli.services.ledger.idempotency import once
from billcli.store.ledger import Ledger, Tx

KIND = "coupon"
_ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class CouponInput:
    """Coupon options as typed; None means "not given"."""

    id: str | None = None
    percent_off: str | None = None
    amount_off: str | None = None
    currency: str | None = None
    duration: str | None = None
    duration_in_months: int | None = None
    max_redemptions: int | None = None
    redeem_by: int | None = None
    name: str | None = None
    metadata: tuple[str, ...] = ()
    applies_to: tuple[str, ...] | None = None  # product ids
    currency_options: dict[str, str] | None = None  # {currency: amount_off as text}


def find(tx: Tx, coupon_id: str, *, param: str = "coupon", live: bool = True) -> Coupon:
    """The coupon `coupon_id` names; a deleted one is missing unless `live` is False."""
    coupon = tx.coupons.get(coupon_id)
    if coupon is None or (live and coupon.deleted):
        raise NotFound(KIND, coupon_id, param=param)
    return coupon


def create(
    ledger: Ledger, data: CouponInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    limits.text(KIND, "name", data.name)
    if data.id is not None:
        limits.text(KIND, "id", data.id)
        check_coupon_id(data.id)
    parse_pairs(data.metadata)
    with ledger.write() as tx:
        return once(tx, "coupons.create", idempotency_key, vars(data), lambda: _create_in(tx, data))


def _create_in(tx: Tx, data: CouponInput) -> dict[str, Any]:

    currency = normalize_currency(data.currency) if data.currency else None
    amount = (
        None
        if data.amount_off is None
        else parse_amount(data.amount_off, currency, param="amount_off")
    )
    terms = check_terms(data.percent_off, amount, currency, data.duration, data.duration_in_months)
    if data.max_redemptions is not None and data.max_redemptions < 1:
        raise InvalidRequest("Invalid max_redemptions: at least 1", param="max_redemptions")
    if data.redeem_by is not None and data.redeem_by <= tx.now:
        raise InvalidRequest("Invalid redeem_by: it must be in the future", param="redeem_by")
    coupon_id = data.id or _new_coupon_id(tx)
    if tx.coupons.get(coupon_id) is not None:
        raise InvalidRequest.already_exists("Coupon")
    coupon = Coupon(
        id=coupon_id,
        created=tx.now,
        duration=terms.duration,
        percent_off=terms.percent_off,
        amount_off=terms.amount_off,
        currency=terms.currency,
        duration_in_months=terms.duration_in_months,
        max_redemptions=data.max_redemptions,
        redeem_by=data.redeem_by,
        name=data.name or None,
        metadata=merged({}, parse_pairs(data.metadata)),
        applies_to=None if data.applies_to is None else _products(tx, data.applies_to),
        currency_options=_amounts_off(data.currency_options, terms.currency),
    )
    tx.coupons.add(coupon)
    shown = discount_objects.coupon(coupon, tx.now)
    record(tx, "coupon.created", shown)
    return shown


def _products(tx: Tx, given: tuple[str, ...]) -> list[str]:
    """The products a coupon is restricted to: each must exist."""
    # startup: only a restricted coupon reads the catalog
    from billcli.services.catalog import products

    return [
        products.find(tx, product, param=f"applies_to[products][{n}]").id
        for n, product in enumerate(given)
    ]


def _amounts_off(
    given: dict[str, str] | None, currency: str | None, current: dict[str, Any] | None = None
) -> dict[str, dict[str, int]]:
    """An amount-off coupon's amounts in other currencies (`currency_options`)."""
    options = dict(current or {})
    if not given:
        return options
    if currency is None:
        raise InvalidRequest(
            "Invalid currency_options: only an amount-off coupon has amounts in currencies",
            param="currency_options",
        )
    for raw, amount in given.items():
        other = normalize_currency(raw)
        param = f"currency_options[{raw}][amount_off]"
        if other == currency:
            raise InvalidRequest(
                f"Invalid {param}: {other} is the coupon's own currency", param=param
            )
        off = parse_amount(amount, other, param=param)
        if off <= 0:
            raise InvalidRequest(f"Invalid {param}: it must be positive", param=param)
        options[other] = {"amount_off": off}
    return options


def _new_coupon_id(tx: Tx) -> str:
    """Eight characters, as Stripe makes them, none easily misread (no 0/O, 1/I)."""
    # startup: loaded only when a coupon id is generated
    import secrets

    while True:
        candidate = "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))
        if tx.coupons.get(candidate) is None:
            return candidate


def update(ledger: Ledger, coupon_id: str, data: CouponInput) -> dict[str, Any]:
    """Only the name, metadata and amounts in other currencies of a coupon change
    (Stripe's rule)."""
    limits.text(KIND, "name", data.name)
    fixed = [
        name
        for name, value in vars(data).items()
        if name not in ("name", "metadata", "currency_options") and value is not None
    ]
    if fixed:
        raise InvalidRequest(
            f"Invalid {fixed[0]}: a coupon's terms never change; only --name, --metadata and "
            "--currency-option",
            param=fixed[0],
        )
    with ledger.write() as tx:
        before = find(tx, coupon_id, param="id")
        after = replace(
            before,
            name=before.name if data.name is None else (data.name or None),
            metadata=merged(before.metadata, parse_pairs(data.metadata)),
            currency_options=_amounts_off(
                data.currency_options, before.currency, before.currency_options
            ),
        )
        old, new = discount_objects.coupon(before, tx.now), discount_objects.coupon(after, tx.now)
        if after == before:
            return old
        tx.coupons.save(after)
        record(tx, "coupon.updated", new, previous=objects.changed_attributes(old, new))
        return new


def delete(ledger: Ledger, coupon_id: str) -> dict[str, Any]:
    """Stop new redemptions; the discounts that apply it go on (Stripe's rule)."""
    with ledger.write() as tx:
        coupon = find(tx, coupon_id, param="id")
        tx.coupons.save(replace(coupon, deleted=True))
        record(tx, "coupon.deleted", discount_objects.coupon(coupon, tx.now))
        return objects.deleted(KIND, coupon.id)


def show(ledger: Ledger, coupon_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return discount_objects.coupon(find(tx, coupon_id, param="id"), tx.now)


def list_coupons(ledger: Ledger, request: PageRequest) -> Page:
    with ledger.read() as tx:
        coupons, has_more = tx.coupons.page(request)
        return Page("/v1/coupons", [discount_objects.coupon(c, tx.now) for c in coupons], has_more)
