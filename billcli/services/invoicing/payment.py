"""Collecting an invoice: every attempt goes through the invoice's one PaymentIntent, by
the clock, `invoices pay`, the hosted page, the portal or a subscription's first invoice.

An attempt is recorded on the invoice (`attempted`, `attempt_count`, the attempt with its
charge) whatever it comes to: paid; declined (`invoice.payment_failed`); or waiting for
the customer to authenticate (`invoice.payment_action_required`, no charge, not a failed
attempt: billcli-decisions). A decline or a wait is returned, not raised, so that what
was recorded is committed before anyone reports it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core import payment_objects
from billcli.core.intents import REQUIRES_ACTION
from billcli.core.invoicing import require_status
from billcli.core.money import check_chargeable
from billcli.core.payments import next_retry_at
from billcli.core.records.invoices import Invoice, PaymentAttempt
from billcli.core.records.payments import Charge, PaymentIntent, PaymentMethod
from billcli.errors import CardDeclined, InvalidRequest
from billcli.services.invoicing.lifecycle import finalize_in, mark_paid_in, settled, write_email
from billcli.services.invoicing.objects import find_invoice, invoice_object, record_invoice
from billcli.services.ledger.events import record
from billcli.services.payments import intents
from billcli.services.payments.methods import usable_method
from billcli.services.payments.objects import action_url, intent_object
from billcli.store.ledger import Ledger, Tx

WAITING = "invoice_payment_intent_requires_action"


def default_payment_method(tx: Tx, customer_id: str) -> PaymentMethod | None:
    """The customer's default card, if they have one: their invoice settings' default
    payment method, else their default source (Stripe's order)."""
    customer = tx.customers.get(customer_id)
    if customer is None:
        return None
    chosen = customer.default_payment_method or customer.default_source
    return None if chosen is None else tx.payment_methods.get(chosen)


def payment_method_for(tx: Tx, invoice: Invoice) -> PaymentMethod | None:
    """The card an invoice is charged with: its own default payment method, else its
    subscription's, else the customer's (facts §2.1)."""
    if invoice.default_payment_method is not None:
        return tx.payment_methods.get(invoice.default_payment_method)
    if invoice.subscription is not None:
        subscription = tx.subscriptions.get(invoice.subscription)
        if subscription is not None and subscription.default_payment_method is not None:
            return tx.payment_methods.get(subscription.default_payment_method)
    return default_payment_method(tx, invoice.customer)


def _method(tx: Tx, invoice: Invoice, requested: str | None) -> PaymentMethod:
    """`--payment-method` (a test token, or one of the customer's cards), else the default."""
    if requested is not None:
        return usable_method(tx, requested, invoice.customer, param="payment_method")
    method = payment_method_for(tx, invoice)
    if method is None:
        raise InvalidRequest(
            f"{invoice.customer} has no default payment method; pass --payment-method or "
            "attach one with `customers update --payment-method`",
            param="payment_method",
        )
    return method


def attempt_in(
    tx: Tx,
    invoice: Invoice,
    method: PaymentMethod,
    *,
    automatic: bool,
    off_session: bool,
    authenticated: bool = False,
) -> tuple[Invoice, CardDeclined | None]:
    """One attempt at the card for what the invoice still owes. Manual attempts after
    the first do not raise `attempt_count`, as in Stripe. `authenticated`: the customer
    has just authenticated this card for this purchase (a checkout's challenge)."""
    invoice, pi = intents.for_invoice(tx, invoice)
    pi, charge = intents.attempt_in(
        tx, pi, method, off_session=off_session, billing=True, authenticated=authenticated
    )
    counted = automatic or invoice.attempt_count == 0
    return _recorded(tx, invoice, pi, charge, method.id, automatic=automatic, counted=counted)


def authenticated_in(
    tx: Tx, invoice: Invoice, pi: PaymentIntent, charge: Charge | None, method: str
) -> tuple[Invoice, CardDeclined | None]:
    """The customer answered the challenge of the invoice's waiting attempt: the rest of
    that attempt (its charge, or the failed authentication), not a new one."""
    return _recorded(tx, invoice, pi, charge, method, automatic=False, counted=False)


def paid_by_in(tx: Tx, invoice: Invoice, pi: PaymentIntent, charge: Charge, method: str) -> Invoice:
    """An open invoice paid by a payment taken before it existed (a Checkout Session's
    PaymentIntent, succeeded, that its post-payment invoice records): that payment is
    its one attempt, recorded as every attempt is, and it is paid."""
    assert pi.status == "succeeded" and pi.invoice == invoice.id, pi.id
    paid, _ = _recorded(tx, invoice, pi, charge, method, automatic=False, counted=True)
    return paid


def _recorded(
    tx: Tx,
    invoice: Invoice,
    pi: PaymentIntent,
    charge: Charge | None,
    method: str,
    *,
    automatic: bool,
    counted: bool,
) -> tuple[Invoice, CardDeclined | None]:
    waiting = pi.status == "requires_action"
    error = pi.last_payment_error or {}
    tx.attempts.add(
        PaymentAttempt(
            invoice=invoice.id,
            created=tx.now,
            payment_method=method,
            amount=pi.amount,
            succeeded=pi.status == "succeeded",
            automatic=automatic,
            code=WAITING if waiting else error.get("code"),
            decline_code=error.get("decline_code"),
            payment_intent=pi.id,
            charge=charge.id if charge else None,
        )
    )
    attempted = replace(
        invoice,
        attempted=True,
        attempt_count=invoice.attempt_count + (1 if counted else 0),
        charge=pi.latest_charge,
        next_payment_attempt=_retry(tx, invoice, automatic=automatic, counted=counted),
    )
    if pi.status == "succeeded":
        shown = intent_object(tx, pi)
        record(
            tx, "invoice_payment.paid", payment_objects.invoice_payment(invoice.id, shown, tx.now)
        )
        paid = mark_paid_in(tx, attempted, events=("invoice.payment_succeeded", "invoice.paid"))
        return paid, None
    tx.invoices.save(attempted)
    if waiting:
        record_invoice(tx, "invoice.payment_action_required", attempted)
        settled(tx, attempted, "action_required")
        url = action_url(tx, pi.action_secret, invoice.id)
        return attempted, CardDeclined(
            REQUIRES_ACTION.format(url=url),
            code=WAITING,
            param="payment_method",
            payment_intent=intent_object(tx, pi),
            recorded=True,
        )
    record_invoice(tx, "invoice.payment_failed", attempted)
    settled(tx, attempted, "payment_failed")
    return attempted, intents.declined(tx, pi)


def _retry(tx: Tx, invoice: Invoice, *, automatic: bool, counted: bool) -> int | None:
    """When the clock tries again if this attempt (just recorded) does not pay: the
    published schedule, counted from the invoice's first attempt, for an invoice the clock
    collects (an automatic attempt, or a first one made while the clock's was due).
    Manual attempts after the first leave the schedule alone (Stripe's `attempt_count`)."""
    if not counted or not (automatic or invoice.next_payment_attempt is not None):
        return invoice.next_payment_attempt
    first = min(a.created for a in tx.attempts.of_invoice(invoice.id))
    return next_retry_at(first, invoice.attempt_count + 1)


def email_authentication(tx: Tx, invoice: Invoice) -> None:
    """Off-session, the customer learns by email that a payment waits for them (Stripe's
    hosted 3-D Secure link); a customer without an address is not written to."""
    if not invoice.customer_email:
        return
    page = invoice_object(tx, invoice)["hosted_invoice_url"]
    write_email(
        tx,
        invoice,
        subject=f"Confirm your payment for invoice {invoice.number}",
        body=(
            f"Hello {invoice.customer_name or ''},\n\nYour bank asks you to confirm the payment "
            f"of invoice {invoice.number}. Open the invoice to confirm it: {page}\n"
        ).replace("Hello ,", "Hello,"),
    )


def pay(
    ledger: Ledger,
    invoice_id: str,
    *,
    paid_out_of_band: bool = False,
    payment_method: str | None = None,
    off_session: bool = False,
) -> dict[str, Any]:
    """Collect an invoice (a draft is finalized first, as Stripe's API does); a decline
    (or a wait for the customer) is recorded, then raised."""
    if paid_out_of_band and payment_method:
        raise InvalidRequest(
            "Invalid payment_method: not with --paid-out-of-band", param="payment_method"
        )
    with ledger.write() as tx:
        invoice = find_invoice(tx, invoice_id)
        if invoice.status == "draft":  # Stripe finalizes a draft it is asked to pay
            invoice = finalize_in(tx, invoice)
            if invoice.status != "open":  # paid at once by credit, or paused
                return invoice_object(tx, invoice)
        if paid_out_of_band:
            require_status(invoice, ("open", "uncollectible"), "pay")
            return invoice_object(tx, mark_paid_in(tx, invoice, out_of_band=True))
        invoice, failed = pay_in(tx, invoice, payment_method, off_session=off_session)
        result = invoice_object(tx, invoice)
    if failed is not None:
        raise failed
    return result


def pay_in(
    tx: Tx, invoice: Invoice, payment_method: str | None, *, off_session: bool = False
) -> tuple[Invoice, CardDeclined | None]:
    """Charge an open or uncollectible invoice once (the customer present, unless
    `off_session`); a decline or a wait is recorded and returned."""
    require_status(invoice, ("open", "uncollectible"), "pay")
    customer = tx.customers.get(invoice.customer)
    if customer is None or customer.deleted:
        raise InvalidRequest(
            f"Invalid invoice: {invoice.id} is of {invoice.customer}, which was deleted, and "
            "nothing is charged to a deleted customer (void it, or --paid-out-of-band)",
            param="invoice",
        )
    # a pre-payment credit note may have left less than a card can be charged
    check_chargeable(invoice.amount_remaining, invoice.currency)
    method = _method(tx, invoice, payment_method)
    return attempt_in(tx, invoice, method, automatic=False, off_session=off_session)
