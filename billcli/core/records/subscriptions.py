"""Subscriptions and their items."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Subscription:
    """A customer's recurring billing: the period invoiced last, and what comes next.

    `next_action_at` is when `invoices tick` must look at it again (a renewal, a trial
    ending, a notice, an expiry); `trial_will_end_sent` and `upcoming_sent_for` (the
    period end whose `invoice.upcoming` went out) keep those notices to one each.
    """

    id: str
    customer: str
    created: int
    currency: str
    interval: str
    interval_count: int
    status: str
    start_date: int
    billing_cycle_anchor: int
    current_period_start: int
    current_period_end: int
    collection_method: str = "charge_automatically"
    days_until_due: int | None = None
    trial_start: int | None = None
    trial_end: int | None = None
    cancel_at: int | None = None
    cancel_at_period_end: bool = False
    canceled_at: int | None = None
    ended_at: int | None = None
    cancellation_reason: str | None = None
    cancellation_feedback: str | None = None
    cancellation_comment: str | None = None
    default_payment_method: str | None = None
    description: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    latest_invoice: str | None = None
    pause_collection: dict[str, Any] | None = None
    next_action_at: int | None = None
    trial_will_end_sent: bool = False
    upcoming_sent_for: int | None = None
    discount: str | None = None  # its live discount (di_…), overriding the customer's
    # What a trial ending without a payment method does: create_invoice, pause or cancel.
    trial_missing_payment_method: str = "create_invoice"
    # Pending items of its own invoiced every interval ({interval, interval_count}), and
    # when next.
    pending_invoice_item_interval: dict[str, Any] | None = None
    next_pending_invoice_item_invoice: int | None = None
    payment_settings: dict[str, Any] | None = None
    off_session: bool | None = None  # how its first invoice is charged (None: on session)
    default_tax_rates: list[str] = field(default_factory=list)  # of items without their own
    threshold_amount: int | None = None  # billing_thresholds.amount_gte


@dataclass(frozen=True)
class SubscriptionItem:
    id: str
    subscription: str
    created: int
    price: str
    quantity: int = 1
    metadata: dict[str, str] = field(default_factory=dict)
    tax_rates: list[str] = field(default_factory=list)  # overriding the subscription's
    # when its price last changed (None: it has had its price since it was made); a
    # metered item's usage counts at its price from then
    price_since: int | None = None
