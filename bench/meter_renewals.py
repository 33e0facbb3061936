"""The month-end renewal of metered subscriptions, against a raw SQL floor computing
the same per-customer aggregates.

    python bench/meter_renewals.py [--subscriptions 10000] [--events 10000000]

A ledger is built through the services: `--subscriptions` customers with a card, each
subscribed at one instant to a $20.00 monthly licensed price and a metered price of a
`sum` meter (graduated tiers), so that every one renews at the same period end. A month
of events (`--events`, each customer's in turn) is imported by billcli. Then, as a
user would (a subprocess): `invoices tick` to two hours past the period end, which
renews every subscription, bills its usage in arrears on the renewal invoice, counts
it again an hour later at finalization (the grace period), and charges the card.

The same tick on a copy without events gives what the renewals cost without usage;
the difference is what the usage costs. The floor: the per-customer sums of the
period's events in one `GROUP BY` query, over a copy of the events with a covering
index on (meter, customer, timestamp, value). The difference of two ticks of minutes
can be smaller than the machine's noise, so billcli's own reading of the same
per-customer usage (the service a renewal calls, in process) is timed beside it too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from ledgers import import_customers, monthly_plan
from measured import checkpoint, timed
from meter_import import fresh_copy, write_events

from billcli.services.catalog import prices
from billcli.services.catalog.prices import PriceInput
from billcli.services.clock.tick import tick
from billcli.services.meters import meters
from billcli.services.meters.usage import usage
from billcli.services.subscriptions import creation as subscriptions
from billcli.services.subscriptions.creation import SubscriptionInput
from billcli.store.ledger import Ledger

START = 1_801_440_000  # 2027-02-01 00:00 UTC: the period ends on March 1
END = 1_803_859_200
DAY = 86_400
KEPT = ("without", "rss without", "with", "rss", "floor", "read")


def build(folder: Path, count: int) -> Path:
    path = folder / "metered.db"
    with Ledger(path) as ledger:
        with ledger.write(at=START):
            pass
        ids = import_customers(ledger, folder, count)
        licensed = monthly_plan(ledger)
        meter = meters.create(
            ledger,
            meters.MeterInput(event_name="api_requests", display_name="API", aggregation="sum"),
        )["id"]
        metered = prices.create(
            ledger,
            PriceInput(product="plan", currency="usd", recurring_interval="month",
                       usage_type="metered", meter=meter, billing_scheme="tiered",
                       tiers_mode="graduated", tiers=("1000:2", "inf:1")),
        )["id"]  # fmt: skip
        with ledger.bulk(), ledger.write() as tx:
            for customer in ids:
                subscriptions.create_in(tx, SubscriptionInput(customer, (licensed, metered)))
        tick(ledger, to=str(END - 2 * DAY))
    checkpoint(path)
    (folder / "ids.txt").write_text("\n".join(ids))
    return path


def floor(path: Path) -> tuple[float, dict[str, int]]:
    """Seconds of the per-customer sums over a covering index, and the sums."""
    copy = path.with_name("floor.db")
    conn = sqlite3.connect(copy, isolation_level=None)
    conn.execute("ATTACH ? AS source", [str(path)])
    conn.execute(
        "CREATE TABLE events AS SELECT meter, customer, timestamp, value "
        "FROM source.meter_events WHERE canceled IS NULL"
    )
    conn.execute("CREATE INDEX events_by_customer ON events (meter, customer, timestamp, value)")
    meter = conn.execute("SELECT seq FROM source.meters").fetchone()[0]
    conn.execute("DETACH source")
    started = time.perf_counter()
    sums = dict(
        conn.execute(
            "SELECT customer, sum(value) FROM events WHERE meter = ? AND timestamp >= ? "
            "AND timestamp < ? GROUP BY customer",
            [meter, START, END],
        )
    )
    seconds = time.perf_counter() - started
    conn.close()
    copy.unlink()
    return seconds, sums


def billed(path: Path) -> dict[str, int]:
    """Each customer's usage quantity on its renewal invoice."""
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT customer, sum(quantity) FROM invoice_items WHERE usage_cycle_start IS NOT NULL "
        "AND period_end = ? GROUP BY customer",
        [END],
    )
    found = {customer: int(quantity) for customer, quantity in rows}
    conn.close()
    return found


def run(count: int, events: int, rounds: int = 3) -> list[str]:
    """The benchmark; its section of bench/results.md."""
    target = str(END + 2 * 3600)
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        started = time.perf_counter()
        base = build(folder, count)
        bare = folder / "bare.db"
        shutil.copy(base, bare)
        ids = (folder / "ids.txt").read_text().split("\n")
        file = folder / "events.ndjson"
        write_events(file, ids, events, "ordered", span=(START + 3600, END - 2 * DAY))
        env = {**os.environ, "BILLCLI_LEDGER": str(base)}
        importing = [sys.executable, "-m", "billcli", "meters", "events", "import", str(file)]
        timed(importing, env)
        file.unlink()
        built_s = time.perf_counter() - started
        checkpoint(base)
        ticked = folder / "ticked.db"
        ticking = [sys.executable, "-m", "billcli", "invoices", "tick", "--to", target]
        env["BILLCLI_LEDGER"] = str(ticked)
        runs: dict[str, list[float]] = {k: [] for k in KEPT}
        loads = []
        for _ in range(rounds):  # in turns, each tick on a fresh copy
            loads.append(os.getloadavg()[0])
            fresh_copy(bare, ticked)
            seconds, _, rss = timed(ticking, env)
            runs["without"].append(seconds)
            runs["rss without"].append(rss)
            fresh_copy(base, ticked)
            seconds, _, rss = timed(ticking, env)
            runs["with"].append(seconds)
            runs["rss"].append(rss)
            floor_s, sums = floor(base)
            runs["floor"].append(floor_s)
            read_s, read = usage_read(base, ids)
            runs["read"].append(read_s)
        assert billed(ticked) == sums, "billcli billed other quantities than the floor's sums"
        assert read == sums, "billcli's usage differs from the floor's sums"
    with_usage, without, floor_s, read_s = (
        statistics.median(runs[k]) for k in ("with", "without", "floor", "read")
    )
    rss, rss_without = max(runs["rss"]), max(runs["rss without"])
    usage_s = with_usage - without
    return [
        f"The month-end renewal of {count:,} metered subscriptions (a licensed $20.00 price "
        f"and a graduated metered price each) over {events:,} events, all renewing at one "
        f"instant (ledger built in {built_s:.0f} s; {rounds} rounds in turns, medians; load "
        f"average {min(loads):.1f} to {max(loads):.1f}): `invoices tick` to two hours past the "
        "period end (renewal, usage billed in arrears, counted again at finalization, card "
        "charged), as a subprocess; the same tick on a copy without events; the floor is "
        "the per-customer sums of the period in one `GROUP BY` over a covering index:",
        "",
        "| what | time |",
        "|---|---|",
        f"| billcli tick, with usage | {with_usage:.1f} s |",
        f"| billcli tick, no events | {without:.1f} s |",
        f"| what the usage costs (the difference) | {usage_s:.1f} s |",
        f"| floor: per-customer sums | {floor_s:.1f} s |",
        f"| usage cost ÷ floor | {usage_s / floor_s:.1f}× |",
        f"| billcli's usage of every customer's period, read in process (`usage()`) | "
        f"{read_s:.1f} s |",
        f"| that ÷ floor | {read_s / floor_s:.1f}× |",
        "",
        f"Peak RSS of the tick with usage: {rss:.0f} MiB (without: {rss_without:.0f} MiB). "
        "Every customer's billed quantity, and the usage read in process, equal the floor's "
        "sums.",
        "",
    ]


def usage_read(path: Path, customers: list[str]) -> tuple[float, dict[str, int]]:
    """Seconds billcli's own reading of every customer's usage of the period takes
    (what the renewal does once, its finalization again), and the quantities."""
    with Ledger(path) as ledger, ledger.read() as tx:
        [(_, meter)] = tx.meters.active().values()
        started = time.perf_counter()
        found = {c: usage(tx, meter, c, START, END) for c in customers}
        return time.perf_counter() - started, {c: q for c, q in found.items() if q}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print("\n".join(run(args.subscriptions, args.events, args.rounds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
