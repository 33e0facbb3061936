"""Planning `invoices tick`: what falls due between two instants, in the order it happens.

Pure: given the due work the ledger holds and a target instant, `plan` orders the steps;
the service applies them one transaction at a time and feeds back the work each step
schedules (a charge after a finalization, a retry after a decline), so everything due
inside the window happens at its own instant. Durations and the two-year cap on
a jump (Stripe's test-clock limit) live here too.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from billcli.core.dates import moment
from billcli.errors import InvalidRequest

DAY_S = 86_400
# What a tick did to subscriptions' statuses: counted, with no money of their own (the
# unpaid invoice behind a `past_due` is counted as `payment_failed`, with its amount).
STATUS_OUTCOMES = frozenset({"past_due", "unpaid", "canceled", "expired", "paused"})
# A tick moves the ledger clock at most this far (Stripe's limit on a clock with no
# subscriptions): the ledger clock carries the operator's own books, and a mistyped year
# would bill decades at once. A test clock is a simulation asked for, and goes any
# distance (`services.clock.clocks`).
MAX_JUMP_S = 2 * 365 * DAY_S
# Stripe deletes a test clock this long after its creation (`deletes_after`).
CLOCK_RETENTION_S = 30 * DAY_S
# The last instant a test clock may reach: 9996-01-01, which leaves Stripe's longest
# billing interval (3 years) of periods to be written before the year 10000, which no
# date can be.
MAX_INSTANT = 253_276_070_400
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": DAY_S, "w": 7 * DAY_S}
_DURATION = re.compile(r"^([0-9]+)([smhdw])$")

SUBSCRIPTION, FINALIZE, CHARGE, DELIVER = "subscription", "finalize", "charge", "deliver"
CHECKOUT, SCHEDULE, AUTHORIZATION = "checkout", "schedule", "authorization"
# At one instant: schedules' phase changes (so that a renewal at a phase boundary bills
# the new phase), subscriptions (renewals, trials, notices), finalize, then charge, then
# expire Checkout Sessions and authorizations never captured, then deliver every event
# those produced.
_RANK = {
    SCHEDULE: 0,
    SUBSCRIPTION: 1,
    FINALIZE: 2,
    CHARGE: 3,
    CHECKOUT: 4,
    AUTHORIZATION: 5,
    DELIVER: 6,
}


@dataclass(frozen=True, order=True)
class Step:
    """One piece of due work: at an instant, of a kind, for its subject: an invoice
    (finalize, charge), a subscription, or a webhook delivery row (its seq as the id)."""

    at: int
    rank: int
    subject_seq: int
    kind: str = field(compare=False)
    subject: str = field(compare=False)


def step(at: int, kind: str, subject: str, subject_seq: int) -> Step:
    return Step(at, _RANK[kind], subject_seq, kind, subject)


def delivery_step(at: int, delivery_seq: int) -> Step:
    """The step that sends one queued webhook delivery (named by its row's seq)."""
    return step(at, DELIVER, str(delivery_seq), delivery_seq)


class Plan:
    """Due steps in time order (then finalize before charge, then creation order).

    Work due before the tick started happens at the start instant: the clock never
    moves backwards, so overdue work is done late rather than in the past.
    """

    def __init__(self, start: int, until: int, work: Iterable[Step] = ()):
        self.start, self.until = start, until
        self._heap: list[Step] = []
        self._seen: set[tuple[str, str, int]] = set()
        self.add(work)

    def add(self, work: Iterable[Step]) -> None:
        for item in work:
            at = max(item.at, self.start)
            key = (item.kind, item.subject, at)
            if at <= self.until and key not in self._seen:
                self._seen.add(key)
                heapq.heappush(
                    self._heap, Step(at, item.rank, item.subject_seq, item.kind, item.subject)
                )

    def peek(self) -> Step | None:
        return self._heap[0] if self._heap else None

    def next(self) -> Step | None:
        return heapq.heappop(self._heap) if self._heap else None

    def take_alike(self, first: Step, limit: int) -> list[Step]:
        """`first` and the steps of its kind due at its instant (a batch to run at once)."""
        batch = [first]
        while len(batch) < limit and self._heap:
            top = self._heap[0]
            if top.at != first.at or top.kind != first.kind:
                break
            batch.append(heapq.heappop(self._heap))
        return batch


def parse_duration(text: str) -> int:
    """`90s`, `15m`, `1h`, `3d`, `2w` in seconds; negative or unknown units refused."""
    match = _DURATION.match(text.strip())
    if not match:
        raise InvalidRequest(
            f"Invalid by: '{text}' is not a duration (a whole number and s, m, h, d or w, "
            "e.g. 90s, 15m, 1h, 3d, 2w)",
            param="by",
        )
    return int(match.group(1)) * _UNITS[match.group(2)]


def target_instant(now: int, *, by: int | None, to: int | None) -> int:
    """Where a tick takes the clock: never backwards, at most two years ahead."""
    if by is not None and to is not None:
        raise InvalidRequest("Invalid to: give --by or --to, not both", param="to")
    target = now + by if by is not None else to if to is not None else now
    if target < now:
        raise InvalidRequest(
            f"Invalid to: {moment(target)} is before the ledger clock ({moment(now)}); the "
            "clock never "
            "moves backwards",
            param="to",
        )
    if target - now > MAX_JUMP_S:
        raise InvalidRequest(
            "Invalid to: a tick advances the clock by at most 2 years (Stripe's test clock "
            "limit); tick in several steps",
            param="to",
        )
    return target
