"""Ticks on several hosts share PostgreSQL's write lock: each step holds the customers it
writes for, so steps for different customers run at once; a customer another step holds
waits its turn; the clock moves only when no shared step is half-way; and events take
their `seq` in commit order, whoever commits first."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import pytest

from billcli.cli.main import run
from billcli.services.ledger import events
from billcli.store.ledger import Ledger
from billcli.store.paths import ServerAddress
from tests.conftest import raw_connection
from tests.processes import ledger_env
from tests.tick_helpers import freeze_clock, renewals, seed_subscriptions

pytestmark = pytest.mark.postgresql_only

T = 1_900_000_000
DAY = 86_400


class Beside(threading.Thread):
    """A write on its own connection, run beside the test's: done once it committed."""

    def __init__(self, address: ServerAddress, work: Callable[[Ledger], object]):
        super().__init__(daemon=True)
        self.address, self.work = address, work
        self.result: object = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with Ledger(self.address) as ledger:
                self.result = self.work(ledger)
        except BaseException as error:  # reported by the test
            self.error = error

    def finished(self, timeout: float) -> bool:
        self.join(timeout)
        if self.error is not None:
            raise self.error
        return not self.is_alive()


def _renewed_once_each(
    address: ServerAddress, ids: list[str], capsys: pytest.CaptureFixture[str]
) -> dict[str, list[tuple[int, str, int]]]:
    """Each of `ids` renewed once, no other subscription, and the ledger consistent;
    the renewals, by subscription."""
    found = renewals(address)
    assert {sub: len(rows) for sub, rows in found.items()} == {sub: 1 for sub in ids}
    assert run(["ledger", "check"]) == 0, capsys.readouterr().out
    return found


def _waiting_for_a_lock(address: ServerAddress) -> int:
    conn = raw_connection(address)
    waiting = conn.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
    ).fetchone()[0]
    conn.close()
    return int(waiting)


def _event(ledger: Ledger, name: str) -> int:
    """Record one event in a shared write; the seq it took."""
    with ledger.write(clock=None, shared=True) as tx:
        events.record(tx, "customer.updated", {"id": name, "object": "customer"})
    with ledger.read() as read:
        return read.events.last_seq()


def test_a_tick_renews_every_other_customer_while_a_step_holds_one_then_renews_it_once(
    ledger_path: ServerAddress, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = seed_subscriptions(ledger_path, 12, start=T)
    now = T + 32 * DAY  # every renewal overdue: done at the tick's first instant
    freeze_clock(ledger_path, now)
    with Ledger(ledger_path) as holder, holder.write(clock=None, shared=True) as tx:
        assert tx.shared
        assert tx.customers.hold("subscription", [ids[0]], now, limit=None) == {ids[0]}
        tick = subprocess.Popen(
            [sys.executable, "-m", "billcli", "invoices", "tick", "--to", str(now + 7200)],
            env=ledger_env(ledger_path),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while len(renewals(ledger_path)) < len(ids) - 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        renewed = renewals(ledger_path)
        assert set(renewed) == set(ids[1:]), "the others renew while one customer is held"
        assert tick.poll() is None, "the tick waits for the held customer"
    assert tick.wait(timeout=120) == 0, tick.stderr.read() if tick.stderr else ""
    found = _renewed_once_each(ledger_path, ids, capsys)
    assert all(status == "paid" for rows in found.values() for _, status, _ in rows)


def test_a_step_that_moves_the_clock_waits_until_no_shared_step_is_half_way(
    ledger_path: ServerAddress,
) -> None:
    freeze_clock(ledger_path, T)

    def moved(ledger: Ledger) -> int:
        with ledger.write(at=T + 60, clock=None, shared=True) as tx:
            assert not tx.shared, "a step that moves the clock holds the lock alone"
            return tx.now

    with Ledger(ledger_path) as ledger, ledger.write(clock=None, shared=True) as tx:
        assert tx.now == T
        mover = Beside(ledger_path, moved)
        mover.start()
        assert not mover.finished(0.5)
    assert mover.finished(30)
    assert mover.result == T + 60


def test_events_take_their_seq_in_commit_order_whoever_recorded_first(
    ledger_path: ServerAddress,
) -> None:
    Ledger(ledger_path).close()
    with Ledger(ledger_path) as ledger:
        with ledger.write(clock=None, shared=True) as first:
            events.record(first, "customer.updated", {"id": "cus_first", "object": "customer"})
            second = Beside(ledger_path, lambda other: _event(other, "cus_second"))
            second.start()
            assert second.finished(30), "a shared writer does not wait for another's events"
        with ledger.read() as tx:
            ordered = [e.object["id"] for _, e in tx.events.after(0, 10)]
    assert ordered == ["cus_second", "cus_first"]


def test_a_reader_after_a_seq_never_passes_one_that_commits_later(
    ledger_path: ServerAddress,
) -> None:
    """While one shared writer adds its events, another waits to add its own: no `seq`
    above the first's commits before it."""
    Ledger(ledger_path).close()
    with Ledger(ledger_path) as ledger:
        with ledger.write(clock=None, shared=True) as first:
            events.record(first, "customer.updated", {"id": "cus_first", "object": "customer"})
            assert events.flush(first) is not None
            second = Beside(ledger_path, lambda other: _event(other, "cus_second"))
            second.start()
            assert not second.finished(0.5), "the second waits for the first's commit"
            conn = raw_connection(ledger_path)
            visible = conn.execute("SELECT count(*) FROM events").fetchone()[0]
            conn.close()
            assert visible == 0
        assert second.finished(30)
        with ledger.read() as tx:
            ordered = [e.object["id"] for _, e in tx.events.after(0, 10)]
    assert ordered == ["cus_first", "cus_second"]


def test_two_ticks_share_one_instants_renewals_each_doing_part_and_none_twice(
    ledger_path: ServerAddress, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = seed_subscriptions(ledger_path, 200, start=T)
    now = T + 32 * DAY  # every renewal overdue: all due at the ticks' first instant
    freeze_clock(ledger_path, now)
    with Ledger(ledger_path) as holder, holder.write():
        # both ticks wait for this write, so they start on the work together
        ticks = [
            subprocess.Popen(
                [sys.executable, "-m", "billcli", "invoices", "tick", "--to", str(now), "--json"],
                env=ledger_env(ledger_path),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        deadline = time.monotonic() + 60
        while _waiting_for_a_lock(ledger_path) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    renewed_by = []
    for tick in ticks:
        out, err = tick.communicate(timeout=300)
        assert tick.returncode == 0, err
        printed = json.loads(out)["data"]
        renewed_by.append(
            {e["data"]["object"]["subscription"] for e in printed if e["type"] == "invoice.created"}
        )
    first, second = renewed_by
    assert first and second, "each tick renewed some of the instant's subscriptions"
    assert not first & second
    assert first | second == set(ids)
    _renewed_once_each(ledger_path, ids, capsys)


def test_shared_steps_hold_the_write_lock_together_and_an_ordinary_write_waits_for_them(
    ledger_path: ServerAddress,
) -> None:
    freeze_clock(ledger_path, T)

    def shared(ledger: Ledger) -> bool:
        with ledger.write(clock=None, shared=True) as tx:
            return tx.shared

    def ordinary(ledger: Ledger) -> int:
        with ledger.write() as tx:
            return tx.now

    with Ledger(ledger_path) as ledger, ledger.write(clock=None, shared=True) as tx:
        assert tx.shared
        beside = Beside(ledger_path, shared)
        beside.start()
        assert beside.finished(30) and beside.result is True
        waiter = Beside(ledger_path, ordinary)
        waiter.start()
        assert not waiter.finished(0.5), "an ordinary write waits for the shared ones"
    assert waiter.finished(30)


def test_a_limit_that_cuts_a_customers_steps_takes_its_earliest_first(
    ledger_path: ServerAddress,
) -> None:
    first, second = seed_subscriptions(ledger_path, 2, start=T, per_customer=2)
    now = T + 32 * DAY
    freeze_clock(ledger_path, now)
    with Ledger(ledger_path) as ledger, ledger.write(clock=None, shared=True) as tx:
        assert tx.customers.hold("subscription", [second, first], now, limit=1) == {first}
