"""The invariants of test clocks, for `ledger check`.

A clock keeps Stripe's retention and a frozen time billcli can write; one advancing
knows where to; a deleted one has no customer alive. An object of a clock's customer
lives on that clock (the column that says so agrees with its customer) and was never
made after its clock's time: every timestamp of it came from that clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from billcli.core.dates import moment
from billcli.core.ledger import Problem
from billcli.core.tick import CLOCK_RETENTION_S, MAX_INSTANT

if TYPE_CHECKING:
    from billcli.core.records.clocks import TestClock


def check_clock(clock: TestClock, live_customers: int) -> list[Problem]:
    problems = []
    if clock.deletes_after != clock.created + CLOCK_RETENTION_S:
        problems.append(f"deletes_after {moment(clock.deletes_after)} is not 30 days after it")
    if not 0 <= clock.frozen_time <= MAX_INSTANT:
        problems.append(f"its frozen time {clock.frozen_time} is outside what billcli writes")
    target = clock.target_frozen_time
    if clock.status == "advancing" and (target is None or target < clock.frozen_time):
        problems.append(f"it is advancing to {moment(target)}, behind its own time")
    if clock.deleted and live_customers:
        problems.append(f"it is deleted, yet {live_customers} of its customers are not")
    return [Problem(clock.id, p) for p in problems]


def misplaced(rows: Iterable[tuple[str, str, str | None, str | None]]) -> list[Problem]:
    """(kind, id, its clock, its customer's clock) of objects whose clock is not their
    customer's."""
    return [
        Problem(object_id, f"this {kind} says test clock {own}, its customer lives on {theirs}")
        for kind, object_id, own, theirs in rows
    ]


def ahead(rows: Iterable[tuple[str, str, int, str, int]]) -> list[Problem]:
    """(kind, id, created, clock, its frozen time) of objects made after their clock's
    time: a timestamp from another clock."""
    return [
        Problem(
            object_id,
            f"this {kind} was made at {moment(created)}, after its test clock {clock} "
            f"({moment(frozen)})",
        )
        for kind, object_id, created, clock, frozen in rows
    ]
