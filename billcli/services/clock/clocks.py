"""Test clocks: many clocks in one ledger, each with the customers created on it.

A clock is created at any instant, past or future, and only moves forward. Advancing
one does, in time order and at their own instants, exactly what falls due for its own
customers (`tick.run` on that clock: renewals, trials, finalizations, payment retries,
dunning, notices), and nothing of anyone else's. Deleting one deletes its customers as
`customers delete` does. A clock itself belongs to no customer: its `created`,
`deletes_after` and events are in ledger time (Stripe's are in real time).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from billcli.core import limits, objects
from billcli.core.dates import moment, parse_instant
from billcli.core.ids import new_id
from billcli.core.pagination import Page, PageRequest
from billcli.core.records.clocks import TestClock
from billcli.core.tick import CLOCK_RETENTION_S, MAX_INSTANT, parse_duration
from billcli.errors import InvalidRequest, LedgerUnusable
from billcli.services.clock import claims
from billcli.services.clock.tick import Course, Progress, TickReport, run
from billcli.services.ledger.events import record
from billcli.services.ledger.idempotency import once
from billcli.services.ledger.lookup import live_clock as find
from billcli.services.webhooks.payloads import Shape, as_recorded
from billcli.store.ledger import Ledger, Tx

KIND = "test_clock"
# An advance has no cap on its steps, unlike `invoices tick`: Stripe limits a distance
# so that its asynchronous advances stay short, but billcli's runs in the foreground
# (an API request waits for it, then lets it go on), shows its progress, and stops and
# resumes exactly-once; a cap would only stop a simulation asked for on purpose.
UNCAPPED = 1 << 62


def _instant(value: int, param: str) -> int:
    if not 0 <= value <= MAX_INSTANT:
        raise InvalidRequest(
            f"Invalid {param}: {value} is outside the times billcli can write, from "
            f"1970-01-01 to {moment(MAX_INSTANT)} (3 years of periods before year 10000)",
            param=param,
        )
    return value


def create(
    ledger: Ledger,
    frozen_time: str,
    name: str | None = None,
    *,
    idempotency_key: str | None = None,
    param: str = "frozen_time",
) -> dict[str, Any]:
    """A clock frozen at any instant, past or future."""
    at = _instant(parse_instant(frozen_time, param=param), param)
    limits.text("test_helpers.test_clock", "name", name)
    params = {"frozen_time": at, "name": name}
    with ledger.write(clock=None) as tx:
        return once(tx, "clocks.create", idempotency_key, params, lambda: _create_in(tx, at, name))


def _create_in(tx: Tx, frozen_time: int, name: str | None) -> dict[str, Any]:
    clock = TestClock(
        id=new_id(KIND),
        created=tx.now,
        deletes_after=tx.now + CLOCK_RETENTION_S,
        frozen_time=frozen_time,
        name=name or None,
    )
    tx.test_clocks.add(clock)
    shown = objects.test_clock(clock)
    record(tx, "test_helpers.test_clock.created", shown)
    return shown


def show(ledger: Ledger, clock_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return objects.test_clock(find(tx, clock_id))


def list_clocks(ledger: Ledger, request: PageRequest) -> Page:
    with ledger.read() as tx:
        clocks, has_more = tx.test_clocks.page(request)
    return Page("/v1/test_helpers/test_clocks", [objects.test_clock(c) for c in clocks], has_more)


@dataclass(frozen=True)
class Advance:
    """What an advance did (the tick's report) and the clock it left."""

    report: TickReport
    clock: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self.report.to_dict() | {"test_clock": self.clock}


def advance(
    ledger: Ledger,
    clock_id: str,
    *,
    by: str | None = None,
    to: str | None = None,
    param: str | None = None,
    progress: Callable[[Progress], None] | None = None,
    shape: Shape = as_recorded,
) -> Advance:
    """Advance a clock: `advancing`, every step due for its customers at its own
    instant, then `ready` (`internal_failure`, and the failing step undone, if a step
    fails). A clock left advancing by a process that died is taken over and finished."""
    return finish(ledger, begin(ledger, clock_id, by=by, to=to, param=param, shape=shape), progress)


def begin(
    ledger: Ledger,
    clock_id: str,
    *,
    by: str | None = None,
    to: str | None = None,
    param: str | None = None,
    shape: Shape = as_recorded,
) -> Course:
    """Check the advance asked for and claim the clock (`advancing`): what `finish`
    then runs. Apart, so the API answers a bad request at once and lets the work run."""
    jump = parse_duration(by) if by is not None else None
    when = parse_instant(to, param=param or "to") if to is not None else None
    if (jump is None) == (when is None):
        raise InvalidRequest(
            "Invalid to: give --to or --by (how far the clock goes)", param=param or "to"
        )
    owner = claims.me()
    with ledger.write(clock=None) as tx:
        clock = find(tx, clock_id)
        start, target = _claim(tx, clock, jump, when, owner, param or ("by" if by else "to"))
    return Course(
        clock_id,
        start,
        target,
        on_step=partial(claims.renew, clock_id=clock_id, owner=owner),
        shape=shape,
    )


def finish(
    ledger: Ledger, course: Course, progress: Callable[[Progress], None] | None = None
) -> Advance:
    """Run a claimed advance to its end and make the clock `ready`."""
    clock_id, owner = str(course.clock), claims.me()
    report = _run(ledger, clock_id, owner, course, progress)
    with ledger.write(clock=None) as tx:
        done = find(tx, clock_id)
        if done.advanced_by == owner:
            ready = replace(
                done, status="ready", target_frozen_time=None, advanced_by=None, lease_until=None
            )
            tx.test_clocks.save(ready)
            record(tx, "test_helpers.test_clock.ready", objects.test_clock(ready))
            done = ready
    return Advance(report, objects.test_clock(done))


def _claim(
    tx: Tx, clock: TestClock, jump: int | None, when: int | None, owner: str, param: str
) -> tuple[int, int]:
    """Make the clock `advancing` towards the target, claimed by `owner`: (start, target)."""
    if clock.status == "internal_failure":
        raise InvalidRequest(
            f"Invalid test_clock: {clock.id} failed to advance (internal_failure) and "
            "cannot advance again; delete it and start anew",
            param="test_clock",
        )
    claims.refuse_if_held(clock, "advance it")
    if jump is not None:
        when = clock.frozen_time + jump
    assert when is not None  # one of the two was given (checked before)
    target = _instant(when, param)
    pending = clock.target_frozen_time if clock.status == "advancing" else None
    if pending is not None and target < pending:
        raise InvalidRequest(
            f"Invalid {param}: {clock.id} was advancing to {moment(pending)} when the "
            f"process advancing it stopped; advance it to {moment(pending)} or later",
            param=param,
        )
    if target <= clock.frozen_time and target != pending:
        raise InvalidRequest(
            f"Invalid {param}: {moment(target)} is not after the frozen time of "
            f"{clock.id} ({moment(clock.frozen_time)}); a test clock only moves forward",
            param=param,
        )
    claimed = replace(
        clock,
        status="advancing",
        target_frozen_time=target,
        advanced_by=owner,
        lease_until=claims.wall() + claims.LEASE_S,
    )
    tx.test_clocks.save(claimed)
    if target != pending:
        record(tx, "test_helpers.test_clock.advancing", objects.test_clock(claimed))
    return clock.frozen_time, target


def _run(
    ledger: Ledger,
    clock_id: str,
    owner: str,
    course: Course,
    progress: Callable[[Progress], None] | None,
) -> TickReport:
    """The advance's steps. A step that fails (a bug) is undone by its transaction and
    leaves the clock `internal_failure`; a ledger that cannot be written, or a stop
    asked for (Ctrl-C), leaves it `advancing` and unclaimed, for the next advance to
    finish."""
    try:
        return run(ledger, course, UNCAPPED, progress=progress)
    except (LedgerUnusable, KeyboardInterrupt):
        _let_go(ledger, clock_id, owner)
        raise
    except Exception:
        _failed(ledger, clock_id, owner)
        raise


def _let_go(ledger: Ledger, clock_id: str, owner: str) -> None:
    try:
        with ledger.write(clock=None) as tx:
            clock = tx.test_clocks.get(clock_id)
            if clock is not None and clock.advanced_by == owner:
                tx.test_clocks.save(replace(clock, advanced_by=None, lease_until=None))
    except LedgerUnusable:
        pass  # the lease lapses by itself


def _failed(ledger: Ledger, clock_id: str, owner: str) -> None:
    with ledger.write(clock=None) as tx:
        clock = tx.test_clocks.get(clock_id)
        if clock is None or clock.advanced_by != owner:
            return
        failed = replace(
            clock,
            status="internal_failure",
            target_frozen_time=None,
            advanced_by=None,
            lease_until=None,
        )
        tx.test_clocks.save(failed)
        record(tx, "test_helpers.test_clock.internal_failure", objects.test_clock(failed))
