"""A meter summary for one customer over a month, against a raw SQL floor, and on a
ledger ten times bigger.

    python bench/meter_summary.py [--events 10000000] [--customers 10000]

Two ledgers are built as `bench/meter_import.py` builds one (one `sum` meter, a month
of events, 1,000 a customer, imported by billcli): a small one of `--customers` ÷ 10
customers and a big one of `--customers`. The big file is the small one's layout ten
times over, for ten groups of customers in turn, so each customer's events are written
in the same runs in both: what grows is the ledger, not the customer's month.

billcli: the service behind `meters summaries` and `GET /v1/billing/meters/…/
event_summaries` (`services.meters.usage.summaries`), in process on an open ledger,
for the month of one customer after another. The floor: the same sum in one SQL query
over a copy of the events (meter, customer, timestamp, value) with a covering index
on (meter, customer, timestamp, value), the least a raw SQL store reads for it.
Medians over the sampled customers.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from measured import timed
from meter_import import CLOCK, SPAN_S, build, fresh_copy, write_events

SAMPLES = 200


def _ledger(folder: Path, name: str, customers: int, per_customer: int, groups: int) -> Path:
    """A ledger of `customers` customers with `per_customer` events each this month,
    the file written in `groups` groups of customers in turn."""
    work = folder / name
    work.mkdir()
    base, ids = build(work, customers)
    events = work / "events.ndjson"
    size = len(ids) // groups
    for part in range(groups):
        group = ids[part * size : (part + 1) * size]
        write_events(events, group, len(group) * per_customer, "ordered", part=part)
    ledger = work / "ledger.db"
    fresh_copy(base, ledger)
    env = {**os.environ, "BILLCLI_LEDGER": str(ledger)}
    timed([sys.executable, "-m", "billcli", "meters", "events", "import", str(events)], env)
    events.unlink()
    return ledger


def _billcli(path: Path, customers: list[str], start: int, end: int) -> tuple[float, list[int]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    # startup: the bench imports billcli's services only once its ledgers are built
    from billcli.services.meters.usage import summaries
    from billcli.store.ledger import Ledger

    with Ledger(path) as ledger:
        with ledger.read() as tx:
            meter = tx.conn.execute("SELECT id FROM meters").fetchone()[0]
        for _ in range(2):  # the first round warms the page cache; the second is timed
            seconds, values = [], []
            for customer in customers:
                started = time.perf_counter()
                page = summaries(ledger, meter, customer=customer, start=start, end=end)
                seconds.append(time.perf_counter() - started)
                value = page.data[0]["aggregated_value"]
                assert isinstance(value, int)
                values.append(value)
    return statistics.median(seconds), values


def _floor(path: Path, customers: list[str], start: int, end: int) -> tuple[float, list[int]]:
    floor = path.with_name("floor.db")
    conn = sqlite3.connect(floor, isolation_level=None)
    conn.execute("ATTACH ? AS source", [str(path)])
    conn.execute(
        "CREATE TABLE events AS SELECT meter, customer, timestamp, value "
        "FROM source.meter_events WHERE canceled IS NULL"
    )
    conn.execute("CREATE INDEX events_by_customer ON events (meter, customer, timestamp, value)")
    meter = conn.execute("SELECT seq FROM source.meters").fetchone()[0]
    conn.execute("DETACH source")
    for _ in range(2):  # as billcli's: a warming round, then the timed one
        seconds, values = [], []
        for customer in customers:
            started = time.perf_counter()
            row = conn.execute(
                "SELECT coalesce(sum(value), 0) FROM events WHERE meter = ? AND customer = ? "
                "AND timestamp >= ? AND timestamp < ?",
                [meter, customer, start, end],
            ).fetchone()
            seconds.append(time.perf_counter() - started)
            values.append(row[0])
    conn.close()
    floor.unlink()
    return statistics.median(seconds), values


def _sample(path: Path, count: int) -> list[str]:
    conn = sqlite3.connect(path)
    ids = [row[0] for row in conn.execute("SELECT id FROM customers ORDER BY seq")]
    conn.close()
    step = max(1, len(ids) // count)
    spread = ids[::step]
    return (spread * (count // len(spread) + 1))[:count]


def run(events: int, customers: int) -> list[str]:
    """The summary benchmark; its section of bench/results.md."""
    per_customer = max(1, events // customers)
    start, end = CLOCK - SPAN_S, CLOCK
    lines = [
        f"`meters summaries` of one customer over a month ({per_customer:,} events each), "
        "in process on an open ledger, against the same sum in one SQL query over a copy "
        "of the events with a covering index on (meter, customer, timestamp, value); "
        f"medians over {SAMPLES} customers. The big ledger is the small one's file layout "
        "ten times over (ten groups of customers), so each customer's events lie in the "
        "same runs in both:",
        "",
        "| ledger | events | billcli | floor | billcli ÷ floor |",
        "|---|---|---|---|---|",
    ]
    timings = []
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        for name, count, groups in (("small", customers // 10, 1), ("big", customers, 10)):
            path = _ledger(folder, name, count, per_customer, groups)
            sample = _sample(path, SAMPLES)
            mine, got = _billcli(path, sample, start, end)
            floor, wanted = _floor(path, sample, start, end)
            assert got == wanted, "billcli's summaries differ from the floor's sums"
            timings.append(mine)
            lines.append(
                f"| {name} | {count * per_customer:,} | {mine * 1000:.2f} ms | "
                f"{floor * 1000:.2f} ms | {mine / floor:.1f}× |"
            )
    lines += [
        "",
        f"The big ledger's summary takes {timings[1] / timings[0]:.2f}× the small one's.",
        "",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--customers", type=int, default=10_000)
    args = parser.parse_args()
    print("\n".join(run(args.events, args.customers)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
