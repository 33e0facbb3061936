"""What a credit note is tied to beyond its invoice: a refund made before it
(`refund`), and the email that sends it to the customer (`email_type=credit_note`)."""

from __future__ import annotations

from billcli.core.money import format_amount
from billcli.core.records.credit_notes import CreditNote
from billcli.core.records.invoices import Invoice
from billcli.core.records.payments import Charge, Refund
from billcli.errors import InvalidRequest
from billcli.services.invoicing.lifecycle import write_email
from billcli.services.ledger.lookup import found
from billcli.store.ledger import Tx


def linked_refund(
    tx: Tx, invoice: Invoice, refund_id: str | None, charge: Charge | None
) -> Refund | None:
    """`refund`: a refund already made of the invoice's charge, not yet any credit
    note's, which becomes this one's (no new refund is made); `charge` paid the invoice."""
    if refund_id is None:
        return None
    refund = found("refund", refund_id, tx.refunds.get, param="refund")
    if charge is None or refund.charge != charge.id:
        raise InvalidRequest(
            f"Invalid refund: {refund.id} is not a refund of {invoice.id}'s payment",
            param="refund",
        )
    if refund.credit_note is not None:
        raise InvalidRequest(
            f"Invalid refund: {refund.id} is credit note {refund.credit_note}'s already",
            param="refund",
        )
    return refund


def emailed(tx: Tx, note: CreditNote, invoice: Invoice, pdf: str) -> None:
    """`email_type=credit_note`: the customer is sent the credit note (to the outbox)."""
    if not invoice.customer_email:
        raise InvalidRequest(
            f"Invalid email_type: {invoice.customer} has no email address to send {note.number} to",
            param="email_type",
        )
    write_email(
        tx,
        invoice,
        subject=f"Credit note {note.number} for invoice {invoice.number}",
        body=(
            f"Hello {invoice.customer_name or ''},\n\nCredit note {note.number} credits "
            f"{format_amount(note.total, note.currency)} on invoice {invoice.number}.\n"
            f"Read it: {pdf}\n"
        ).replace("Hello ,", "Hello,"),
    )
