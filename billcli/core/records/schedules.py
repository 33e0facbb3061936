"""Subscription schedules: a subscription's planned changes, phase by phase."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SubscriptionSchedule:
    """Phases are `{start_date, end_date, items: [{price, quantity}], proration_behavior,
    coupon, trial_end, collection_method, metadata, settings}`, back to back. `phase` is the index
    of the phase the subscription is in (None before the start); `next_action_at` is
    when the clock must next look (a start, a phase boundary, the expiring notice)."""

    id: str
    created: int
    customer: str
    status: str
    start_date: int
    end_behavior: str = "release"
    phases: list[dict[str, Any]] = field(default_factory=list)
    phase: int | None = None
    subscription: str | None = None
    released_subscription: str | None = None
    canceled_at: int | None = None
    completed_at: int | None = None
    released_at: int | None = None
    expiring_sent: bool = False
    next_action_at: int | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    # collection_method, days_until_due, default_payment_method, description: the
    # settings a phase without its own takes (core/schedules.py `effective`).
    default_settings: dict[str, Any] = field(default_factory=dict)
