"""`billcli credit-notes`: money taken off finalized invoices."""

from dataclasses import replace
from pathlib import Path
from typing import Any

from billcli.cli.amounts import check as check_amounts
from billcli.cli.running import input_of, open_ledger, print_list, write_document
from billcli.render.output import emit_object


def _input(options: dict[str, Any], line: list[str] | None) -> Any:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing.credit_notes import CreditNoteInput

    custom = options.pop("custom_line", None)
    check_amounts(options | {"line": line, "custom_line": custom})
    return input_of(CreditNoteInput, options | {"lines": line, "custom_lines": custom})


def create(
    *,
    line: list[str] | None,
    idempotency_key: str | None,
    ledger: str | None,
    as_json: bool,
    **options: Any,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import credit_notes

    with open_ledger(ledger) as book:
        created = credit_notes.create(book, _input(options, line), idempotency_key=idempotency_key)
        emit_object(created, as_json=as_json, title="Credit note issued")


def preview(*, line: list[str] | None, ledger: str | None, as_json: bool, **options: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import credit_notes

    with open_ledger(ledger, reads_only=True) as book:
        shown = credit_notes.preview(book, _input(options, line))
        emit_object(shown, as_json=as_json, title="Credit note preview (nothing written)")


def list_(*, customer: str | None, invoice: str | None, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import credit_notes

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: credit_notes.list_credit_notes(
                book, request, customer=customer, invoice=invoice
            ),
            "credit_note",
            **listing,
        )


def show(*, credit_note: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import credit_notes

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(credit_notes.show(book, credit_note), as_json=as_json, title="Credit note")


def lines(*, credit_note: str, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import credit_notes

    with open_ledger(ledger, reads_only=True) as book:
        # A line carries no currency in Stripe's object; a table shows its amounts in
        # the credit note's (JSON and CSV keep the object as it is).
        table = not (listing["as_json"] or listing["as_csv"])
        currency = credit_notes.show(book, credit_note)["currency"] if table else None

        def fetch(request: Any) -> Any:
            page = credit_notes.lines(book, credit_note, request)
            if currency is None:
                return page
            return replace(page, data=[{**line, "currency": currency} for line in page.data])

        print_list(fetch, "credit_note_line_item", **listing)


def update(
    *,
    credit_note: str,
    memo: str | None,
    metadata: list[str] | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import credit_notes

    with open_ledger(ledger) as book:
        updated = credit_notes.update(book, credit_note, memo=memo, metadata=tuple(metadata or ()))
        emit_object(updated, as_json=as_json, title="Credit note updated")


def void(*, credit_note: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing import credit_notes

    with open_ledger(ledger) as book:
        emit_object(
            credit_notes.void(book, credit_note), as_json=as_json, title="Credit note voided"
        )


def pdf(*, credit_note: str, output: Path, ledger: str | None) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.render.invoice_pdf import credit_note_pdf
    from billcli.services.invoicing import credit_notes

    with open_ledger(ledger, reads_only=True) as book:
        document = credit_notes.document(book, credit_note)
    write_document(credit_note_pdf(document), output)
