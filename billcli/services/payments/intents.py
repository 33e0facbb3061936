"""How a PaymentIntent moves: made, confirmed with a card (a charge each time the card is
reached), waiting for the customer to authenticate, canceled. Used inside a transaction
by every path that takes money: invoices (one intent each, every attempt through it),
intents callers make, the hosted and authentication pages.

Nothing here knows invoices beyond the fields an intent copies from one; what an
attempt does to its invoice is `services/invoicing/payment.py`'s to say.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core import payment_objects
from billcli.core.ids import new_id
from billcli.core.intents import (
    ACTION,
    AUTHORIZATION_S,
    EXPIRED,
    MANUAL,
    SUCCEEDED,
    Attempt,
    client_secret,
    pay,
    set_up_for_later,
)
from billcli.core.payments import TEST_CARDS, decline_error, decline_message
from billcli.core.portal import new_secret
from billcli.core.records.invoices import Invoice
from billcli.core.records.payments import Charge, PaymentIntent, PaymentMethod
from billcli.errors import CardDeclined
from billcli.services.ledger.events import record
from billcli.services.payments.objects import charge_object, intent_object
from billcli.services.payments.refunds import released_in
from billcli.store.ledger import Tx

TERMINAL = ("succeeded", "canceled")
DESCRIPTIONS = {
    "subscription_create": "Subscription creation",
    "subscription_update": "Subscription update",
}


def new_intent(
    tx: Tx,
    *,
    amount: int,
    currency: str,
    customer: str | None,
    invoice: str | None = None,
    description: str | None = None,
    metadata: dict[str, str] | None = None,
    payment_method: str | None = None,
    **details: Any,
) -> PaymentIntent:
    """A new intent waiting for a payment method, or for confirmation if it has one
    (`details`: what it carries beside its money, its record's fields)."""
    intent_id = new_id("payment_intent")
    pi = PaymentIntent(
        id=intent_id,
        created=tx.now,
        amount=amount,
        currency=currency,
        status="requires_confirmation" if payment_method else "requires_payment_method",
        client_secret=client_secret(intent_id),
        customer=customer,
        invoice=invoice,
        payment_method=payment_method,
        description=description,
        metadata=metadata or {},
        **details,
    )
    tx.payment_intents.add(pi)
    record(tx, "payment_intent.created", intent_object(tx, pi))
    return pi


def for_invoice(tx: Tx, invoice: Invoice) -> tuple[Invoice, PaymentIntent]:
    """The invoice's one intent, for what it still owes: made at finalization (or at the
    first attempt, for an invoice finalized before intents existed), its amount kept
    with the invoice's `amount_remaining` while it is open (Stripe's default payment)."""
    if invoice.payment_intent is not None:
        pi = tx.payment_intents.get(invoice.payment_intent)
        assert pi is not None, invoice.payment_intent
        owed = invoice.amount_remaining
        if pi.status not in TERMINAL and owed > 0 and pi.amount != owed:
            pi = replace(pi, amount=owed)
            tx.payment_intents.save(pi)
        return invoice, pi
    pi = new_intent(
        tx,
        amount=invoice.amount_remaining,
        currency=invoice.currency,
        customer=invoice.customer,
        invoice=invoice.id,
        description=DESCRIPTIONS.get(invoice.billing_reason, "Payment for Invoice"),
    )
    invoice = replace(invoice, payment_intent=pi.id)
    tx.invoices.save(invoice)
    return invoice, pi


def _charge(
    tx: Tx, pi: PaymentIntent, method: PaymentMethod, attempt: Attempt, authenticated: bool
) -> Charge:
    """The charge an attempt that reached the card makes, and its event: captured at once,
    or for a manual-capture intent an authorization that holds until captured, canceled
    or expired (Stripe records it as `charge.succeeded` all the same)."""
    succeeded = attempt.result == SUCCEEDED
    held = succeeded and pi.capture_method == MANUAL
    ch = Charge(
        id=new_id("charge"),
        created=tx.now,
        amount=pi.amount,
        currency=pi.currency,
        status="succeeded" if succeeded else "failed",
        test_name=method.test_name,
        customer=pi.customer,
        payment_intent=pi.id,
        invoice=pi.invoice,
        payment_method=method.id,
        failure_code=attempt.code,
        decline_code=attempt.decline_code,
        authenticated=authenticated,
        description=pi.description,
        amount_captured=pi.amount if succeeded and not held else 0,
        captured_at=tx.now if succeeded and not held else None,
        capture_before=tx.now + AUTHORIZATION_S if held else None,
    )
    tx.charges.add(ch)
    record(tx, f"charge.{ch.status}", charge_object(tx, ch))
    return ch


def attempt_in(
    tx: Tx,
    pi: PaymentIntent,
    method: PaymentMethod,
    *,
    off_session: bool,
    billing: bool,
    authenticated: bool = False,
    return_url: str | None = None,
    refuse_action: bool = False,
) -> tuple[PaymentIntent, Charge | None]:
    """Confirm the intent with `method`: it succeeds, fails (a failed charge and the
    decline as `last_payment_error`) or waits for the customer (no charge; with
    `refuse_action`, fails as `authentication_required` instead)."""
    card = TEST_CARDS[method.test_name]
    attempt = pay(
        card,
        off_session=off_session,
        set_up=method.set_up,
        authenticated=authenticated,
        billing=billing,
        refuse_action=refuse_action,
    )
    if attempt.result == ACTION:
        return _waiting(tx, pi, method, off_session=off_session, return_url=return_url), None
    ch = _charge(tx, pi, method, attempt, authenticated)
    if attempt.result == SUCCEEDED:
        return _went_through(tx, pi, method, ch), ch
    error = payment_objects.payment_error(
        "card_error",
        str(attempt.code),
        decline_message(str(attempt.code), attempt.decline_code),
        decline_code=attempt.decline_code,
        charge=ch.id,
        payment_method=method.id,
    )
    failed = replace(
        pi,
        status="requires_payment_method",
        payment_method=None,
        latest_charge=ch.id,
        last_payment_error=error,
        action_secret=None,
    )
    tx.payment_intents.save(failed)
    record(tx, "payment_intent.payment_failed", intent_object(tx, failed))
    return failed, ch


def _went_through(tx: Tx, pi: PaymentIntent, method: PaymentMethod, ch: Charge) -> PaymentIntent:
    """The card took the payment: captured at once (succeeded), or for a manual-capture
    intent authorized, waiting for its capture with the charge's amount to take."""
    held = not ch.captured
    done = replace(
        pi,
        status="requires_capture" if held else "succeeded",
        payment_method=method.id,
        latest_charge=ch.id,
        amount_received=0 if held else ch.amount,
        amount_capturable=ch.amount if held else 0,
        last_payment_error=None,
        action_secret=None,
    )
    tx.payment_intents.save(done)
    _saved_for_later(tx, done, method)
    happened = "amount_capturable_updated" if held else "succeeded"
    record(tx, f"payment_intent.{happened}", intent_object(tx, done))
    return done


def _waiting(
    tx: Tx, pi: PaymentIntent, method: PaymentMethod, *, off_session: bool, return_url: str | None
) -> PaymentIntent:
    """The intent waiting for the customer to authenticate. Asked again with the same
    card, it keeps its page: a link already emailed still works."""
    same = pi.status == "requires_action" and pi.payment_method == method.id
    waiting = replace(
        pi,
        status="requires_action",
        payment_method=method.id,
        last_payment_error=None,
        action_secret=pi.action_secret if same and pi.action_secret else new_secret(),
        off_session=off_session,
        return_url=return_url if return_url is not None else pi.return_url,
    )
    tx.payment_intents.save(waiting)
    record(tx, "payment_intent.requires_action", intent_object(tx, waiting))
    return waiting


def _saved_for_later(tx: Tx, pi: PaymentIntent, method: PaymentMethod) -> None:
    """`setup_future_usage`: the card is attached to the intent's customer once paid
    (and counts as set up for off-session payments, as a SetupIntent would make it)."""
    if pi.setup_future_usage is None or pi.customer is None or method.customer is not None:
        return
    if not TEST_CARDS[method.test_name].attachable or method.detached_at is not None:
        return
    kept = replace(
        method, customer=pi.customer, set_up=set_up_for_later(method.set_up, pi.setup_future_usage)
    )
    tx.payment_methods.save(kept)
    record(tx, "payment_method.attached", payment_objects.payment_method(kept))


def authenticate_in(
    tx: Tx, pi: PaymentIntent, *, succeeded: bool
) -> tuple[PaymentIntent, Charge | None]:
    """The customer completed (the payment goes on to the card; for a manual-confirmation
    intent of no invoice, it waits for the caller to confirm again) or failed the
    challenge (the intent needs a new payment method; no charge, notes §7)."""
    method = tx.payment_methods.get(str(pi.payment_method))
    assert method is not None, pi.payment_method
    if succeeded and pi.confirmation_method == "manual" and pi.invoice is None:
        waiting = replace(
            pi, status="requires_confirmation", authenticated=True, action_secret=None
        )
        tx.payment_intents.save(waiting)
        return waiting, None
    if succeeded:
        return attempt_in(
            tx, pi, method, off_session=pi.off_session, billing=True, authenticated=True
        )
    error = payment_objects.authentication_failure("payment_intent", method.id)
    failed = replace(
        pi,
        status="requires_payment_method",
        payment_method=None,
        last_payment_error=error,
        action_secret=None,
    )
    tx.payment_intents.save(failed)
    record(tx, "payment_intent.payment_failed", intent_object(tx, failed))
    return failed, None


def cancel_in(tx: Tx, pi: PaymentIntent, reason: str | None) -> PaymentIntent:
    """Cancel for good: no charge is made by it afterwards, its page no longer works, and
    an authorization it holds is released (`charge.refunded`; `charge.expired` when the
    clock let it lapse)."""
    if pi.status == "requires_capture":
        held = tx.charges.get(str(pi.latest_charge))
        assert held is not None, pi.latest_charge
        expired = reason == EXPIRED
        released = released_in(tx, held, reason="expired_uncaptured_charge" if expired else None)
        record(tx, "charge.expired" if expired else "charge.refunded", charge_object(tx, released))
    canceled = replace(
        pi,
        status="canceled",
        canceled_at=tx.now,
        cancellation_reason=reason,
        action_secret=None,
        amount_capturable=0,
    )
    tx.payment_intents.save(canceled)
    record(tx, "payment_intent.canceled", intent_object(tx, canceled))
    return canceled


def declined(tx: Tx, pi: PaymentIntent, *, param: str = "payment_method") -> CardDeclined:
    """The card error a failed confirmation answers with, the intent in it; its attempt
    is written, so the error is raised after the transaction commits."""
    error = pi.last_payment_error or {}
    return decline_error(
        error.get("code"),
        error.get("decline_code"),
        param=param,
        charge=error.get("charge"),
        payment_intent=intent_object(tx, pi),
        recorded=True,
    )
