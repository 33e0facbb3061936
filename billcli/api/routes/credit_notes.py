"""Credit notes, their lines and previews."""

from __future__ import annotations

from typing import Any

from billcli.api.handlers import listed, paging, required, route
from billcli.api.params import Params
from billcli.errors import InvalidRequest
from billcli.services.invoicing import credit_notes
from billcli.services.invoicing.credit_notes import CreditNoteInput
from billcli.store.ledger import Ledger

LINE_TYPES = ("invoice_line_item", "custom_line_item")


def _refund(p: Params) -> str | None:
    """`refund`, or the newer `refunds[0][refund]` (one refund, linked whole: billcli
    keeps one refund per credit note; payment records are not modelled)."""
    entries = p.each("refunds")
    if len(entries) > 1:
        raise InvalidRequest(
            "Invalid refunds: billcli links one refund to a credit note", param="refunds"
        )
    linked = p.text("refund")
    for entry in entries:
        entry.choice("type", ("refund",))
        entry.refuse("payment_record_refund")
        linked = required(entry.text("refund"), entry.spelled("refund"))
        if entry.has("amount_refunded"):
            raise InvalidRequest(
                f"Invalid {entry.spelled('amount_refunded')}: billcli links a refund whole",
                param=entry.spelled("amount_refunded"),
            )
        entry.unknown()
    return linked


def _lines(p: Params) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`lines[n]` as the services' specs: invoice lines (`IL:AMOUNT`, `IL:xQTY`) and
    lines of the credit note's own (`UNIT_AMOUNT[xQTY]:DESCRIPTION`)."""
    lines, custom = [], []
    for n, line in enumerate(p.maps("lines")):
        kind = line.get("type") or "invoice_line_item"
        if kind not in LINE_TYPES:
            raise InvalidRequest(
                f"Invalid lines[{n}][type]: must be one of {', '.join(LINE_TYPES)}",
                param=f"lines[{n}][type]",
            )
        if line.get("tax_rates") not in (None, "", []):
            raise InvalidRequest(
                f"Invalid lines[{n}][tax_rates]: billcli does not model tax rates yet",
                param=f"lines[{n}][tax_rates]",
            )
        quantity = line.get("quantity")
        if kind == "custom_line_item":
            unit = required(line.get("unit_amount"), f"lines[{n}][unit_amount]")
            description = required(line.get("description"), f"lines[{n}][description]")
            custom.append(f"{unit}x{quantity or 1}:{description}")
            continue
        item = required(line.get("invoice_line_item"), f"lines[{n}][invoice_line_item]")
        if quantity is not None:
            lines.append(f"{item}:x{quantity}")
        else:
            lines.append(f"{item}:{required(line.get('amount'), f'lines[{n}][amount]')}")
    return tuple(lines), tuple(custom)


def _credit_note_input(p: Params) -> Any:
    p.refuse("shipping_cost")
    lines, custom = _lines(p)
    return CreditNoteInput(
        invoice=required(p.text("invoice"), "invoice"),
        amount=p.amount("amount"),
        lines=lines,
        custom_lines=custom,
        reason=p.text("reason"),
        credit_amount=p.amount("credit_amount"),
        refund_amount=p.amount("refund_amount"),
        out_of_band_amount=p.amount("out_of_band_amount"),
        memo=p.text("memo"),
        metadata=p.metadata(),
        effective_at=p.integer("effective_at"),
        email_type=p.text("email_type"),
        refund=_refund(p),
    )


@route("POST", "/v1/credit_notes")
def create_credit_note(ledger: Ledger, p: Params) -> Any:
    data = _credit_note_input(p)
    p.unknown()
    return credit_notes.create(ledger, data)


@route("GET", "/v1/credit_notes/preview", previews=True)
def preview_credit_note(ledger: Ledger, p: Params) -> Any:
    data = _credit_note_input(p)
    p.unknown()
    return credit_notes.preview(ledger, data)


@route("GET", "/v1/credit_notes/preview/lines", previews=True)
def preview_lines(ledger: Ledger, p: Params) -> Any:
    paging(p)
    return preview_credit_note.handler(ledger, p)["lines"]


@route("GET", "/v1/credit_notes/{id}")
def retrieve_credit_note(ledger: Ledger, p: Params, id: str) -> Any:
    p.unknown()
    return credit_notes.show(ledger, id)


@route("POST", "/v1/credit_notes/{id}")
def update_credit_note(ledger: Ledger, p: Params, id: str) -> Any:
    current = credit_notes.show(ledger, id)
    memo, metadata = p.text("memo", clearable=True), p.metadata(current["metadata"])
    p.unknown()
    return credit_notes.update(ledger, id, memo=memo, metadata=metadata)


@route("POST", "/v1/credit_notes/{id}/void")
def void_credit_note(ledger: Ledger, p: Params, id: str) -> Any:
    p.unknown()
    return credit_notes.void(ledger, id)


@route("GET", "/v1/credit_notes/{credit_note}/lines")
def credit_note_lines(ledger: Ledger, p: Params, credit_note: str) -> Any:
    request = paging(p)
    p.unknown()
    return listed(credit_notes.lines(ledger, credit_note, request))


@route("GET", "/v1/credit_notes")
def list_credit_notes(ledger: Ledger, p: Params) -> Any:
    request, customer, invoice = paging(p, created=True), p.text("customer"), p.text("invoice")
    p.refuse("customer_account")
    p.unknown()
    return listed(
        credit_notes.list_credit_notes(ledger, request, customer=customer, invoice=invoice)
    )


ROUTES = [
    preview_credit_note,
    preview_lines,
    create_credit_note,
    list_credit_notes,
    retrieve_credit_note,
    update_credit_note,
    void_credit_note,
    credit_note_lines,
]
