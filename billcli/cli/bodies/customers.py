"""`billcli customers`: the people and companies that are billed."""

import json
import sys
from pathlib import Path
from typing import Any

from billcli.cli.amounts import check as check_amounts
from billcli.cli.running import input_of, open_ledger, print_list, print_search
from billcli.render.output import emit_object


def _details(options: dict[str, Any]) -> dict[str, Any]:
    """The postal and invoicing options in the shapes the service takes (the API's)."""
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core import contact, invoice_settings

    fields = options.get("invoice_custom_fields")
    return options | {
        "address": contact.address_pairs(options.get("address")),
        "shipping": contact.shipping_pairs(options.get("shipping")),
        "invoice_custom_fields": None
        if not fields
        else invoice_settings.pairs(fields, "invoice_custom_field"),
    }


def create(
    *, idempotency_key: str | None, ledger: str | None, as_json: bool, **options: Any
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.customers import customers

    check_amounts(options)
    options = _details(options)
    with open_ledger(ledger) as book:
        created = customers.create(
            book, input_of(customers.CustomerInput, options), idempotency_key=idempotency_key
        )
        emit_object(created, as_json=as_json, title="Customer created")


def list_(*, email: str | None, test_clock: str | None, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.customers import customers

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: customers.list_customers(
                book, request, email=email, test_clock=test_clock
            ),
            "customer",
            **listing,
        )


def show(*, customer: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.customers import customers

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(customers.show(book, customer), as_json=as_json, title="Customer")


def update(*, customer: str, ledger: str | None, as_json: bool, **options: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.customers import customers

    check_amounts(options)
    options = _details(options)
    with open_ledger(ledger) as book:
        updated = customers.update(book, customer, input_of(customers.CustomerInput, options))
        emit_object(updated, as_json=as_json, title="Customer updated")


def delete(*, customer: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.customers import deletion

    with open_ledger(ledger) as book:
        emit_object(deletion.delete(book, customer), as_json=as_json, title="Customer deleted")


def import_(*, file: Path, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.cli.progress import progress
    from billcli.services.customers import customers_import

    size = file.stat().st_size if file.is_file() else 0
    with open_ledger(ledger) as book, progress("importing", total_bytes=size) as on_read:
        result = customers_import.import_file(book, file, progress=on_read)
        if as_json:
            for customer in customers_import.customers_in_order(book, result["ids"]):
                sys.stdout.write(json.dumps(customer) + "\n")
    if not as_json:
        sys.stdout.write("".join(f"{customer_id}\n" for customer_id in result["ids"]))
    sys.stderr.write(
        f"{result['applied']:,} customers created, {result['skipped']:,} "
        f"skipped (idempotency key already used)\n"
    )


def search(*, query: str, **options: Any) -> None:
    print_search("customer", query, **options)
