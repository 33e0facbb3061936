"""The invariants of subscription schedules (`ledger check`): phases back to back, a
status and its instant, and the clock's next look where the rules put it."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import TYPE_CHECKING

from billcli.core.ledger import Problem
from billcli.core.schedules import LIVE, next_action_at

if TYPE_CHECKING:
    from billcli.core.records.schedules import SubscriptionSchedule
    from billcli.core.records.subscriptions import Subscription

_WHEN = {"canceled": "canceled_at", "completed": "completed_at", "released": "released_at"}


def check_schedule(
    s: SubscriptionSchedule,
    subscriptions: Mapping[str, Subscription],
    deleted_customers: frozenset[str] = frozenset(),
) -> list[Problem]:
    """`deleted_customers`: a live schedule of one is a problem (deleting a customer
    cancels its schedules)."""
    problems = []
    if s.status in LIVE and s.customer in deleted_customers:
        problems.append(Problem(s.id, f"{s.status} schedule of deleted customer {s.customer}"))
    for n, (before, after) in enumerate(pairwise(s.phases), start=1):
        if before["end_date"] != after["start_date"]:
            problems.append(Problem(s.id, f"phase {n + 1} does not start where phase {n} ends"))
    if any(p["end_date"] <= p["start_date"] for p in s.phases):
        problems.append(Problem(s.id, "a phase ends before it starts"))
    if s.status in _WHEN and getattr(s, _WHEN[s.status]) is None:
        problems.append(Problem(s.id, f"{s.status} without {_WHEN[s.status]}"))
    if s.status == "active":
        sub = subscriptions.get(s.subscription or "")
        if sub is None or s.phase is None:
            problems.append(Problem(s.id, "active schedule without its subscription"))
        elif sub.customer != s.customer:
            problems.append(Problem(s.id, f"manages {sub.id} of another customer"))
    elif s.subscription is not None and s.status in ("completed", "released"):
        problems.append(Problem(s.id, f"{s.status} schedule still manages {s.subscription}"))
    if s.next_action_at != next_action_at(s):
        problems.append(Problem(s.id, "the clock's next look is not where the phases put it"))
    return problems
