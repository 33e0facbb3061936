"""Subscription rules that need no ledger: statuses, what the clock must do and when.

Facts §2.2 and billcli-decisions ("Subscriptions"). A subscription's own fields say
what is due next; `due_actions` names the work due at an instant, in the order the
clock does it, and `next_action_at` the instant `invoices tick` must look again. Each
action is idempotent on the subscription's state, as a tick step is on an invoice's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from billcli.core.dates import moment
from billcli.core.tick import DAY_S
from billcli.errors import InvalidRequest

if TYPE_CHECKING:
    from billcli.core.records.subscriptions import Subscription

STATUSES = (
    "incomplete",
    "incomplete_expired",
    "trialing",
    "active",
    "past_due",
    "canceled",
    "unpaid",
    "paused",
)
ENDED = ("canceled", "incomplete_expired")
LIST_STATUSES = (*STATUSES, "all", "ended")
# What renews at the end of a period (facts §2.5): not paused, ended or incomplete ones.
RENEWING = ("trialing", "active", "past_due", "unpaid")
PAYMENT_BEHAVIORS = ("allow_incomplete", "default_incomplete", "error_if_incomplete")
SUBSCRIPTION_ACTIONS = ("cancel", "unpaid", "past_due")
MAX_ITEMS = 20
MAX_TRIAL_DAYS = 730
INCOMPLETE_EXPIRES_S = 23 * 3600
TRIAL_WILL_END_S = 3 * DAY_S

# Actions, in the order the clock does them at one instant.
EXPIRE = "expire"  # an incomplete subscription's first invoice went unpaid for 23 h
UPCOMING = "upcoming"  # invoice.upcoming, N days before a renewal
TRIAL_WILL_END = "trial_will_end"  # three days before a trial ends
OVERDUE = "overdue"  # a send_invoice renewal not paid by its due date
RESUME = "resume"  # a paused collection's resumes_at
CANCEL_AT = "cancel_at"  # cancel_at reached inside a period
PENDING_ITEMS = "pending_items"  # its pending items are invoiced every interval
RENEW = "renew"  # the period ends: a new period and its invoice, or the end


def due_actions(
    sub: Subscription, now: int, *, upcoming_days: int, overdue_at: int | None
) -> list[str]:
    """The actions due at `now`, in order (`overdue_at`: the due date of its open
    send_invoice invoice, if it has one and is not past due yet)."""
    return [action for action, at in _schedule(sub, upcoming_days, overdue_at) if at <= now]


def next_action_at(sub: Subscription, *, upcoming_days: int, overdue_at: int | None) -> int | None:
    """When the clock must next look at the subscription (None: never again)."""
    instants = [at for _, at in _schedule(sub, upcoming_days, overdue_at)]
    return min(instants) if instants else None


def _schedule(
    sub: Subscription, upcoming_days: int, overdue_at: int | None
) -> list[tuple[str, int]]:
    if sub.status == "incomplete":
        return [(EXPIRE, sub.created + INCOMPLETE_EXPIRES_S)]
    if sub.status not in RENEWING:
        return []
    schedule = []
    end = sub.current_period_end
    if upcoming_days and sub.upcoming_sent_for != end and not _ends_at(sub, end):
        notice = end - upcoming_days * DAY_S
        if notice > sub.current_period_start:
            schedule.append((UPCOMING, notice))
    if sub.status == "trialing" and sub.trial_end is not None and not sub.trial_will_end_sent:
        schedule.append((TRIAL_WILL_END, max(sub.trial_end - TRIAL_WILL_END_S, sub.created)))
    if overdue_at is not None and sub.status == "active":
        schedule.append((OVERDUE, overdue_at))
    resumes_at = (sub.pause_collection or {}).get("resumes_at")
    if resumes_at is not None:
        schedule.append((RESUME, int(resumes_at)))
    if sub.next_pending_invoice_item_invoice is not None:
        schedule.append((PENDING_ITEMS, sub.next_pending_invoice_item_invoice))
    if sub.cancel_at is not None and sub.cancel_at < end:
        schedule.append((CANCEL_AT, sub.cancel_at))
    else:
        schedule.append((RENEW, end))
    return sorted(schedule, key=lambda pair: (pair[1], _ORDER[pair[0]]))


_ORDER = {
    EXPIRE: 0,
    RESUME: 1,
    UPCOMING: 2,
    TRIAL_WILL_END: 3,
    OVERDUE: 4,
    PENDING_ITEMS: 5,
    CANCEL_AT: 6,
    RENEW: 7,
}


def _ends_at(sub: Subscription, end: int) -> bool:
    """Whether the subscription ends at the period end instead of renewing."""
    return sub.cancel_at_period_end or (sub.cancel_at is not None and sub.cancel_at <= end)


def ends_at_period_end(sub: Subscription) -> bool:
    return _ends_at(sub, sub.current_period_end)


def check_trial(trial_days: int | None, trial_end: int | None, now: int) -> int | None:
    """The trial's end from `--trial-days` or `--trial-end` (not both), in the future."""
    if trial_days is not None and trial_end is not None:
        raise InvalidRequest(
            "Invalid trial_end: give trial_period_days or trial_end, not both", param="trial_end"
        )
    if trial_days is not None:
        if not 1 <= trial_days <= MAX_TRIAL_DAYS:
            raise InvalidRequest(
                f"Invalid trial_period_days: {trial_days} (1 to {MAX_TRIAL_DAYS} days)",
                param="trial_period_days",
            )
        return now + trial_days * DAY_S
    if trial_end is not None:
        if trial_end <= now:
            raise InvalidRequest(
                f"Invalid trial_end: {moment(trial_end)} is not in the future (the ledger "
                f"clock is at {moment(now)})",
                param="trial_end",
            )
        if trial_end > now + MAX_TRIAL_DAYS * DAY_S:
            raise InvalidRequest(
                f"Invalid trial_end: a trial lasts at most {MAX_TRIAL_DAYS} days",
                param="trial_end",
            )
    return trial_end


def check_quantity(quantity: int, param: str = "quantity") -> int:
    """A licensed quantity: zero or more (0 bills a $0 line, billcli-decisions)."""
    if quantity < 0:
        raise InvalidRequest(f"Invalid {param}: {quantity} (it cannot be negative)", param=param)
    return quantity
