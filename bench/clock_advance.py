"""Advancing a test clock against `invoices tick`, and two clocks advanced at once.

    python bench/clock_advance.py [--customers 10000] [--each 2000] [--rounds 2] [--days 365]

1. A year (`--days`) of monthly renewals for `--customers` customers (a Visa and one $20.00
   monthly subscription each, created a thirtieth a day over 30 days): once with the
   customers on the ledger clock, run by `invoices tick --to …`, and once with the same
   customers on one test clock, run by `clocks advance CLOCK --to …`. Both run the same
   steps (`services/clock/tick.py`), so an advance should cost what the tick does. Each
   runs `--rounds` times on a fresh copy of its ledger, taking turns (tick, advance,
   advance, tick, …), so that both see the same load on a shared machine; the 1-minute
   load average is read before each run.
2. Two clocks of `--each` customers in one ledger, advanced a month by two processes
   started together, each under `lock_timed.py`, which times its write transactions:
   the longest a process waited for SQLite's write lock should be at most the other's
   longest write (one step's transaction) if the two only queue on the lock. A watcher
   also reads both clocks' progress (their time, their invoices' states, the renewals
   announced) every 20 ms: the longest a clock's progress stands still while its
   process runs (from its first step), together and alone.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ledgers import import_customers, monthly_plan
from measured import checkpoint, opened, timed

from billcli.services.clock import clocks
from billcli.services.subscriptions import creation as subscriptions
from billcli.services.subscriptions.creation import SubscriptionInput
from billcli.store.ledger import Ledger

HERE = Path(__file__).parent
DAY = 86_400
T0 = 1_803_859_200  # 2027-03-01 00:00 UTC


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


@dataclass(frozen=True)
class Advance:
    """One clock's advance in the two-clock part: its longest stand-still as the watcher
    saw it, and its write transactions as `lock_timed.py` timed them (seconds)."""

    stand_still: float
    writes: int
    longest_wait: float
    longest_hold: float


def stalls(path: Path, clock_ids: list[str], until: int) -> tuple[list[Advance], float]:
    """Advance the clocks to `until` by one process each, started together: what each
    advance waited and held (`Advance`), and the wall time."""
    env = {**os.environ, "BILLCLI_LEDGER": str(path)}
    timings = [path.with_suffix(f".{n}.json") for n in range(len(clock_ids))]
    started = time.perf_counter()
    procs = [
        subprocess.Popen([sys.executable, str(HERE / "lock_timed.py"), str(out), "clocks",
                          "advance", c, "--to", str(until)], env=env, stdout=subprocess.DEVNULL)
        for c, out in zip(clock_ids, timings, strict=True)
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
    wall = time.perf_counter() - started
    found = [
        Advance(longest[c], **json.loads(out.read_text()))
        for c, out in zip(clock_ids, timings, strict=True)
    ]
    return found, wall


def taking_turns(
    ledgers: dict[str, tuple[Path, list[str]]], folder: Path, rounds: int
) -> dict[str, list[tuple[float, float]]]:
    """Each command run `rounds` times on a fresh copy of its ledger, the commands taking
    turns and the order reversed each round (A B, B A, …) so that a load that drifts
    weighs on both alike: per command, (seconds, 1-minute load average before) of each
    run."""
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in ledgers}
    names = list(ledgers)
    for round_ in range(rounds):
        for name in names if round_ % 2 == 0 else names[::-1]:
            base, args = ledgers[name]
            copy = folder / f"{name}-{round_}.db"  # a name of its own: no stale -wal beside it
            shutil.copy(base, copy)
            load = os.getloadavg()[0]
            seconds, _, _ = timed(command(*args), {**os.environ, "BILLCLI_LEDGER": str(copy)})
            runs[name].append((seconds, load))
            if round_ < rounds - 1:
                copy.unlink()
    return runs


def mean(runs: list[tuple[float, float]]) -> float:
    return sum(seconds for seconds, _ in runs) / len(runs)


def run(customers: int, each: int, rounds: int = 2, days: int = 365) -> list[str]:
    """The benchmark; its section of bench/results.md."""
    # `days` after the last subscription began, and two hours (its renewal paid)
    until = T0 + 29 * DAY + days * DAY + 2 * 3600
    span = "A year" if days == 365 else f"{days} days"
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        on_ledger, on_clock = folder / "ledger.db", folder / "clock.db"
        build(on_ledger, folder, [customers], on_clocks=False)
        (clock,) = build(on_clock, folder, [customers])
        runs = taking_turns(
            {
                "tick": (on_ledger, ["invoices", "tick", "--to", str(until)]),
                "advance": (on_clock, ["clocks", "advance", clock, "--to", str(until)]),
            },
            folder,
            rounds,
        )
        renewed = renewals(folder / f"tick-{rounds - 1}.db")
        on_clock_renewed = renewals(folder / f"advance-{rounds - 1}.db")
        least = customers * (days // 31)
        assert renewed == on_clock_renewed >= least, (renewed, on_clock_renewed)
        tick_s, advance_s = mean(runs["tick"]), mean(runs["advance"])
        pair = folder / "pair.db"
        clock_ids = build(pair, folder, [each, each])
        month_on = T0 + 29 * DAY + 31 * DAY + 2 * 3600
        alone = []
        for n, clock_id in enumerate(clock_ids):
            copy = folder / f"alone{n}.db"  # a name of its own: no stale -wal file beside it
            shutil.copy(pair, copy)
            (advance,), seconds = stalls(copy, [clock_id], month_on)
            alone.append((advance, seconds))
        together, wall = stalls(pair, clock_ids, month_on)
    return [
        f"{span} of monthly renewals for {customers:,} customers ({renewed:,} renewals, each "
        "finalized and paid an hour later), on the ledger clock and on one test clock; "
        f"{rounds} runs of each, taking turns on fresh copies of the two ledgers (the load "
        "average is the machine's 1-minute figure when the run began):",
        "",
        "| what | runs (load average) | mean | renewals/s |",
        "|---|---|---|---|",
        *(
            f"| {label} | "
            + ", ".join(f"{s:.1f} s ({load:.1f})" for s, load in runs[key])
            + f" | {mean(runs[key]):.1f} s | {renewed / mean(runs[key]):,.0f} |"
            for key, label in (
                ("tick", "`invoices tick --to …` (ledger clock)"),
                ("advance", "`clocks advance CLOCK --to …` (test clock)"),
            )
        ),
        f"| the advance against the tick | | {advance_s / tick_s:.0%} | |",
        "",
        f"Two clocks of {each:,} customers each in one ledger, advanced a month by two "
        "processes at once, each run by `bench/lock_timed.py`, which times every write "
        "transaction: how long `BEGIN IMMEDIATE` waited for the other process's lock, and "
        "how long the lock was then held (one write). Blocked no longer than one write: "
        "a clock's longest wait is at most the other's longest write. The watcher's "
        "longest stand-still (the clock's progress unchanged, read every 20 ms) is shown "
        "alone and together:",
        "",
        "| clock | writes | alone: wall | longest write (together) | longest wait (together) "
        "| within one write of the other? | stand-still alone / together |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {n + 1} | {t.writes:,} | {w:.1f} s | {t.longest_hold * 1000:.0f} ms | "
            f"{t.longest_wait * 1000:.0f} ms | "
            f"{'yes' if t.longest_wait <= other.longest_hold else 'no'} | "
            f"{a.stand_still * 1000:.0f} ms / {t.stand_still * 1000:.0f} ms |"
            for n, ((a, w), t, other) in enumerate(
                zip(alone, together, together[::-1], strict=True)
            )
        ),
        "",
        f"Both together took {wall:.1f} s of wall time, against "
        f"{sum(seconds for _, seconds in alone):.1f} s one after the other.",
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--each", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    print("\n".join(run(args.customers, args.each, args.rounds, args.days)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
