"""Credit notes: create (or preview), show, list, their lines, memo and metadata, void.

Every credit note is made by `create_in`, which a preview runs too, in a savepoint it
always rolls back: what `credit-notes preview` shows is what `create` would do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import credit_note_objects, limits
from billcli.core.credit_notes import REASONS, check_room, kind_of, number, split
from billcli.core.ids import new_id
from billcli.core.invoicing import check_choice
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import format_amount, parse_amount
from billcli.core.pagination import Page, PageRequest
from billcli.core.records.credit_notes import CreditNote, CreditNoteLine
from billcli.core.records.invoices import Invoice
from billcli.core.records.payments import Charge
from billcli.core.tax import Totals, kept, loaded, summed
from billcli.errors import InvalidRequest, LinkExpired
from billcli.services.customers.balance import post, record_customer_update
from billcli.services.invoicing import credit_note_links
from billcli.services.invoicing.credit_note_lines import credit_note_lines
from billcli.services.invoicing.lifecycle import mark_paid_in
from billcli.services.invoicing.objects import find_invoice, invoice_object, record_invoice
from billcli.services.ledger import settings
from billcli.services.ledger.events import record, record_update
from billcli.services.ledger.idempotency import once
from billcli.services.ledger.lookup import found
from billcli.services.payments import intents
from billcli.services.payments.refunds import paid_by, refund_in
from billcli.services.taxes.rates import rate_objects
from billcli.store.ledger import Ledger, Tx

EMBEDDED_LINES = 10


@dataclass(frozen=True)
class CreditNoteInput:
    """`credit-notes create` (and `preview`) as typed."""

    invoice: str | None = None
    amount: str | None = None
    lines: tuple[str, ...] = ()
    custom_lines: tuple[str, ...] = ()  # UNIT_AMOUNT[xQUANTITY]:DESCRIPTION
    reason: str | None = None
    credit_amount: str | None = None
    refund_amount: str | None = None
    out_of_band_amount: str | None = None
    memo: str | None = None
    metadata: tuple[str, ...] = ()
    effective_at: int | None = None  # the date of issue it prints, when not its creation
    email_type: str | None = None  # credit_note: emailed to the customer; none: not
    refund: str | None = None  # a refund of the invoice's charge made already, linked

    def checked(self) -> CreditNoteInput:
        if self.invoice is None:
            raise InvalidRequest("Missing invoice: give --invoice", param="invoice")
        if self.amount is None and not self.lines and not self.custom_lines:
            raise InvalidRequest(
                "Missing amount: give --amount, or --line LINE:AMOUNT / LINE:xQUANTITY, or "
                "--custom-line UNIT_AMOUNT[xQUANTITY]:DESCRIPTION",
                param="amount",
            )
        if self.reason is not None:
            check_choice(self.reason, REASONS, "reason")
        limits.text("credit_note", "memo", self.memo)
        limits.choice(self.email_type, limits.ENUMS["email_type"], "email_type")
        if self.refund is not None and self.refund_amount is not None:
            raise InvalidRequest(
                "Invalid refund_amount: a linked refund is the credit note's refund; give "
                "refund or refund_amount",
                param="refund_amount",
            )
        parse_pairs(self.metadata)
        return self


def find(tx: Tx, credit_note_id: str, *, param: str = "credit_note") -> CreditNote:
    return found(tx, "credit_note", credit_note_id, tx.credit_notes.get, param=param)


def credit_note_object(tx: Tx, cn: CreditNote) -> dict[str, Any]:
    lines, has_more = tx.credit_note_lines.page(cn.id, PageRequest(EMBEDDED_LINES))
    return credit_note_objects.credit_note(
        cn, line_objects(tx, lines), has_more=has_more, pdf=pdf_url(tx, cn)
    )


def line_objects(tx: Tx, lines: list[CreditNoteLine]) -> list[dict[str, Any]]:
    """Credit note lines, each with the tax rates it takes tax back at."""
    return [
        credit_note_objects.credit_note_line(line, rate_objects(tx, line.tax_rates))
        for line in lines
    ]


def pdf_url(tx: Tx, cn: CreditNote) -> str:
    """Beside its invoice's hosted page, whose secret is the capability to read both."""
    invoice = tx.invoices.get(cn.invoice)
    secret = invoice.page_secret if invoice else None
    return f"{settings.value(tx, 'public_url')}/i/{secret}/credit_notes/{cn.id}/pdf"


def create(
    ledger: Ledger, data: CreditNoteInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    data.checked()
    with ledger.write() as tx:
        return once(
            tx,
            "credit_notes.create",
            idempotency_key,
            dict(vars(data)),
            lambda: create_in(tx, data),
        )


def preview(ledger: Ledger, data: CreditNoteInput) -> dict[str, Any]:
    """What `create` would make, made and undone: nothing is written (in a write
    transaction all the same, so no other process can write between its reads and the
    writes it undoes)."""
    data.checked()
    with ledger.write() as tx, tx.scratch():
        return create_in(tx, data)


def create_in(tx: Tx, data: CreditNoteInput) -> dict[str, Any]:
    invoice = find_invoice(tx, str(data.invoice))
    kind = kind_of(invoice.id, invoice.status)
    cn_id = new_id("credit_note")
    lines = credit_note_lines(tx, invoice, data.amount, data.lines, cn_id, data.custom_lines)
    totals = Totals(
        sum(line.amount for line in lines),
        sum(line.discount_amount for line in lines),
        summed(loaded(line.tax_amounts) for line in lines),
    )
    subtotal, discount, total = totals.subtotal, totals.discount, totals.total
    itemized = bool(data.lines or data.custom_lines)
    if data.amount is not None and itemized:
        asked = parse_amount(data.amount, invoice.currency)
        if asked != total:
            raise InvalidRequest(
                f"Invalid amount: {format_amount(asked, invoice.currency)} differs from the "
                f"lines' total ({format_amount(total, invoice.currency)})",
                param="amount",
            )
    earlier = [cn for cn in tx.credit_notes.of_invoice(invoice.id) if cn.status == "issued"]
    room = invoice.total - sum(cn.total for cn in earlier)
    if kind == "pre_payment":
        room = min(room, invoice.amount_remaining)
    check_room(total, room, invoice.currency, param="lines" if itemized else "amount")
    charge = _paid_by(tx, invoice) if invoice.status == "paid" else None
    linked = credit_note_links.linked_refund(tx, invoice, data.refund, charge)
    refunds = split(
        total,
        kind,
        {
            "credit_amount": _amount(data.credit_amount, invoice, "credit_amount"),
            "refund_amount": _amount(data.refund_amount, invoice, "refund_amount")
            if linked is None
            else linked.amount,
            "out_of_band_amount": _amount(data.out_of_band_amount, invoice, "out_of_band_amount"),
        },
        refundable=_refundable(tx, invoice) + (0 if linked is None else linked.amount),
        currency=invoice.currency,
    )
    note = CreditNote(
        id=cn_id,
        invoice=invoice.id,
        customer=invoice.customer,
        created=tx.now,
        number=number(str(invoice.number), len(tx.credit_notes.of_invoice(invoice.id))),
        currency=invoice.currency,
        type=kind,
        subtotal=subtotal,
        discount_amount=discount,
        total=total,
        reason=data.reason,
        memo=data.memo or None,
        metadata=merged({}, parse_pairs(data.metadata)),
        credit_amount=refunds.credit,
        refund_amount=refunds.refund,
        out_of_band_amount=refunds.out_of_band,
        discount=invoice.discount if discount else None,
        effective_at=data.effective_at,
        tax_amounts=kept(totals.taxes),
    )
    tx.credit_notes.add(note)
    tx.credit_note_lines.add_many(lines)
    if linked is not None:
        tx.refunds.save(replace(linked, credit_note=note.id))
        note = replace(note, refund=linked.id)
        tx.credit_notes.save(note)
    elif refunds.refund:
        note = _refunded(tx, note, invoice)
    if refunds.credit:
        note = _to_balance(tx, note)
    shown = credit_note_object(tx, note)
    record(tx, "credit_note.created", shown)
    _credited_invoice(tx, note, invoice)
    if data.email_type == "credit_note":
        credit_note_links.emailed(tx, note, invoice, str(shown["pdf"]))
    return shown


def _amount(text: str | None, invoice: Invoice, param: str) -> int | None:
    return None if text is None else parse_amount(text, invoice.currency, param=param)


def _paid_by(tx: Tx, invoice: Invoice) -> Charge | None:
    """The succeeded charge that paid the invoice (none when paid out of band)."""
    return paid_by(tx, tx.payment_intents.get(invoice.payment_intent or ""))


def _refundable(tx: Tx, invoice: Invoice) -> int:
    """What the card paid and was not refunded yet, by credit notes or directly."""
    charge = None if invoice.status != "paid" else _paid_by(tx, invoice)
    return 0 if charge is None else charge.amount - charge.amount_refunded


def _refunded(tx: Tx, note: CreditNote, invoice: Invoice) -> CreditNote:
    """The credit note with its `refund_amount` refunded on the invoice's charge."""
    charge = _paid_by(tx, invoice)
    assert charge is not None, invoice.id
    reason = note.reason if note.reason in ("duplicate", "fraudulent") else None
    made = refund_in(tx, charge, note.refund_amount, reason=reason, credit_note=note.id)
    note = replace(note, refund=made.id)
    tx.credit_notes.save(note)
    return note


def _to_balance(tx: Tx, note: CreditNote) -> CreditNote:
    """The credit note with its `credit_amount` on the customer's balance."""
    customer = tx.customers.get(note.customer)
    assert customer is not None, note.customer
    after, txn = post(
        tx,
        customer,
        -note.credit_amount,
        note.currency,
        "credit_note",
        invoice=note.invoice,
        credit_note=note.id,
        param="credit_amount",
    )
    record_customer_update(tx, customer, after)
    note = replace(note, customer_balance_transaction=txn.id)
    tx.credit_notes.save(note)
    return note


def _credited_invoice(tx: Tx, note: CreditNote, invoice: Invoice) -> None:
    """The invoice with the credit note counted: less due on an unpaid invoice (paid
    once nothing remains), more credited after payment on a paid one."""
    before = invoice_object(tx, invoice)
    if note.type == "pre_payment":
        changed = replace(
            invoice,
            amount_due=invoice.amount_due - note.total,
            pre_payment_credit_notes_amount=invoice.pre_payment_credit_notes_amount + note.total,
        )
    else:
        changed = replace(
            invoice,
            post_payment_credit_notes_amount=invoice.post_payment_credit_notes_amount + note.total,
        )
    tx.invoices.save(changed)
    record_invoice(tx, "invoice.updated", changed, before)
    if note.type == "pre_payment" and changed.amount_remaining == 0:
        mark_paid_in(tx, changed)
    elif note.type == "pre_payment":
        intents.for_invoice(tx, changed)  # its intent asks for what remains


def update(
    ledger: Ledger, credit_note_id: str, *, memo: str | None, metadata: tuple[str, ...]
) -> dict[str, Any]:
    """Only the memo and metadata of a credit note change (Stripe's rule)."""
    limits.text("credit_note", "memo", memo)
    changes = parse_pairs(metadata)
    with ledger.write() as tx:
        before = find(tx, credit_note_id, param="id")
        after = replace(
            before,
            memo=before.memo if memo is None else (memo or None),
            metadata=merged(before.metadata, changes),
        )
        return record_update(
            tx,
            "credit_note.updated",
            before,
            after,
            save=tx.credit_notes.save,
            show=lambda note: credit_note_object(tx, note),
        )


def void(ledger: Ledger, credit_note_id: str) -> dict[str, Any]:
    """Void a credit note of an invoice still unpaid: what it took off is due again."""
    with ledger.write() as tx:
        note = find(tx, credit_note_id, param="id")
        if note.status == "void":
            raise InvalidRequest(f"Invalid id: {note.id} is already void", param="id")
        invoice = find_invoice(tx, note.invoice)
        if note.type != "pre_payment" or invoice.status not in ("open", "uncollectible"):
            raise InvalidRequest(
                f"Invalid id: {note.id} credits {invoice.id}, which is {invoice.status}; only "
                "credit notes of invoices still open can be voided",
                param="id",
            )
        voided = replace(note, status="void", voided_at=tx.now)
        tx.credit_notes.save(voided)
        before = invoice_object(tx, invoice)
        restored = replace(
            invoice,
            amount_due=invoice.amount_due + note.total,
            pre_payment_credit_notes_amount=invoice.pre_payment_credit_notes_amount - note.total,
        )
        tx.invoices.save(restored)
        record_invoice(tx, "invoice.updated", restored, before)
        intents.for_invoice(tx, restored)
        shown = credit_note_object(tx, voided)
        record(tx, "credit_note.voided", shown)
        return shown


def show(ledger: Ledger, credit_note_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return credit_note_object(tx, find(tx, credit_note_id, param="id"))


def list_credit_notes(
    ledger: Ledger,
    request: PageRequest,
    *,
    customer: str | None = None,
    invoice: str | None = None,
) -> Page:
    with ledger.read() as tx:
        notes, has_more = tx.credit_notes.page(request, customer=customer, invoice=invoice)
        return Page("/v1/credit_notes", [credit_note_object(tx, n) for n in notes], has_more)


def lines(ledger: Ledger, credit_note_id: str, request: PageRequest) -> Page:
    with ledger.read() as tx:
        note = find(tx, credit_note_id, param="id")
        found_lines, has_more = tx.credit_note_lines.page(note.id, request)
        data = line_objects(tx, found_lines)
    return Page(f"/v1/credit_notes/{credit_note_id}/lines", data, has_more)


@dataclass(frozen=True)
class CreditNoteDocument:
    """A credit note with every line and its invoice: what its PDF shows."""

    credit_note: dict[str, Any]
    lines: list[dict[str, Any]]
    invoice: dict[str, Any]
    refunded: int


def _document(tx: Tx, note: CreditNote) -> CreditNoteDocument:
    invoice = find_invoice(tx, note.invoice)
    return CreditNoteDocument(
        credit_note_object(tx, note),
        line_objects(tx, tx.credit_note_lines.of(note.id)),
        invoice_object(tx, invoice),
        note.refund_amount,
    )


def document(ledger: Ledger, credit_note_id: str) -> CreditNoteDocument:
    with ledger.read() as tx:
        return _document(tx, find(tx, credit_note_id, param="credit_note"))


def document_on_page(ledger: Ledger, secret: str, credit_note_id: str) -> CreditNoteDocument:
    """A credit note of the invoice whose hosted page `secret` opens, and no other."""
    with ledger.read() as tx:
        invoice = tx.invoices.by_page_secret(secret)
        note = tx.credit_notes.get(credit_note_id)
        if invoice is None or note is None or note.invoice != invoice.id:
            raise LinkExpired("This credit note link is not valid.")
        return _document(tx, note)


def of_invoice(tx: Tx, invoice_id: str) -> list[dict[str, Any]]:
    """An invoice's credit notes, oldest first (its hosted page and PDF list them)."""
    return [credit_note_object(tx, cn) for cn in tx.credit_notes.of_invoice(invoice_id)]
