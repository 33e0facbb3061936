"""Stopping an invoice's collection: it no longer finalizes or charges by itself.

What a cancellation does to its subscription's unpaid invoices (facts §2.7), and a
customer's deletion to all of theirs: the invoice stays as it is, to be paid, voided or
finalized by hand, but the clock leaves it alone.
"""

from __future__ import annotations

from dataclasses import replace

from billcli.core.records.invoices import Invoice
from billcli.services.invoicing.objects import invoice_object, record_invoice
from billcli.store.ledger import Tx


def unscheduled(invoice: Invoice) -> Invoice:
    """An invoice whose `auto_advance` is off has no payment attempt scheduled: nothing
    about it advances by itself (facts §4.2: no payment try, no retry)."""
    return invoice if invoice.auto_advance else replace(invoice, next_payment_attempt=None)


def stop_collecting(tx: Tx, invoice: Invoice) -> None:
    """`auto_advance` off and no payment attempt scheduled, with `invoice.updated`."""
    if not invoice.auto_advance or invoice.status not in ("draft", "open"):
        return
    before = invoice_object(tx, invoice)
    stopped = unscheduled(replace(invoice, auto_advance=False))
    tx.invoices.save(stopped)
    record_invoice(tx, "invoice.updated", stopped, before)
