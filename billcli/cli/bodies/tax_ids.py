"""`billcli customers tax-ids`: add, list, show and delete a customer's tax IDs."""

from typing import Any

from billcli.cli.running import open_ledger, print_list
from billcli.render.output import emit_object


def add(*, customer: str, type_: str, value: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.customers import tax_ids

    with open_ledger(ledger) as book:
        made = tax_ids.create(book, customer, type_, value)
        emit_object(made, as_json=as_json, title="Tax ID added")


def list_(*, customer: str, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.customers import tax_ids

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: tax_ids.list_tax_ids(book, customer, request), "tax_id", **listing
        )


def show(*, customer: str, tax_id: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.customers import tax_ids

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(tax_ids.show(book, customer, tax_id), as_json=as_json, title="Tax ID")


def delete(*, customer: str, tax_id: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.customers import tax_ids

    with open_ledger(ledger) as book:
        gone = tax_ids.delete(book, customer, tax_id)
        emit_object(gone, as_json=as_json, title="Tax ID deleted")
