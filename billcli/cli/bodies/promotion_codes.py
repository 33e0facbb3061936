"""`billcli promotion-codes`: codes customers type to redeem a coupon."""

from typing import Any

from billcli.cli.amounts import check as check_amounts
from billcli.cli.running import input_of, open_ledger, print_list
from billcli.errors import InvalidRequest
from billcli.render.output import emit_object


def create(
    *,
    expires_at: str | None,
    minimum_amount: str | None,
    minimum_amount_currency: str | None,
    idempotency_key: str | None,
    ledger: str | None,
    as_json: bool,
    **options: Any,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core.dates import parse_instant
    from billcli.core.money import normalize_currency, parse_amount
    from billcli.services.discounts import promotion_codes

    check_amounts({"minimum_amount": minimum_amount, "currency": minimum_amount_currency})
    minimum = None
    if minimum_amount is not None:
        param = "minimum_amount_currency"
        if minimum_amount_currency is None:
            raise InvalidRequest(
                "Missing minimum_amount_currency: --minimum-amount needs its currency",
                param=param,
            )
        currency = normalize_currency(minimum_amount_currency, param=param)
        minimum = parse_amount(minimum_amount, currency, param="minimum_amount")
    expiry = None if expires_at is None else parse_instant(expires_at, param="expires_at")
    given = {"expires_at": expiry, "minimum_amount": minimum}
    data = input_of(
        promotion_codes.PromotionCodeInput,
        options | given | {"minimum_amount_currency": minimum_amount_currency},
    )
    with open_ledger(ledger) as book:
        created = promotion_codes.create(book, data, idempotency_key=idempotency_key)
        emit_object(created, as_json=as_json, title="Promotion code created")


def update(
    *,
    promotion_code: str,
    active: bool | None,
    metadata: list[str] | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.discounts import promotion_codes

    with open_ledger(ledger) as book:
        updated = promotion_codes.update(
            book, promotion_code, active_=active, metadata=tuple(metadata or ())
        )
        emit_object(updated, as_json=as_json, title="Promotion code updated")


def list_(
    *,
    code: str | None,
    coupon: str | None,
    active: bool | None,
    ledger: str | None,
    **listing: Any,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.discounts import promotion_codes

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: promotion_codes.list_promotion_codes(
                book, request, code=code, coupon=coupon, active_=active
            ),
            "promotion_code",
            **listing,
        )


def show(*, promotion_code: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.discounts import promotion_codes

    with open_ledger(ledger, reads_only=True) as book:
        shown = promotion_codes.show(book, promotion_code)
        emit_object(shown, as_json=as_json, title="Promotion code")
