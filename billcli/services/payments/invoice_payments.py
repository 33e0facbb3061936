"""InvoicePayments (API 2025-03-31.basil on): an invoice's default payment is its one
PaymentIntent seen from the invoice, so it is read from the intent (same characters in
its id) and never stored twice."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core import payment_objects
from billcli.core.ids import check_id
from billcli.core.invoicing import check_choice
from billcli.core.pagination import Page, PageRequest
from billcli.core.records.payments import PaymentIntent
from billcli.errors import NotFound
from billcli.services.payments.objects import intent_object
from billcli.store.ledger import Ledger, Tx

STATUSES = ("open", "paid", "canceled")


def shown(tx: Tx, pi: PaymentIntent) -> dict[str, Any]:
    """The default `invoice_payment` of an invoice's intent."""
    invoice = tx.invoices.get(str(pi.invoice))
    paid_at = None if invoice is None else invoice.paid_at
    return payment_objects.invoice_payment(str(pi.invoice), intent_object(tx, pi), paid_at)


def show(ledger: Ledger, payment_id: str) -> dict[str, Any]:
    check_id(payment_id, "invoice_payment", param="invoice_payment")
    with ledger.read() as tx:
        pi = tx.payment_intents.get(payment_objects.intent_of_invoice_payment(payment_id))
        if pi is None or pi.invoice is None:
            raise NotFound("invoice_payment", payment_id, param="invoice_payment")
        return shown(tx, pi)


def _as_intents(request: PageRequest) -> PageRequest:
    """The same page of intents: an InvoicePayment cursor names its intent."""
    intent = payment_objects.intent_of_invoice_payment
    return replace(
        request,
        starting_after=intent(request.starting_after) if request.starting_after else None,
        ending_before=intent(request.ending_before) if request.ending_before else None,
    )


def list_payments(
    ledger: Ledger,
    request: PageRequest,
    *,
    invoice: str | None = None,
    payment_intent: str | None = None,
    status: str | None = None,
) -> Page:
    if status is not None:
        check_choice(status, STATUSES, "status")
    with ledger.read() as tx:
        found, has_more = tx.payment_intents.of_invoices(
            _as_intents(request), invoice=invoice, intent=payment_intent, status=status
        )
        return Page("/v1/invoice_payments", [shown(tx, pi) for pi in found], has_more)


def of_invoices(ledger: Ledger, intent_ids: set[str]) -> dict[str, dict[str, Any]]:
    """The intents of the invoices an answer shows, by id: what an invoice's `payments`
    and `confirmation_secret` are made of in API versions that have them."""
    with ledger.read() as tx:
        found = tx.payment_intents.get_many(sorted(intent_ids))
        return {pi_id: intent_object(tx, pi) for pi_id, pi in found.items()}
