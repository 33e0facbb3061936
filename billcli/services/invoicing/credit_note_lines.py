"""A credit note's lines: what each takes of the invoice line it credits (by amount or
by quantity), given what the invoice's earlier credit notes already took of it."""

from __future__ import annotations

from billcli.core.credit_notes import (
    CustomLine,
    InvoiceLine,
    LineCredit,
    LineSoFar,
    credit_line,
    parse_custom_line,
    parse_line,
)
from billcli.core.ids import new_id
from billcli.core.money import parse_amount
from billcli.core.records.credit_notes import CreditNoteLine
from billcli.core.records.invoices import Invoice, InvoiceItem
from billcli.errors import InvalidRequest
from billcli.store.ledger import Tx


def credit_note_lines(
    tx: Tx,
    invoice: Invoice,
    amount_text: str | None,
    specs: tuple[str, ...],
    cn_id: str,
    custom: tuple[str, ...] = (),
) -> list[CreditNoteLine]:
    """The credit note's lines: the invoice lines asked for (`--line`) and lines of its
    own (`--custom-line`), or one line of `--amount`."""
    if not specs and not custom:
        amount = parse_amount(str(amount_text), invoice.currency)
        own = CustomLine(f"Credit on invoice {invoice.number}", 1, amount)
        return [_custom_line(tx, own, cn_id)]
    made = _invoice_lines(tx, invoice, specs, cn_id)
    for n, spec in enumerate(custom):
        made.append(_custom_line(tx, parse_custom_line(spec, invoice.currency, n), cn_id))
    return made


def _custom_line(tx: Tx, line: CustomLine, cn_id: str) -> CreditNoteLine:
    return CreditNoteLine(
        id=new_id("credit_note_line_item"),
        credit_note=cn_id,
        created=tx.now,
        type="custom_line_item",
        amount=line.amount,
        quantity=line.quantity,
        unit_amount=line.unit_amount,
        description=line.description,
    )


def _invoice_lines(
    tx: Tx, invoice: Invoice, specs: tuple[str, ...], cn_id: str
) -> list[CreditNoteLine]:
    """The lines crediting parts of the invoice's lines, each within what is left of it."""
    by_line = {item.line_id: item for item in tx.invoice_items.on_invoice(invoice.id)}
    so_far = _credited(tx, invoice.id)
    made = []
    for n, spec in enumerate(specs):
        ask = parse_line(spec, invoice.currency, n)
        item = by_line.get(ask.line)
        if item is None:
            raise InvalidRequest(
                f"Invalid lines[{n}]: {ask.line} is not a line of {invoice.id}",
                param=f"lines[{n}]",
            )
        taken = credit_line(_invoice_line(item), ask, so_far.get(ask.line, LineSoFar()), n)
        so_far[ask.line] = _after(so_far.get(ask.line, LineSoFar()), taken)
        made.append(
            CreditNoteLine(
                id=new_id("credit_note_line_item"),
                credit_note=cn_id,
                created=tx.now,
                type="invoice_line_item",
                amount=taken.amount,
                discount_amount=taken.discount_amount,
                invoice_line_item=ask.line,
                quantity=taken.quantity,
                unit_amount=taken.unit_amount,
                description=item.description,
            )
        )
    return made


def _invoice_line(item: InvoiceItem) -> InvoiceLine:
    return InvoiceLine(
        id=str(item.line_id),
        amount=item.amount,
        quantity=item.quantity,
        unit_amount=item.unit_price,
        discount_amount=item.discount_amount,
        description=item.description,
    )


def _credited(tx: Tx, invoice_id: str) -> dict[str, LineSoFar]:
    """What the invoice's issued credit notes took of each of its lines."""
    so_far: dict[str, LineSoFar] = {}
    for line in tx.credit_note_lines.of_invoice(invoice_id):
        if line.invoice_line_item is None:
            continue
        taken = LineCredit(line.amount, line.discount_amount, line.quantity, line.unit_amount)
        so_far[line.invoice_line_item] = _after(
            so_far.get(line.invoice_line_item, LineSoFar()), taken
        )
    return so_far


def _after(so_far: LineSoFar, taken: LineCredit) -> LineSoFar:
    return LineSoFar(
        amount=so_far.amount + taken.amount,
        quantity=so_far.quantity + (taken.quantity or 0),
        by_quantity=so_far.by_quantity or taken.quantity is not None,
        by_amount=so_far.by_amount or taken.quantity is None,
    )
