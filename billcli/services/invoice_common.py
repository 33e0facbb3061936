"""What invoice services share: finding invoices and rendering them with their lines."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core import objects
from billcli.core.invoicing import subtotal
from billcli.core.pagination import PageRequest
from billcli.core.records.invoices import Invoice
from billcli.services import settings
from billcli.services.events import record
from billcli.services.lookup import found
from billcli.store.ledger import Tx

EMBEDDED_LINES = 10


def find_invoice(tx: Tx, invoice_id: str, *, param: str = "invoice") -> Invoice:
    return found("invoice", invoice_id, tx.invoices.get, param=param)


def invoice_object(
    tx: Tx, invoice: Invoice, *, finalization_error: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The invoice as Stripe prints it, with its first lines embedded."""
    memo = ("lines", invoice.id)
    if memo in tx.memo:
        items, has_more = tx.memo[memo]
    else:
        items, has_more = tx.invoice_items.lines(invoice.id, PageRequest(EMBEDDED_LINES))
        if invoice.status != "draft":  # a finalized invoice's lines never change
            tx.memo[memo] = items, has_more
    lines = {
        "object": "list",
        "data": [objects.line_item(i) for i in items],
        "has_more": has_more,
        "url": f"/v1/invoices/{invoice.id}/lines",
    }
    customer = tx.customers.get(invoice.customer)
    assert customer is not None, invoice.customer
    return objects.invoice(
        invoice,
        lines,
        customer,
        public_url=settings.value(tx, "public_url"),
        finalization_error=finalization_error,
    )


def with_totals(tx: Tx, invoice: Invoice) -> Invoice:
    """A draft with subtotal, total and amount due recomputed from its lines."""
    total = subtotal(item.amount for item in tx.invoice_items.on_invoice(invoice.id))
    return replace(invoice, subtotal=total, total=total, amount_due=total)


def record_invoice(
    tx: Tx, type_: str, invoice: Invoice, before: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Record an invoice event (with previous attributes for updates); the object."""
    after = invoice_object(tx, invoice)
    previous = None if before is None else objects.changed_attributes(before, after)
    record(tx, type_, after, previous=previous)
    return after
