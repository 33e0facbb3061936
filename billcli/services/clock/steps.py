"""What one step of a tick does: finalize a draft, attempt a payment, or move a
subscription on (`subscription_clock`), if still due.

Apart from the scheduling loop of `services.tick`, so that a tick with nothing due
loads none of the invoice lifecycle.
"""

from __future__ import annotations

from dataclasses import replace

from billcli.core.money import too_small_to_charge
from billcli.core.records.invoices import Invoice, PaymentAttempt
from billcli.core.tick import (
    AUTHORIZATION,
    CHARGE,
    CHECKOUT,
    FINALIZE,
    SCHEDULE,
    SUBSCRIPTION,
    Step,
    step,
)
from billcli.errors import BillingError
from billcli.services.invoicing.lifecycle import finalize_in, mark_uncollectible_in, settled
from billcli.services.invoicing.objects import invoice_object, record_invoice
from billcli.services.invoicing.payment import (
    WAITING,
    attempt_in,
    email_authentication,
    payment_method_for,
)
from billcli.services.ledger import settings
from billcli.services.ledger.events import record
from billcli.store.ledger import Tx

Outcome = tuple[str, str, int]  # (what happened, currency, amount)


def _finalize(tx: Tx, draft: Invoice, seq: int) -> tuple[list[Outcome], list[Step]]:
    due = draft.finalizes_at
    if draft.status != "draft" or not draft.auto_advance or due is None or due > tx.now:
        return [], []
    try:
        with tx.savepoint():
            done = finalize_in(tx, draft)
    except BillingError as error:
        stopped = replace(draft, auto_advance=False)
        tx.invoices.save(stopped)
        failed = invoice_object(tx, stopped, finalization_error=error.to_stripe()["error"])
        record(tx, "invoice.finalization_failed", failed)
        return [("finalization_failed", draft.currency, draft.total)], []
    outcomes = [("finalized", done.currency, done.total)]
    if done.status == "paid":
        outcomes.append(("paid", done.currency, done.amount_paid))
    elif done.collection_method == "send_invoice" and done.auto_advance:
        outcomes.append(("emailed", done.currency, done.amount_due))
    later = (
        []
        if done.next_payment_attempt is None
        else [step(done.next_payment_attempt, CHARGE, done.id, seq)]
    )
    return outcomes, later


def _charge(tx: Tx, invoice: Invoice, seq: int) -> tuple[list[Outcome], list[Step]]:
    """An automatic attempt (off-session). A decline and a wait for the customer to
    authenticate both follow the retry schedule; a retry while the intent waits asks the
    card again (a card changed meanwhile may pay; the same card keeps the same page) and
    the customer is emailed the hosted page each time."""
    due = invoice.next_payment_attempt
    if invoice.status != "open" or due is None or due > tx.now:
        return [], []
    outcomes: list[Outcome] = []
    if invoice.attempt_count > 0:
        outcomes.append(("retried", invoice.currency, invoice.amount_remaining))
    method = payment_method_for(tx, invoice)
    if method is None:
        return outcomes + _not_attempted(tx, invoice, "invoice_no_payment_method"), []
    if too_small_to_charge(invoice.amount_remaining, invoice.currency):
        # a pre-payment credit note left less than any card takes: Stripe's
        # `amount_too_small`, which no retry changes
        return outcomes + _not_attempted(tx, invoice, "amount_too_small"), []
    charged, failed = attempt_in(tx, invoice, method, automatic=True, off_session=True)
    if failed is None:
        return [*outcomes, ("paid", charged.currency, charged.amount_paid)], []
    if failed.code == WAITING:
        email_authentication(tx, charged)
        outcomes.append(("action_required", charged.currency, charged.amount_remaining))
    else:
        outcomes.append(("payment_failed", charged.currency, charged.amount_remaining))
    retry_at = charged.next_payment_attempt  # the schedule's next, set with the attempt
    if retry_at is not None:
        return outcomes, [step(retry_at, CHARGE, invoice.id, seq)]
    if settings.value(tx, "dunning.final_action") == "mark_uncollectible":
        mark_uncollectible_in(tx, charged)
        outcomes.append(("marked_uncollectible", charged.currency, charged.amount_remaining))
    settled(tx, charged, "retries_exhausted")
    return outcomes, []


def _not_attempted(tx: Tx, invoice: Invoice, code: str) -> list[Outcome]:
    """One failed attempt that reached no card, and no retry: there is nothing to retry
    with (`invoice_no_payment_method`), or nothing a card can be charged
    (`amount_too_small`)."""
    tx.attempts.add(
        PaymentAttempt(
            invoice.id,
            tx.now,
            None,
            invoice.amount_remaining,
            False,
            True,
            code=code,
            payment_intent=invoice.payment_intent,
        )
    )
    failed = replace(
        invoice, attempted=True, attempt_count=invoice.attempt_count + 1, next_payment_attempt=None
    )
    tx.invoices.save(failed)
    record_invoice(tx, "invoice.payment_failed", failed)
    settled(tx, failed, "payment_failed")
    return [("payment_failed", invoice.currency, invoice.amount_remaining)]


def apply(tx: Tx, work: Step) -> tuple[list[Outcome], list[Step]]:
    """Do one step if it is still due; what happened, and what it scheduled."""
    if work.kind == SUBSCRIPTION:
        # startup: a tick loads only the kinds of work that fall due in it
        from billcli.services.subscriptions.clock import advance

        return advance(tx, work.subject)
    if work.kind == SCHEDULE:
        # startup: a tick loads only the kinds of work that fall due in it
        from billcli.services.schedules.phases import advance as advance_schedule

        return [], advance_schedule(tx, work.subject)
    if work.kind == CHECKOUT:
        # startup: a tick loads only the kinds of work that fall due in it
        from billcli.services.checkout.sessions import expire_due

        expire_due(tx, work.subject)
        return [], []
    if work.kind == AUTHORIZATION:
        # startup: a tick loads only the kinds of work that fall due in it
        from billcli.services.payments.capture import expire_authorization

        expire_authorization(tx, work.subject)
        return [], []
    invoice = tx.invoices.get(work.subject)
    if invoice is None:
        return [], []
    before = _status_of(tx, invoice.subscription)
    if work.kind == FINALIZE:
        outcomes, later = _finalize(tx, invoice, work.subject_seq)
    else:
        outcomes, later = _charge(tx, invoice, work.subject_seq)
    return outcomes + _dunning(tx, invoice.subscription, before), later


def _status_of(tx: Tx, subscription_id: str | None) -> str | None:
    sub = tx.subscriptions.get(subscription_id) if subscription_id else None
    return None if sub is None else sub.status


def _dunning(tx: Tx, subscription_id: str | None, before: str | None) -> list[Outcome]:
    """What the invoice's payment did to its subscription, for the tick's summary: it
    went past due, or dunning's last word canceled it or left it unpaid."""
    sub = tx.subscriptions.get(subscription_id) if subscription_id else None
    if sub is None or sub.status == before or sub.status not in ("past_due", "canceled", "unpaid"):
        return []
    return [(sub.status, sub.currency, 0)]
