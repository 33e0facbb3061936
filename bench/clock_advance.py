"""Advancing a test clock against `invoices tick`, and two clocks advanced at once.

    python bench/clock_advance.py [--customers 10000] [--each 2000]

1. A year of monthly renewals for `--customers` customers (a Visa and one $20.00
   monthly subscription each, created a thirtieth a day over 30 days): once with the
   customers on the ledger clock, run by `invoices tick --to …`, and once with the same
   customers on one test clock, run by `clocks advance CLOCK --to …`. Both run the same
   steps (`services/clock/tick.py`), so an advance should cost what the tick does.
2. Two clocks of `--each` customers in one ledger, advanced a month by two processes
   started together. A watcher reads both clocks' progress (their time, their
   invoices' states, the renewals announced) every 20 ms: the longest a clock's
   progress stands still while its process runs (from its first step) is how long the
   other blocked it, at most one write (one step's transaction) if the two only queue
   on SQLite's write lock; the same figure is measured for each advance run alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ledgers import import_customers, monthly_plan
from measured import checkpoint, opened, timed

from billcli.services.clock import clocks
from billcli.services.subscriptions import creation as subscriptions
from billcli.services.subscriptions.creation import SubscriptionInput
from billcli.store.ledger import Ledger

DAY = 86_400
T0 = 1_803_859_200  # 2027-03-01 00:00 UTC
YEAR_ON = T0 + 29 * DAY + 365 * DAY + 2 * 3600  # a year after the last subscription began


def subscribe(ledger: Ledger, folder: Path, count: int, price: str, clock: str | None) -> None:
    """`count` customers on `clock` (None: the ledger clock), subscribed a thirtieth a day."""
    ids = import_customers(ledger, folder, count, clock=clock)
    per_day = -(-count // 30)
    with ledger.bulk():
        for day in range(30):
            with ledger.write(at=T0 + day * DAY, clock=clock) as tx:
                for customer in ids[day * per_day : (day + 1) * per_day]:
                    subscriptions.create_in(tx, SubscriptionInput(customer, (price,)))


def build(path: Path, folder: Path, counts: list[int], *, on_clocks: bool = True) -> list[str]:
    """A ledger at T0 with a test clock (at T0) per entry of `counts`, and that many
    customers on it; or, without `on_clocks`, the customers on the ledger clock."""
    with Ledger(path) as ledger:
        with ledger.write(at=T0):
            pass
        price = monthly_plan(ledger)
        made = []
        for count in counts:
            clock = clocks.create(ledger, str(T0))["id"] if on_clocks else None
            subscribe(ledger, folder, count, price, clock)
            made.append(str(clock))
    checkpoint(path)
    return made


# What changes with every step of a clock's advance: its time, its invoices' states,
# the renewals it announced (`invoice.upcoming`).
PROGRESS = (
    "SELECT (SELECT frozen_time FROM test_clocks WHERE id = ?), "
    "(SELECT count(*) || '/' || total(status = 'open') || '/' || total(status = 'paid') "
    "FROM invoices WHERE test_clock = ?), "
    "(SELECT total(upcoming_sent_for) FROM subscriptions WHERE test_clock = ?)"
)


def renewals(path: Path) -> int:
    with opened(path) as conn:
        query = "SELECT count(*) FROM invoices WHERE billing_reason = ? AND status = 'paid'"
        return int(conn.execute(query, ["subscription_cycle"]).fetchone()[0])


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "billcli", *args]


def stalls(path: Path, clock_ids: list[str], until: int) -> tuple[list[float], float]:
    """Advance the clocks to `until` by one process each, started together: each clock's
    longest stand-still while its process ran (seconds), and the wall time."""
    env = {**os.environ, "BILLCLI_LEDGER": str(path)}
    started = time.perf_counter()
    procs = [
        subprocess.Popen(command("clocks", "advance", c, "--to", str(until)), env=env,
                         stdout=subprocess.DEVNULL)
        for c in clock_ids
    ]  # fmt: skip
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    # Each clock's progress and when it last changed; None until its first step, so
    # that a process's start-up (imports, the claim) is not counted as a stand-still.
    seen: dict[str, tuple[object, float | None]] = {
        c: (conn.execute(PROGRESS, [c, c, c]).fetchone(), None) for c in clock_ids
    }
    longest = dict.fromkeys(clock_ids, 0.0)
    while any(p.poll() is None for p in procs):
        now = time.perf_counter()
        for clock, proc in zip(clock_ids, procs, strict=True):
            progress = conn.execute(PROGRESS, [clock, clock, clock]).fetchone()
            last, since = seen[clock]
            if progress != last or proc.poll() is not None:
                if since is not None:
                    longest[clock] = max(longest[clock], now - since)
                seen[clock] = (progress, now)
        time.sleep(0.02)
    conn.close()
    assert all(p.wait() == 0 for p in procs)
    return [longest[c] for c in clock_ids], time.perf_counter() - started


def run(customers: int, each: int) -> list[str]:
    """The benchmark; its section of bench/results.md."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        on_ledger, on_clock = folder / "ledger.db", folder / "clock.db"
        build(on_ledger, folder, [customers], on_clocks=False)
        (clock,) = build(on_clock, folder, [customers])
        tick_s, _, _ = timed(command("invoices", "tick", "--to", str(YEAR_ON)),
                             {**os.environ, "BILLCLI_LEDGER": str(on_ledger)})  # fmt: skip
        advance_s, _, _ = timed(command("clocks", "advance", clock, "--to", str(YEAR_ON)),
                                {**os.environ, "BILLCLI_LEDGER": str(on_clock)})  # fmt: skip
        renewed = renewals(on_ledger)
        assert renewed == renewals(on_clock) >= customers * 11, (renewed, renewals(on_clock))
        pair = folder / "pair.db"
        clock_ids = build(pair, folder, [each, each])
        month_on = T0 + 29 * DAY + 31 * DAY + 2 * 3600
        alone = []
        for n, clock_id in enumerate(clock_ids):
            copy = folder / f"alone{n}.db"  # a name of its own: no stale -wal file beside it
            shutil.copy(pair, copy)
            (longest,), wall = stalls(copy, [clock_id], month_on)
            alone.append((longest, wall))
        together, wall = stalls(pair, clock_ids, month_on)
    return [
        f"A year of monthly renewals for {customers:,} customers ({renewed:,} renewals, each "
        "finalized and paid an hour later), on the ledger clock and on one test clock:",
        "",
        "| what | time | renewals/s |",
        "|---|---|---|",
        f"| `invoices tick --to …` (ledger clock) | {tick_s:.1f} s | {renewed / tick_s:,.0f} |",
        f"| `clocks advance CLOCK --to …` (test clock) | {advance_s:.1f} s | "
        f"{renewed / advance_s:,.0f} |",
        f"| the advance against the tick | {advance_s / tick_s:.0%} | |",
        "",
        f"Two clocks of {each:,} customers each in one ledger, advanced a month by two "
        "processes at once. The longest a clock's progress stood still while its "
        "advance ran, from its first step (the watcher reads every 20 ms):",
        "",
        "| clock | alone: longest stand-still | alone: wall | together: longest stand-still |",
        "|---|---|---|---|",
        *(
            f"| {n + 1} | {a * 1000:.0f} ms | {w:.1f} s | {t * 1000:.0f} ms |"
            for n, ((a, w), t) in enumerate(zip(alone, together, strict=True))
        ),
        "",
        f"Both together took {wall:.1f} s of wall time, against "
        f"{sum(w for _, w in alone):.1f} s one after the other.",
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--each", type=int, default=2_000)
    args = parser.parse_args()
    print("\n".join(run(args.customers, args.each)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
