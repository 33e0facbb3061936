"""Stopping an invoice's collection: it no longer finalizes or charges by itself (and
resuming it).

What a cancellation does to its subscription's unpaid invoices (facts §2.7), and a
customer's deletion to all of theirs: the invoice stays as it is, to be paid, voided or
finalized by hand, but the clock leaves it alone.
"""

from __future__ import annotations

from dataclasses import replace

from billcli.core.payments import next_retry_at
from billcli.core.records.invoices import Invoice
from billcli.services.invoicing.objects import invoice_object, record_invoice
from billcli.store.ledger import Tx


def unscheduled(invoice: Invoice) -> Invoice:
    """An invoice whose `auto_advance` is off has no payment attempt scheduled: nothing
    about it advances by itself (facts §4.2: no payment try, no retry)."""
    return invoice if invoice.auto_advance else replace(invoice, next_payment_attempt=None)


def resumed(tx: Tx, before: Invoice, after: Invoice) -> Invoice:
    """An open invoice whose `auto_advance` is turned back on is collected again (Stripe:
    automatic collection resumes): its next attempt is the retry the schedule holds after
    its attempts so far, or at once when that has passed or it was never attempted;
    none when the schedule is spent (dunning already had its last word)."""
    if (
        before.auto_advance
        or not after.auto_advance
        or after.status != "open"
        or after.collection_method != "charge_automatically"
        or after.amount_remaining <= 0
    ):
        return after
    attempts = tx.attempts.of_invoice(after.id)
    due: int | None = tx.now
    if attempts and after.attempt_count > 0:
        due = next_retry_at(min(a.created for a in attempts), after.attempt_count)
    if due is None:
        return after
    return replace(after, next_payment_attempt=max(due, tx.now))


def stop_collecting(tx: Tx, invoice: Invoice) -> None:
    """`auto_advance` off and no payment attempt scheduled, with `invoice.updated`."""
    if not invoice.auto_advance or invoice.status not in ("draft", "open"):
        return
    before = invoice_object(tx, invoice)
    stopped = unscheduled(replace(invoice, auto_advance=False))
    tx.invoices.save(stopped)
    record_invoice(tx, "invoice.updated", stopped, before)
