"""`billcli balance`: the customer balance transaction ledger (credits and debits)."""

from pathlib import Path
from typing import Any

from billcli.cli.amounts import check as check_amounts
from billcli.cli.running import open_ledger, print_list
from billcli.render.output import emit_object


def create(
    *,
    customer: str,
    amount: str,
    currency: str | None,
    description: str | None,
    metadata: list[str] | None,
    idempotency_key: str | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.customers import balance

    check_amounts({"amount": amount, "currency": currency})
    request = balance.AdjustmentInput(
        customer, amount, currency, description, tuple(metadata or ())
    )
    with open_ledger(ledger) as book:
        emit_object(
            balance.create(book, request, idempotency_key=idempotency_key),
            as_json=as_json,
            title="Balance transaction created",
        )


def list_(*, customer: str, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.customers import balance

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: balance.list_transactions(book, customer, request),
            "customer_balance_transaction",
            **listing,
        )


def show(*, customer: str, transaction: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.customers import balance

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(
            balance.show(book, customer, transaction), as_json=as_json, title="Balance transaction"
        )


def update(
    *,
    customer: str,
    transaction: str,
    description: str | None,
    metadata: list[str] | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.customers import balance

    with open_ledger(ledger) as book:
        updated = balance.update(
            book, customer, transaction, description=description, metadata=tuple(metadata or ())
        )
        emit_object(updated, as_json=as_json, title="Balance transaction updated")


def import_(*, file: Path, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.cli.progress import progress
    from billcli.services.customers import balance_import

    size = file.stat().st_size if file.is_file() else 0
    with open_ledger(ledger) as book, progress("importing", total_bytes=size) as on_read:
        summary = balance_import.import_file(book, file, progress=on_read)
    emit_object(summary, as_json=as_json, title="Balance import")
