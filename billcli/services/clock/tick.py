"""`invoices tick`: advance the ledger clock and do what falls due, in time order.

Each step (finalize one draft, attempt one payment) is its own `BEGIN IMMEDIATE`
transaction at the step's instant. A step first re-reads its invoice and does nothing
unless the work is still due, so the invoice's own state is the progress record: a
tick killed at any point, or two ticks racing, never finalize, charge or email anything
twice, and the next tick finishes the job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from billcli.clock import Clock
from billcli.core import objects
from billcli.core.dates import parse_instant
from billcli.core.tick import (
    DELIVER,
    SUBSCRIPTION,
    Plan,
    Step,
    delivery_step,
    parse_duration,
    step,
    target_instant,
)
from billcli.services.webhooks.payloads import Shape, as_recorded
from billcli.services.webhooks.schedule import (
    BATCH,
    LEASE_MARGIN_S,
    DeliveryReport,
    Sender,
    delivery_steps,
    sender,
)
from billcli.store.ledger import Ledger, Tx
from billcli.store.meta import CLOCK_KEY

if TYPE_CHECKING:
    from billcli.services.clock.steps import Outcome
    from billcli.services.webhooks.http import Outgoing, Sent

OUTCOMES = (
    "renewed",
    "trial_ended",
    "finalized",
    "paid",
    "payment_failed",
    "action_required",
    "retried",
    "marked_uncollectible",
    "emailed",
    "past_due",
    "unpaid",
    "canceled",
    "expired",
    "paused",
    "pending_invoiced",
)
REFILL = 500
# Steps due at one instant share a transaction, up to this many: each still re-checks
# its invoice, and the batch commits whole or not at all, so a kill -9 loses nothing and
# repeats nothing, while the write lock is held for tens of milliseconds at most.
STEPS_PER_TRANSACTION = 100
DEFAULT_MAX_STEPS = 1_000_000


@dataclass
class TickReport:
    """What a tick did: counts and amounts per outcome and currency, and the clock."""

    clock_before: int
    target: int
    clock_after: int = 0
    steps: int = 0
    complete: bool = True
    dry_run: bool = False
    # The events this tick recorded, as (after seq, last seq) per transaction: a step
    # holds the write lock, so each range is this tick's alone, whoever else ticks.
    event_ranges: list[tuple[int, int]] = field(default_factory=list)
    totals: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    webhooks: DeliveryReport = field(default_factory=DeliveryReport)
    log: list[dict[str, Any]] = field(default_factory=list)

    def count(self, outcomes: list[Outcome]) -> None:
        for name, currency, amount in outcomes:
            bucket = self.totals.setdefault(name, {}).setdefault(currency, [0, 0])
            bucket[0] += 1
            bucket[1] += amount

    def to_dict(self) -> dict[str, Any]:
        return {
            "object": "tick",
            "clock_before": self.clock_before,
            "clock_after": self.clock_after,
            "target": self.target,
            "steps": self.steps,
            "complete": self.complete,
            "dry_run": self.dry_run,
            "outcomes": {
                name: {
                    cur: {"count": c, "amount": a}
                    for cur, (c, a) in sorted(self.totals.get(name, {}).items())
                }
                for name in OUTCOMES
            },
            "webhooks": {
                "delivered": self.webhooks.delivered,
                "retrying": self.webhooks.retrying,
                "failed": self.webhooks.failed,
            },
            "plan": self.log if self.dry_run else None,
        }


@dataclass(frozen=True)
class Progress:
    """How far a running tick has come: steps done, and the ledger time it has reached
    of the range it covers (`start` to `target`)."""

    steps: int
    at: int
    start: int
    target: int


def tick(
    ledger: Ledger,
    *,
    by: str | None = None,
    to: str | None = None,
    max_steps: int = DEFAULT_MAX_STEPS,
    dry_run: bool = False,
    progress: Callable[[Progress], None] | None = None,
    shape: Shape = as_recorded,
) -> TickReport:
    """Advance to the target instant, doing every due step at its own instant (events
    delivered in each endpoint's API version, as `shape` walks them)."""
    jump = parse_duration(by) if by is not None else None
    when = parse_instant(to, param="to") if to is not None else None
    with ledger.read() as tx:
        now = tx.now
        send, timeout = sender(tx)
    if dry_run:
        send = _not_sent
    target = target_instant(now, by=jump, to=when)
    moving = jump is not None or when is not None
    report = TickReport(now, target, dry_run=dry_run)
    delivering = Delivering(send, timeout + LEASE_MARGIN_S, shape)
    with ledger.bulk():
        _tick(ledger, report, Plan(now, target), moving, max_steps, dry_run, progress, delivering)
    return report


@dataclass(frozen=True)
class Delivering:
    """How a tick sends webhooks: the sender, and how long a claimed delivery is held."""

    send: Sender
    lease_s: float
    shape: Shape = as_recorded


def _not_sent(requests: list[Outgoing]) -> list[Sent]:
    """A dry run's deliveries: assumed to succeed, never sent."""
    # startup: a tick loads only the kinds of work that fall due in it
    from billcli.services.webhooks.http import Sent

    return [Sent(r.seq, 0, 200, None, "dry run: not sent") for r in requests]


def _tick(
    ledger: Ledger,
    report: TickReport,
    plan: Plan,
    moving: bool,
    max_steps: int,
    dry_run: bool,
    progress: Callable[[Progress], None] | None,
    delivering: Delivering,
) -> None:
    if dry_run:
        try:
            with ledger.write() as outer:
                _run(
                    lambda at: _simulated(outer, at),
                    plan,
                    report,
                    max_steps,
                    moving,
                    progress,
                    delivering,
                )
                raise _DryRun
        except _DryRun:
            pass
        report.clock_after = report.clock_before
        return
    _run(
        lambda at: ledger.write(at=at if moving else None),
        plan,
        report,
        max_steps,
        moving,
        progress,
        delivering,
    )
    if report.complete and moving:
        with ledger.write(at=report.target):
            pass
    with ledger.read() as tx:
        report.clock_after = tx.now


class _DryRun(Exception):
    """Raised to roll a dry run back once it has been planned and simulated."""


@contextmanager
def _simulated(outer: Tx, at: int) -> Iterator[Tx]:
    at = max(at, outer.now)
    outer.meta.set(CLOCK_KEY, str(at))
    with outer.savepoint():
        yield Tx(outer.conn, Clock(at), at, writing=outer.writing)


def _run(
    open_step: Callable[[int], Any],
    plan: Plan,
    report: TickReport,
    max_steps: int,
    moving: bool,
    progress: Callable[[Progress], None] | None,
    delivering: Delivering,
) -> None:
    horizon = _refill(open_step, plan, report.clock_before)
    while True:
        upcoming = plan.peek()
        if upcoming is None or upcoming.at > horizon:
            horizon = _refill(open_step, plan, report.clock_before)
        upcoming = plan.next()
        if upcoming is None:
            return
        if report.steps >= max_steps:
            report.complete = False
            return
        if upcoming.kind == DELIVER:
            # startup: a tick loads only the kinds of work that fall due in it
            from billcli.services.webhooks.delivery import deliver_batch

            batch = plan.take_alike(upcoming, min(BATCH, max_steps - report.steps))
            plan.add(
                deliver_batch(
                    partial(open_step, upcoming.at),
                    [s.subject_seq for s in batch],
                    delivering.send,
                    delivering.lease_s,
                    report.webhooks,
                    delivering.shape,
                )
            )
            report.steps += len(batch)
            _said(progress, report, upcoming.at)
            continue
        # startup: a tick loads only the kinds of work that fall due in it
        from billcli.services.clock.steps import apply

        batch = plan.take_alike(upcoming, min(STEPS_PER_TRANSACTION, max_steps - report.steps))
        later: list[Step] = []
        with open_step(upcoming.at) as tx:
            first_event = tx.events.last_seq()
            for work in batch:
                outcomes, scheduled = apply(tx, work)
                later += scheduled
                report.count(outcomes)
                if report.dry_run and outcomes:
                    report.log.append(
                        {
                            "at": tx.now,
                            "step": work.kind,
                            "invoice": work.subject,
                            "outcomes": [o[0] for o in outcomes],
                        }
                    )
            later += delivery_steps(tx) + subscription_steps(tx)
            last_event = tx.events.last_seq()
            if last_event > first_event:
                report.event_ranges.append((first_event, last_event))
        plan.add(later)
        report.steps += len(batch)
        _said(progress, report, upcoming.at)


def _said(progress: Callable[[Progress], None] | None, report: TickReport, at: int) -> None:
    if progress is not None:
        progress(Progress(report.steps, at, report.clock_before, report.target))


def subscription_steps(tx: Tx) -> list[Step]:
    """The subscriptions this transaction scheduled, as steps of a tick's plan."""
    return [
        step(at, SUBSCRIPTION, sub_id, tx.subscriptions.seq(sub_id))
        for at, sub_id in dict.fromkeys(tx.scheduled_subscriptions)
    ]


def _refill(open_step: Callable[[int], Any], plan: Plan, start: int) -> int:
    """Load the earliest due work; return the instant up to which the plan is complete."""
    with open_step(start) as tx:
        work = tx.invoices.due(plan.until, REFILL)
        work += tx.subscriptions.due(plan.until, REFILL)
        work += [
            delivery_step(at, seq) for at, seq in tx.webhook_deliveries.due_at(plan.until, REFILL)
        ]
    plan.add(work)
    by_kind: dict[str, list[int]] = {}
    for item in work:
        by_kind.setdefault(item.kind, []).append(item.at)
    full = [max(times) for times in by_kind.values() if len(times) == REFILL]
    # Overdue work runs at the start instant (Plan clamps it), so the horizon does too.
    return max(min(full), start) if full else plan.until


def produced_events(ledger: Ledger, report: TickReport) -> Iterator[dict[str, Any]]:
    """The events the tick recorded itself (not those of a tick running beside it),
    oldest first, a batch at a time."""
    for after, last in report.event_ranges:
        while after < last:
            with ledger.read() as tx:
                events = tx.events.after(after, 500, upto=last)
            if not events:
                break
            yield from (objects.event(e) for _, e in events)
            after = events[-1][0]
