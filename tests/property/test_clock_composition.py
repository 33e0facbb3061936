"""Property: advancing a test clock over a→c leaves the ledger exactly as a→b then
b→c (the same renewals, charges, notices and ends at the same instants of the clock),
and the ledger clock's customers, beside it, are not touched either way."""

import shutil
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billcli.services.clock import clocks
from billcli.store.ledger import Ledger
from tests.property.test_tick_composition_subscriptions import DAY, catalog, state, subscribe

A = 1_748_649_600  # 2025-05-31 00:00 UTC: the clock's month ends clamp (June has 30 days)


def build(path: Path) -> str:
    """The same seven subscriptions on a clock at A and on the ledger clock at T."""
    with Ledger(path) as ledger:
        price = catalog(ledger)
        clock = clocks.create(ledger, str(A))["id"]
        subscribe(ledger, price, start=A, test_clock=clock)
        subscribe(ledger, price)
    return clock


def clock_state(path: Path, clock: str) -> tuple[object, ...]:
    """`state` without the clock's own advancing/ready events (one per advance asked
    for), with the clock's time and status."""
    subs, invoices, lines, events, balances, ledger_clock = state(path)
    events = [e for e in events if not e[0].startswith("test_helpers.test_clock.")]
    conn = sqlite3.connect(path)
    row = conn.execute(
        "SELECT frozen_time, status, target_frozen_time FROM test_clocks WHERE id = ?", [clock]
    ).fetchone()
    conn.close()
    return subs, invoices, lines, events, balances, ledger_clock, row


def ledger_clock_invoices(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT id, status, created, total FROM invoices WHERE test_clock IS NULL ORDER BY seq"
    ).fetchall()
    conn.close()
    return rows


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# A clock only moves forward (Stripe refuses an advance to its own frozen time).
@given(first=st.integers(1, 45 * DAY), second=st.integers(1, 45 * DAY))
def test_one_advance_of_a_clock_equals_two_consecutive_advances(first, second):
    with tempfile.TemporaryDirectory() as folder:
        whole, split = Path(folder) / "whole.db", Path(folder) / "split.db"
        clock = build(whole)
        shutil.copy(whole, split)
        bystanders = ledger_clock_invoices(whole)
        with Ledger(whole) as ledger:
            clocks.advance(ledger, clock, to=str(A + first + second))
        with Ledger(split) as ledger:
            clocks.advance(ledger, clock, to=str(A + first))
            clocks.advance(ledger, clock, to=str(A + first + second))
        assert clock_state(whole, clock) == clock_state(split, clock)
        assert clock_state(whole, clock)[-1] == (A + first + second, "ready", None)
        assert ledger_clock_invoices(whole) == ledger_clock_invoices(split) == bystanders
