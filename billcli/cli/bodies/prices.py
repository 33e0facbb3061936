"""`billcli prices`: what a product costs, once or every period."""

from typing import Any

from billcli.cli.amounts import check as check_amounts
from billcli.cli.running import input_of, open_ledger, print_list, print_search
from billcli.render.output import emit_object


def _options(options: dict[str, Any]) -> dict[str, Any]:
    """`--currency-option`, `--divide-by` and `--round` as the API's objects."""
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core.price_options import option_pairs

    given = dict(options)
    given["currency_options"] = option_pairs(given.pop("currency_option", None))
    divide_by, rounding = given.pop("divide_by", None), given.pop("round_", None)
    if divide_by is not None or rounding is not None:
        given["transform_quantity"] = {
            key: value
            for key, value in (("divide_by", divide_by), ("round", rounding))
            if value is not None
        }
    return given


def create(
    *, idempotency_key: str | None, ledger: str | None, as_json: bool, **options: Any
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.catalog import price_making, prices

    check_amounts(options)
    with open_ledger(ledger) as book:
        created = prices.create(
            book,
            input_of(price_making.PriceInput, _options(options)),
            idempotency_key=idempotency_key,
        )
        emit_object(created, as_json=as_json, title="Price created")


def list_(
    *,
    product: str | None,
    active: bool | None,
    type_: str | None,
    lookup_key: list[str] | None,
    currency: str | None,
    ledger: str | None,
    **listing: Any,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.catalog import prices

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: prices.list_prices(
                book,
                request,
                product=product,
                active=active,
                type_=type_,
                lookup_keys=tuple(lookup_key or ()),
                currency=currency,
            ),
            "price",
            **listing,
        )


def show(*, price: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.catalog import prices

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(prices.show(book, price), as_json=as_json, title="Price")


def update(*, price: str, ledger: str | None, as_json: bool, **options: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.catalog import price_making, prices

    with open_ledger(ledger) as book:
        updated = prices.update(book, price, input_of(price_making.PriceInput, _options(options)))
        emit_object(updated, as_json=as_json, title="Price updated")


def search(*, query: str, **options: Any) -> None:
    print_search("price", query, **options)
