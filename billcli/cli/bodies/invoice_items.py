"""`billcli invoices items`: charges waiting for an invoice, or lines of a draft."""

from typing import Any

from billcli.cli.amounts import check as check_amounts
from billcli.cli.running import input_of, open_ledger, print_list
from billcli.render.output import emit_object


def _details(options: dict[str, Any]) -> dict[str, Any]:
    """The period's times read, and `--coupon` as the item's own discounts."""
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core.dates import parse_instant

    given = dict(options)
    for name in ("period_start", "period_end"):
        if given.get(name) is not None:
            given[name] = parse_instant(given[name], param=f"period[{name[7:]}]")
    coupons = given.pop("coupon", None)
    if coupons:
        given["discounts"] = tuple(c for c in coupons if c)
    return given


def create(
    *, idempotency_key: str | None, ledger: str | None, as_json: bool, **options: Any
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import items as invoice_items

    check_amounts(options)
    with open_ledger(ledger) as book:
        created = invoice_items.create(
            book,
            input_of(invoice_items.ItemInput, _details(options)),
            idempotency_key=idempotency_key,
        )
        emit_object(created, as_json=as_json, title="Invoice item created")


def list_(
    *,
    customer: str | None,
    invoice: str | None,
    pending: bool,
    ledger: str | None,
    **listing: Any,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import items as invoice_items

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: invoice_items.list_items(
                book, request, customer=customer, invoice=invoice, pending=pending
            ),
            "invoiceitem",
            **listing,
        )


def show(*, item: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import items as invoice_items

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(invoice_items.show(book, item), as_json=as_json, title="Invoice item")


def update(*, item: str, ledger: str | None, as_json: bool, **options: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import items as invoice_items

    check_amounts(options)
    with open_ledger(ledger) as book:
        updated = invoice_items.update(
            book, item, input_of(invoice_items.ItemInput, _details(options))
        )
        emit_object(updated, as_json=as_json, title="Invoice item updated")


def delete(*, item: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import items as invoice_items

    with open_ledger(ledger) as book:
        emit_object(invoice_items.delete(book, item), as_json=as_json, title="Invoice item deleted")
