"""`invoices tick`: advance the ledger clock and do what falls due, in time order.

Steps (finalize a draft, attempt a payment, renew a subscription) run in write
transactions at their instant (on PostgreSQL, ticks on several hosts share the write
lock: `_alike`). A step first re-reads its invoice and does nothing
unless the work is still due, so the invoice's own state is the progress record: a
tick killed at any point, or two ticks racing, never finalize, charge or email anything
twice, and the next tick finishes the job.

The same run advances a test clock (`services.clock.clocks`): `run` is told which
clock it moves, and finds due, and opens every step on, that clock alone, so the
ledger's tick never touches a clock customer's objects and an advance nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from billcli.core import objects
from billcli.core.dates import parse_instant
from billcli.core.tick import (
    CHARGE,
    DELIVER,
    FINALIZE,
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
    # holds the write lock, or the turn to add events, so each range is this tick's
    # alone, whoever else ticks.
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
    """Advance the ledger clock to the target instant, doing every due step at its own
    instant (events delivered in each endpoint's API version, as `shape` walks them);
    then delete the test clocks whose `deletes_after` has come."""
    jump = parse_duration(by) if by is not None else None
    when = parse_instant(to, param="to") if to is not None else None
    with ledger.read(clock=None) as tx:
        now = tx.now
    target = target_instant(now, by=jump, to=when)
    moving = jump is not None or when is not None
    course = Course(None, now, target, moving, shape=shape)
    report = run(ledger, course, max_steps, dry_run, progress)
    if not dry_run and report.complete:
        with ledger.read() as tx:
            expired = tx.test_clocks.expiring(report.clock_after)
        if expired:
            # startup: a tick loads test clocks only when it has some to delete
            from billcli.services.clock.removal import delete_expired

            delete_expired(ledger, expired)
    return report


@dataclass(frozen=True)
class Course:
    """Where a run goes: which clock (None: the ledger's) from where to where, whether
    it moves the clock (a bare tick does what is due without freezing it), and what
    each step's transaction does first (an advance renews its claim on its clock), and
    the API version each webhook endpoint receives its events in."""

    clock: str | None
    start: int
    target: int
    moving: bool = True
    on_step: Callable[[Tx], None] | None = None
    shape: Shape = as_recorded


def run(
    ledger: Ledger,
    course: Course,
    max_steps: int = DEFAULT_MAX_STEPS,
    dry_run: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> TickReport:
    """Do every step due on one clock up to the course's target, each at its instant."""
    with ledger.read() as tx:
        send, timeout = sender(tx)
    if dry_run:
        send = _not_sent
    report = TickReport(course.start, course.target, dry_run=dry_run)
    delivering = Delivering(send, timeout + LEASE_MARGIN_S, course.shape)
    with ledger.bulk():
        _tick(ledger, report, course, max_steps, progress, delivering)
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
    course: Course,
    max_steps: int,
    progress: Callable[[Progress], None] | None,
    delivering: Delivering,
) -> None:
    plan = Plan(course.start, course.target)
    if report.dry_run:
        try:
            with ledger.write() as outer:
                steps = Steps(
                    lambda at, shared: _simulated(outer, at, course.clock),
                    lambda clock: _simulated(outer, 0, clock),
                    course.clock,
                )
                _run(steps, plan, report, max_steps, progress, delivering)
                raise _DryRun
        except _DryRun:
            pass
        report.clock_after = report.clock_before
        return
    _run(Steps.of(ledger, course), plan, report, max_steps, progress, delivering)
    if report.complete and course.moving:
        with _opened(ledger, course, report.target):
            pass
    with ledger.read(clock=course.clock) as tx:
        report.clock_after = tx.now


@dataclass(frozen=True)
class Steps:
    """How a run opens the transaction of a step at an instant on its clock (`open`,
    sharing the write lock with other ticks' steps where the engine can: `shared`),
    and one on another clock for what settling a delivery leaves there (`on`)."""

    open: Callable[[int, bool], AbstractContextManager[Tx]]
    on: Callable[[str | None], AbstractContextManager[Tx]]
    clock: str | None

    @staticmethod
    def of(ledger: Ledger, course: Course) -> Steps:
        return Steps(
            lambda at, shared: _opened(ledger, course, at if course.moving else None, shared),
            lambda clock: ledger.write(clock=clock),
            course.clock,
        )


@contextmanager
def _opened(ledger: Ledger, course: Course, at: int | None, shared: bool = False) -> Iterator[Tx]:
    with ledger.write(at=at, clock=course.clock, shared=shared) as tx:
        if course.on_step is not None:
            course.on_step(tx)
        yield tx


class _DryRun(Exception):
    """Raised to roll a dry run back once it has been planned and simulated."""


@contextmanager
def _simulated(outer: Tx, at: int, clock: str | None) -> Iterator[Tx]:
    with outer.savepoint():
        inner = Tx(outer.conn, outer.clock, outer.ledger_now, clock, writing=outer.writing)
        inner.move_clock(at)
        outer.clock, outer.ledger_now = inner.clock, inner.ledger_now
        yield inner


def _run(
    steps: Steps,
    plan: Plan,
    report: TickReport,
    max_steps: int,
    progress: Callable[[Progress], None] | None,
    delivering: Delivering,
) -> None:
    horizon = _refill(steps, plan, report.clock_before)
    while True:
        upcoming = plan.peek()
        if upcoming is None or upcoming.at > horizon:
            horizon = _refill(steps, plan, report.clock_before)
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
            settled = deliver_batch(
                partial(steps.open, upcoming.at, False),
                steps.on,
                [s.subject_seq for s in batch],
                delivering.send,
                delivering.lease_s,
                report.webhooks,
                delivering.shape,
            )
            plan.add(_on_this_clock(steps.clock, settled))
            report.steps += len(batch)
        else:
            alike = plan.take_alike(upcoming, min(ALIKE, max_steps - report.steps))
            _alike(steps, alike, plan, report, progress)
        _said(progress, report, upcoming.at)


# The kinds of step that ticks on several hosts do at once, where the engine lets
# writers share the write lock (PostgreSQL), each for the customers it holds. The rest
# hold the lock alone: a schedule's phase change redeems coupons any customer may share,
# a Checkout Session or an authorization may have no customer, deliveries are leased.
SHARED = frozenset({SUBSCRIPTION, FINALIZE, CHARGE})
# Steps of one kind due at one instant taken from the plan at once; a shared
# transaction holds the customers of this many of them at most, so that the ticks
# beside it share an instant's work in small parts.
ALIKE = 500
SHARED_STEPS = 20


def _alike(
    steps: Steps,
    alike: list[Step],
    plan: Plan,
    report: TickReport,
    progress: Callable[[Progress], None] | None,
) -> None:
    """Do steps of one kind due at one instant, a transaction at a time.

    A transaction holding the write lock alone does them in turn. Where writers share
    it, the first transaction at an instant the clock has not reached moves the clock
    holding the lock alone (when no shared step is half-way), and does a few; each
    shared one after it does the steps, still due, of customers nobody else holds.
    When none is left to it, a last one waits for the customers other ticks hold and
    does what they left: so every step of this kind and instant is done (here or by
    another) before this tick goes on to the next kind, and no customer's later work
    runs before its earlier."""
    # startup: a tick loads only the kinds of work that fall due in it
    from billcli.services.clock.steps import apply
    from billcli.services.ledger import events

    first, left, waiting, counted = alike[0], alike, False, report.steps
    while left:
        later: list[Step] = []
        with steps.open(first.at, first.kind in SHARED) as tx:
            if not tx.shared:
                mine = left[: SHARED_STEPS if tx.moving_alone else STEPS_PER_TRANSACTION]
            else:
                held = tx.customers.hold(
                    first.kind,
                    [work.subject for work in left],
                    tx.now,
                    limit=None if waiting else SHARED_STEPS,
                )
                mine = [work for work in left if work.subject in held]
            since = events.mark(tx)
            for work in mine:
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
            later += subscription_steps(tx)
            written = events.written_since(tx, since)
            if written is not None:
                report.event_ranges.append(written)
            later += _deliveries(steps.clock, tx, first.at)
        plan.add(later)
        if waiting:
            break
        done = {work.subject for work in mine}
        left = [work for work in left if work.subject not in done]
        waiting = tx.shared and not mine
        report.steps = counted + len(alike) - len(left)
        if left and mine:
            _said(progress, report, first.at)
    # every step taken from the plan counts, done here, by another tick, or found done
    report.steps = counted + len(alike)


def _said(progress: Callable[[Progress], None] | None, report: TickReport, at: int) -> None:
    if progress is not None:
        progress(Progress(report.steps, at, report.clock_before, report.target))


def _deliveries(clock: str | None, tx: Tx, at: int) -> list[Step]:
    """The deliveries a step queued: due at once in ledger time, so the ledger's tick
    plans them there, and a test clock's advance right after the step (its plan is in
    the clock's time): its webhooks go out as its simulation runs, as Stripe's do."""
    queued = delivery_steps(tx)
    return queued if clock is None else [delivery_step(at, s.subject_seq) for s in queued]


def _on_this_clock(clock: str | None, settled: list[Step]) -> list[Step]:
    """What settling deliveries scheduled, for this run's plan: a test clock's advance
    leaves retries (due in ledger time) to the ledger's tick and `events deliver`."""
    return settled if clock is None else [s for s in settled if s.kind != DELIVER]


def subscription_steps(tx: Tx) -> list[Step]:
    """The subscriptions this transaction scheduled, as steps of a tick's plan."""
    return [
        step(at, SUBSCRIPTION, sub_id, tx.subscriptions.seq(sub_id))
        for at, sub_id in dict.fromkeys(tx.scheduled_subscriptions)
    ]


def _refill(steps: Steps, plan: Plan, start: int) -> int:
    """Load the earliest work due on the run's clock; return the instant up to which the
    plan is complete (deliveries and Checkout Sessions' expiry are due in ledger time:
    only the ledger's tick has any)."""
    with steps.open(start, True) as tx:
        work = tx.invoices.due(plan.until, REFILL, clock=steps.clock)
        work += tx.subscriptions.due(plan.until, REFILL, clock=steps.clock)
        work += tx.subscription_schedules.due(plan.until, REFILL, clock=steps.clock)
        work += tx.charges.authorizations_due(plan.until, REFILL, clock=steps.clock)
        if steps.clock is None:
            work += tx.checkout_sessions.due(plan.until, REFILL)
            work += [
                delivery_step(at, seq)
                for at, seq in tx.webhook_deliveries.due_at(plan.until, REFILL)
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
