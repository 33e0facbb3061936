"""The hosted invoice page and the invoice document, reached by id or by page secret.

`hosted_invoice_url` is a capability: whoever holds it may see and pay that one
invoice, as with Stripe's hosted page. Nothing else is reachable from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from billcli.core.records.invoices import Invoice
from billcli.core.records.payments import PaymentMethod
from billcli.errors import CardDeclined, LinkExpired
from billcli.services.invoicing.credit_notes import of_invoice
from billcli.services.invoicing.objects import find_invoice, invoice_object, line_objects
from billcli.services.invoicing.payment import pay_in, payment_method_for
from billcli.services.payments.objects import intent_object
from billcli.store.ledger import Ledger, Tx


@dataclass(frozen=True)
class InvoiceDocument:
    """An invoice with every line: what its page and its PDF show."""

    invoice: dict[str, Any]
    lines: list[dict[str, Any]]
    payment_method: PaymentMethod | None
    credit_notes: list[dict[str, Any]]
    as_of: int  # the ledger clock when it was read: how long past due the page says
    intent: dict[str, Any] | None  # its PaymentIntent: the page links its challenge


def _document(tx: Tx, invoice: Invoice) -> InvoiceDocument:
    lines = line_objects(tx, tx.invoice_items.on_invoice(invoice.id), discount=invoice.discount)
    pi = tx.payment_intents.get(invoice.payment_intent) if invoice.payment_intent else None
    return InvoiceDocument(
        invoice_object(tx, invoice),
        lines,
        payment_method_for(tx, invoice),
        of_invoice(tx, invoice.id),
        tx.now,
        None if pi is None else intent_object(tx, pi),
    )


def _by_page(tx: Tx, secret: str) -> Invoice:
    invoice = tx.invoices.by_page_secret(secret)
    if invoice is None:
        raise LinkExpired("This invoice link is not valid.")
    return invoice


def document(ledger: Ledger, invoice_id: str) -> InvoiceDocument:
    with ledger.read() as tx:
        return _document(tx, find_invoice(tx, invoice_id))


def page(ledger: Ledger, secret: str) -> InvoiceDocument:
    with ledger.read() as tx:
        return _document(tx, _by_page(tx, secret))


def pay(
    ledger: Ledger, secret: str, payment_method: str | None
) -> tuple[InvoiceDocument, CardDeclined | None]:
    """Pay from the hosted page, the customer present: the card on file, or the test card
    the payer picks. A card that asks for authentication leaves the intent waiting; the
    page then sends the payer to its challenge."""
    with ledger.write() as tx:
        invoice, declined = pay_in(tx, _by_page(tx, secret), payment_method or None)
        return _document(tx, invoice), declined
