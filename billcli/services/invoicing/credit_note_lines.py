"""A credit note's lines: what each takes of the invoice line it credits (by amount or
by quantity), given what the invoice's earlier credit notes already took of it, and the
tax it takes back (`core.tax`: the line's own rates on what is credited, all that is
left of it when the line is credited whole; a credit of an amount takes the same share
of each rate's tax that is left on the invoice)."""

from __future__ import annotations

from dataclasses import replace

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
from billcli.core.tax import (
    TaxAmount,
    credited_taxes,
    exclusive,
    kept,
    loaded,
    shared_taxes,
    summed,
)
from billcli.errors import InvalidRequest
from billcli.services.taxes.rates import arithmetic
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
    own (`--custom-line`, untaxed), or one line of `--amount` (tax included: it takes
    back its share of the invoice's tax)."""
    if not specs and not custom:
        amount = parse_amount(str(amount_text), invoice.currency)
        taxes = _share_of_tax(tx, invoice, amount)
        gross = amount - exclusive(taxes)
        own = CustomLine(f"Credit on invoice {invoice.number}", 1, gross)
        return [_custom_line(tx, own, cn_id, taxes)]
    made = _invoice_lines(tx, invoice, specs, cn_id)
    for n, spec in enumerate(custom):
        made.append(_custom_line(tx, parse_custom_line(spec, invoice.currency, n), cn_id))
    return made


def _custom_line(
    tx: Tx, line: CustomLine, cn_id: str, taxes: list[TaxAmount] | None = None
) -> CreditNoteLine:
    taxes = taxes or []
    return CreditNoteLine(
        id=new_id("credit_note_line_item"),
        credit_note=cn_id,
        created=tx.now,
        type="custom_line_item",
        amount=line.amount,
        quantity=line.quantity,
        unit_amount=line.unit_amount,
        description=line.description,
        tax_rates=[t.tax_rate for t in taxes],
        tax_amounts=kept(taxes),
    )


def _invoice_lines(
    tx: Tx, invoice: Invoice, specs: tuple[str, ...], cn_id: str
) -> list[CreditNoteLine]:
    """The lines crediting parts of the invoice's lines, each within what is left of it."""
    by_line = {item.line_id: item for item in tx.invoice_items.on_invoice(invoice.id)}
    so_far = _credited(tx, invoice.id)
    taxed_before = _tax_credited(tx, invoice.id)
    made = []
    for n, spec in enumerate(specs):
        ask = parse_line(spec, invoice.currency, n)
        item = by_line.get(ask.line)
        if item is None:
            raise InvalidRequest(
                f"Invalid lines[{n}]: {ask.line} is not a line of {invoice.id}",
                param=f"lines[{n}]",
            )
        before = so_far.get(ask.line, LineSoFar())
        taken = credit_line(_invoice_line(item), ask, before, n)
        so_far[ask.line] = _after(before, taken)
        charged = loaded(item.tax_amounts)
        back = taxed_before.setdefault(ask.line, {})
        taxes = credited_taxes(
            arithmetic(tx, [t.tax_rate for t in charged]),
            taken.amount - taken.discount_amount,
            charged,
            back,
            completes=before.amount + taken.amount == item.amount,
        )
        for t in taxes:
            back[t.tax_rate] = back.get(t.tax_rate, 0) + t.amount
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
                tax_rates=[t.tax_rate for t in taxes],
                tax_amounts=kept(taxes),
            )
        )
    return made


def _tax_credited(tx: Tx, invoice_id: str) -> dict[str, dict[str, int]]:
    """What the invoice's issued credit notes took back of each line's tax, per rate."""
    taken: dict[str, dict[str, int]] = {}
    for line in tx.credit_note_lines.of_invoice(invoice_id):
        if line.invoice_line_item is None:
            continue
        back = taken.setdefault(line.invoice_line_item, {})
        for t in loaded(line.tax_amounts):
            back[t.tax_rate] = back.get(t.tax_rate, 0) + t.amount
    return taken


def _share_of_tax(tx: Tx, invoice: Invoice, credited: int) -> list[TaxAmount]:
    """The tax a credit of `credited` (tax included) takes back: the same share of what
    is left of each rate's tax on the invoice, after its issued credit notes."""
    if not invoice.tax_amounts:
        return []
    notes = [cn for cn in tx.credit_notes.of_invoice(invoice.id) if cn.status == "issued"]
    taken = {t.tax_rate: t.amount for t in summed(loaded(cn.tax_amounts) for cn in notes)}
    left = [
        replace(t, amount=t.amount - taken.get(t.tax_rate, 0)) for t in loaded(invoice.tax_amounts)
    ]
    return shared_taxes(left, invoice.total - sum(cn.total for cn in notes), credited)


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
