"""What `invoices tick` does to a subscription when its next action falls due.

Facts §2.5–2.7: at the end of each period a new period starts and its renewal invoice
is created as a draft (finalized and charged later on the usual schedule), or the
subscription ends there (`cancel_at_period_end`, `cancel_at`); a trial ends; three
days before a trial ends `customer.subscription.trial_will_end`; N days before a
renewal `invoice.upcoming`; an incomplete subscription expires after 23 hours; a
send_invoice subscription whose invoice passes its due date unpaid is `past_due`.

Each action re-reads the subscription and does nothing unless it is still due, so the
subscription's own fields are the progress record, as an invoice's are for a tick step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from billcli.core.periods import boundary
from billcli.core.records.subscriptions import Subscription
from billcli.core.subscriptions import (
    CANCEL_AT,
    EXPIRE,
    OVERDUE,
    PENDING_ITEMS,
    RENEW,
    RESUME,
    TRIAL_WILL_END,
    UPCOMING,
    due_actions,
    ends_at_period_end,
)
from billcli.core.tick import FINALIZE, SUBSCRIPTION, Step, step
from billcli.services.invoicing.lifecycle import void_in
from billcli.services.ledger import settings
from billcli.services.ledger.events import record
from billcli.services.subscriptions.billing import create_invoice, pending_invoice, renewal_lines
from billcli.services.subscriptions.pauses import trial_end_stops
from billcli.services.subscriptions.records import find, overdue_at, save, subscription_object
from billcli.services.subscriptions.status import end
from billcli.services.subscriptions.upcoming import preview
from billcli.store.ledger import Tx

Outcome = tuple[str, str, int]  # (what happened, currency, amount), as tick steps report
# A subscription takes at most this many actions at one instant (each moves it on).
MAX_ACTIONS = 8


def advance(tx: Tx, subscription_id: str) -> tuple[list[Outcome], list[Step]]:
    """Do every action of the subscription due now; what happened, and what it
    scheduled (the renewal drafts' finalization, the subscription's next look)."""
    sub = tx.subscriptions.get(subscription_id)
    if sub is None:
        return [], []
    outcomes: list[Outcome] = []
    later: list[Step] = []
    upcoming_days = int(settings.value(tx, "subscriptions.upcoming_days"))
    for _ in range(MAX_ACTIONS):
        due = due_actions(sub, tx.now, upcoming_days=upcoming_days, overdue_at=overdue_at(tx, sub))
        if not due:
            break
        sub = _ACTIONS[due[0]](tx, sub, outcomes, later)
    current = tx.subscriptions.get(subscription_id)
    if current is not None and current.next_action_at is not None:
        later.append(step(current.next_action_at, SUBSCRIPTION, current.id, _seq(tx, current)))
    return outcomes, later


def _seq(tx: Tx, sub: Subscription) -> int:
    return tx.subscriptions.seq(sub.id)


Action = Callable[[Tx, Subscription, list[Outcome], list[Step]], Subscription]


def _renew(tx: Tx, sub: Subscription, outcomes: list[Outcome], later: list[Step]) -> Subscription:
    """The period ends: the subscription ends there, or a new period and its invoice."""
    if ends_at_period_end(sub):
        outcomes.append(("canceled", sub.currency, 0))
        return end(tx, sub, reason="cancellation_requested", at=sub.current_period_end)
    stopped = trial_end_stops(tx, sub)
    if stopped is not None:  # no payment method: paused or canceled, not invoiced
        outcomes.append(("paused" if stopped.status == "paused" else "canceled", sub.currency, 0))
        return stopped
    start = sub.current_period_end
    new_end, lines = renewal_lines(tx, sub, start)
    trial_over = sub.status == "trialing"
    renewing = replace(
        sub,
        status="active" if trial_over else sub.status,
        current_period_start=start,
        current_period_end=new_end,
    )
    invoice = create_invoice(
        tx, renewing, "subscription_cycle", (sub.current_period_start, start), lines
    )
    renewed = replace(renewing, latest_invoice=invoice.id)
    save(tx, sub, renewed)
    outcomes.append(("trial_ended" if trial_over else "renewed", invoice.currency, invoice.total))
    if invoice.auto_advance and invoice.finalizes_at is not None:
        later.append(step(invoice.finalizes_at, FINALIZE, invoice.id, tx.invoices.seq(invoice.id)))
    return tx.subscriptions.get(sub.id) or renewed


def _pending_items(
    tx: Tx, sub: Subscription, outcomes: list[Outcome], later: list[Step]
) -> Subscription:
    """`pending_invoice_item_interval`: what is pending of its own is invoiced now (as
    `POST /v1/invoices` with its id would), and the next time is an interval on."""
    interval = sub.pending_invoice_item_interval or {}
    due = int(sub.next_pending_invoice_item_invoice or tx.now)
    following = boundary(due, interval["interval"], interval["interval_count"], 1)
    invoice = pending_invoice(tx, sub)
    if invoice is not None:
        outcomes.append(("pending_invoiced", invoice.currency, invoice.total))
        if invoice.auto_advance and invoice.finalizes_at is not None:
            seq = tx.invoices.seq(invoice.id)
            later.append(step(invoice.finalizes_at, FINALIZE, invoice.id, seq))
    moved = replace(sub, next_pending_invoice_item_invoice=following)
    if invoice is not None:
        moved = replace(moved, latest_invoice=invoice.id)
    save(tx, sub, moved)
    return tx.subscriptions.get(sub.id) or moved


def _cancel_at(
    tx: Tx, sub: Subscription, outcomes: list[Outcome], later: list[Step]
) -> Subscription:
    outcomes.append(("canceled", sub.currency, 0))
    return end(tx, sub, reason="cancellation_requested")


def _upcoming(
    tx: Tx, sub: Subscription, outcomes: list[Outcome], later: list[Step]
) -> Subscription:
    record(tx, "invoice.upcoming", preview(tx, sub))
    noted = replace(sub, upcoming_sent_for=sub.current_period_end)
    save(tx, sub, noted)
    return tx.subscriptions.get(sub.id) or noted


def _trial_will_end(
    tx: Tx, sub: Subscription, outcomes: list[Outcome], later: list[Step]
) -> Subscription:
    noted = replace(sub, trial_will_end_sent=True)
    save(tx, sub, noted)
    record(tx, "customer.subscription.trial_will_end", subscription_object(tx, noted))
    return tx.subscriptions.get(sub.id) or noted


def _overdue(tx: Tx, sub: Subscription, outcomes: list[Outcome], later: list[Step]) -> Subscription:
    """A send_invoice renewal not paid by its due date: `past_due` (facts §2.2)."""
    late = replace(sub, status="past_due")
    save(tx, sub, late)
    outcomes.append(("past_due", sub.currency, 0))
    return tx.subscriptions.get(sub.id) or late


def _resume(tx: Tx, sub: Subscription, outcomes: list[Outcome], later: list[Step]) -> Subscription:
    """A paused collection reaches its `resumes_at`: renewals are collected again."""
    resumed = replace(sub, pause_collection=None)
    save(tx, sub, resumed)
    return tx.subscriptions.get(sub.id) or resumed


def _expire(tx: Tx, sub: Subscription, outcomes: list[Outcome], later: list[Step]) -> Subscription:
    """23 hours without the first payment: the first invoice is voided (its hook makes
    the subscription `incomplete_expired`)."""
    invoice = tx.invoices.get(str(sub.latest_invoice))
    if invoice is not None and invoice.status in ("open", "uncollectible"):
        void_in(tx, invoice)
    current = tx.subscriptions.get(sub.id) or sub
    if current.status == "incomplete":
        save(tx, current, replace(current, status="incomplete_expired"))
    outcomes.append(("expired", sub.currency, 0))
    return tx.subscriptions.get(sub.id) or current


_ACTIONS: dict[str, Action] = {
    EXPIRE: _expire,
    RESUME: _resume,
    UPCOMING: _upcoming,
    TRIAL_WILL_END: _trial_will_end,
    OVERDUE: _overdue,
    PENDING_ITEMS: _pending_items,
    CANCEL_AT: _cancel_at,
    RENEW: _renew,
}


def caught_up(tx: Tx, sub: Subscription) -> Subscription:
    """The subscription after what the clock should already have done to it (a ledger
    on system time between ticks): a change always starts from the current period."""
    if sub.next_action_at is not None and sub.next_action_at <= tx.now:
        advance(tx, sub.id)
        return find(tx, sub.id)
    return sub
