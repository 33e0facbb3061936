"""What invoice services share: finding invoices and rendering them with their lines."""

from __future__ import annotations

from typing import Any

from billcli.core import invoice_objects, objects
from billcli.core.pagination import PageRequest
from billcli.core.records.invoices import Invoice, InvoiceItem
from billcli.core.tax_id_objects import invoice_tax_ids
from billcli.services.discounts.applicable import discount_object
from billcli.services.ledger import settings
from billcli.services.ledger.events import record
from billcli.services.ledger.lookup import catalog, found
from billcli.services.taxes.applied import totalled
from billcli.services.taxes.rates import rate_objects
from billcli.store.ledger import Tx

EMBEDDED_LINES = 10


def find_invoice(tx: Tx, invoice_id: str, *, param: str = "invoice") -> Invoice:
    return found(tx, "invoice", invoice_id, tx.invoices.get, param=param)


def invoice_object(
    tx: Tx,
    invoice: Invoice,
    *,
    finalization_error: dict[str, Any] | None = None,
    preview_lines: list[InvoiceItem] | None = None,
) -> dict[str, Any]:
    """The invoice as Stripe prints it, with its first lines embedded (or, for a preview
    that is not stored, the lines it would have)."""
    if preview_lines is not None:
        items, has_more = preview_lines[:EMBEDDED_LINES], len(preview_lines) > EMBEDDED_LINES
    else:
        items, has_more = _first_lines(tx, invoice)
    lines = {
        "object": "list",
        "data": line_objects(tx, items, discount=invoice.discount),
        "has_more": has_more,
        "url": f"/v1/invoices/{invoice.id}/lines",
    }
    customer = tx.customers.get(invoice.customer)
    assert customer is not None, invoice.customer
    discount = tx.discounts.get(invoice.discount) if invoice.discount else None
    return invoice_objects.invoice(
        invoice,
        lines,
        customer,
        public_url=settings.value(tx, "public_url"),
        finalization_error=finalization_error,
        subscription_metadata=subscription_metadata(tx, invoice),
        customer_tax_ids=customer_tax_ids(tx, invoice),
        discount=None if discount is None else discount_object(tx, discount),
        default_tax_rates=rate_objects(tx, invoice.default_tax_rates),
    )


def customer_tax_ids(tx: Tx, invoice: Invoice) -> list[dict[str, str]]:
    """Its customer's tax IDs: as they are while a draft, as they were once finalized."""
    if invoice.status != "draft":
        return invoice.customer_tax_ids
    return invoice_tax_ids(tx.tax_ids.of_customer(invoice.customer))


def subscription_metadata(tx: Tx, invoice: Invoice) -> dict[str, str] | None:
    """Its subscription's metadata: as it is while a draft, as it was once finalized."""
    if invoice.subscription is None:
        return None
    if invoice.status != "draft":
        return invoice.subscription_metadata or {}
    subscription = tx.subscriptions.get(invoice.subscription)
    return dict(subscription.metadata) if subscription else {}


def _first_lines(tx: Tx, invoice: Invoice) -> tuple[list[InvoiceItem], bool]:
    memo = ("lines", invoice.id)
    if memo in tx.memo:
        found: tuple[list[InvoiceItem], bool] = tx.memo[memo]
        return found
    items, has_more = tx.invoice_items.lines(invoice.id, PageRequest(EMBEDDED_LINES))
    if invoice.status != "draft":  # a finalized invoice's lines never change
        tx.memo[memo] = items, has_more
    return items, has_more


def line_objects(tx: Tx, items: list[InvoiceItem], *, discount: str | None) -> list[dict[str, Any]]:
    """Invoice lines, each with the price it bills for, what `discount` takes off and
    its own tax rates."""
    prices = catalog(tx, "prices", [i.price for i in items if i.price])
    return [
        invoice_objects.line_item(
            i,
            prices.get(i.price or ""),
            discount=discount,
            rates=rate_objects(tx, i.tax_rates or []),
        )
        for i in items
    ]


def with_totals(tx: Tx, invoice: Invoice) -> Invoice:
    """A draft with its discount, tax, subtotal, total and amount due recomputed from its
    lines, whose discount and tax amounts are saved (a credit total is due as nothing:
    finalization credits it to the balance)."""
    items = tx.invoice_items.on_invoice(invoice.id)
    draft, priced = totalled(tx, invoice, items)
    for before, after in zip(items, priced, strict=True):
        if after is not before:
            tx.invoice_items.save(after)
    return draft


def record_invoice(
    tx: Tx, type_: str, invoice: Invoice, before: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Record an invoice event (with previous attributes for updates); the object."""
    after = invoice_object(tx, invoice)
    previous = None if before is None else objects.changed_attributes(before, after)
    record(tx, type_, after, previous=previous)
    return after
