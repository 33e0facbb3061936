"""`billcli coupons`: discounts to apply."""

from typing import Any

from billcli.cli.amounts import check as check_amounts
from billcli.cli.running import input_of, open_ledger, print_list
from billcli.render.output import emit_object


def _options(options: dict[str, Any]) -> dict[str, Any]:
    """`--currency-option CUR:AMOUNT` as a coupon's amounts by currency."""
    given = dict(options)
    pairs = given.pop("currency_option", None)
    if pairs:
        found = {}
        for pair in pairs:
            currency, _, amount = pair.partition(":")
            found[currency] = amount
        given["currency_options"] = found
    if given.get("applies_to") is not None:
        given["applies_to"] = tuple(given["applies_to"])
    return given


def create(
    *,
    redeem_by: str | None,
    idempotency_key: str | None,
    ledger: str | None,
    as_json: bool,
    **options: Any,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core.dates import parse_instant
    from billcli.services.discounts import coupons

    check_amounts(options)
    when = None if redeem_by is None else parse_instant(redeem_by, param="redeem_by")
    data = input_of(coupons.CouponInput, _options(options) | {"redeem_by": when})
    with open_ledger(ledger) as book:
        created = coupons.create(book, data, idempotency_key=idempotency_key)
        emit_object(created, as_json=as_json, title="Coupon created")


def list_(*, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.discounts import coupons

    with open_ledger(ledger, reads_only=True) as book:
        print_list(lambda request: coupons.list_coupons(book, request), "coupon", **listing)


def show(*, coupon: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.discounts import coupons

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(coupons.show(book, coupon), as_json=as_json, title="Coupon")


def update(*, coupon: str, ledger: str | None, as_json: bool, **options: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.discounts import coupons

    with open_ledger(ledger) as book:
        updated = coupons.update(book, coupon, input_of(coupons.CouponInput, _options(options)))
        emit_object(updated, as_json=as_json, title="Coupon updated")


def delete(*, coupon: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.discounts import coupons

    with open_ledger(ledger) as book:
        emit_object(coupons.delete(book, coupon), as_json=as_json, title="Coupon deleted")
