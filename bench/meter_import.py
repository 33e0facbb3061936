"""`meters events import` against a bare `executemany` floor.

    python bench/meter_import.py [--events 10000000] [--customers 10000]

A ledger with `--customers` customers and one `sum` meter is built through the services
on a frozen clock; an NDJSON file of events (each customer's in turn, timestamps over the
past 30 days in order, values 1-99) is written twice: with identifiers as a log would
number its requests (time-ordered, like ULIDs) and with random UUIDs (what the Stripe
CLI sends, and Stripe recommends). billcli imports a file as a user would (a
subprocess, on a fresh copy of the ledger), its peak memory measured by GNU time.

The floor is the least work that stores the same rows: a script that takes the rows
billcli wrote (read back from its ledger) and inserts them with one `executemany`, in
one transaction, into a table with the same columns and the same unique identifier
index, with billcli's settings (WAL, `synchronous=FULL`, a 64 MiB page cache); it
times the `executemany` and the commit, and again with the close of its connection (the
last one folds the write-ahead log into the file, as billcli's process does at its end).
billcli and the floor take turns.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from measured import checkpoint, opened, timed

# The ledger clock: 2027-03-01T00:00:00Z; the events cover the 30 days before it.
CLOCK = 1_803_859_200
SPAN_S = 30 * 86_400

FLOOR = r"""
import sqlite3, sys, time
source = sqlite3.connect(sys.argv[1])
floor = sqlite3.connect(sys.argv[2], isolation_level=None)
floor.execute("PRAGMA journal_mode = WAL")
floor.execute("PRAGMA synchronous = FULL")
floor.execute("PRAGMA cache_size = -65536")
floor.execute(
    "CREATE TABLE meter_events (seq INTEGER PRIMARY KEY, meter INTEGER NOT NULL, "
    "customer TEXT NOT NULL, timestamp INTEGER NOT NULL, value INTEGER NOT NULL, "
    "identifier TEXT NOT NULL, created INTEGER NOT NULL, canceled INTEGER)"
)
floor.execute("CREATE UNIQUE INDEX meter_events_by_identifier ON meter_events (identifier)")
rows = source.execute(
    "SELECT seq, meter, customer, timestamp, value, identifier, created, canceled "
    "FROM meter_events ORDER BY seq"
)
started = time.perf_counter()
floor.execute("BEGIN IMMEDIATE")
floor.executemany("INSERT INTO meter_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
floor.execute("COMMIT")
committed = time.perf_counter() - started
floor.close()  # the last connection folds the write-ahead log into the file, as billcli's
print(committed, time.perf_counter() - started)
"""


def build(folder: Path, customers: int) -> tuple[Path, list[str]]:
    """A ledger with the customers and the meter, its clock frozen; the customer ids."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    # startup: the bench builds its ledger with the services it measures
    from ledgers import import_customers

    from billcli.services.clock.tick import tick
    from billcli.services.meters import meters
    from billcli.store.ledger import Ledger

    path = folder / "base.db"
    with Ledger(path) as ledger:
        tick(ledger, to=str(CLOCK - SPAN_S - 3600))
        ids = import_customers(ledger, folder, customers, card=False)
        meters.create(
            ledger,
            meters.MeterInput(event_name="api_requests", display_name="API", aggregation="sum"),
        )
        tick(ledger, to=str(CLOCK))
    checkpoint(path)
    return path, ids


def write_events(
    path: Path,
    customers: list[str],
    count: int,
    identifiers: str,
    *,
    part: int = 0,
    span: tuple[int, int] = (CLOCK - SPAN_S, CLOCK),
) -> None:
    """`count` events of `customers` in turn over `span` (by default the 30 days before
    the clock), appended to `path` (identifiers of each `part` apart from the others')."""
    rng = random.Random(32 + part)
    start, length = span[0], span[1] - span[0]
    with path.open("a") as out:
        for n in range(count):
            at = start + n * length // count
            identifier = (
                str(uuid.UUID(int=rng.getrandbits(128), version=4))
                if identifiers == "uuid"
                else f"req_{part}_{at:010d}{n:010d}"
            )
            out.write(
                '{"event_name":"api_requests","payload":{"stripe_customer_id":"'
                f'{customers[n % len(customers)]}","value":"{rng.randint(1, 99)}"}},'
                f'"identifier":"{identifier}","timestamp":{at}}}\n'
            )


def fresh_copy(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copy(source, target)


@dataclass
class Measured:
    """Medians of the rounds: billcli's seconds, the floor's (insert and commit; and with
    its connection's close, which folds the log into the file as billcli's process
    does), billcli's peak MiB, the events written, and the load averages seen."""

    billcli: float
    floor: float
    floor_closed: float
    peak: float
    written: int
    loads: list[float]


def measure(folder: Path, base: Path, events: Path, rounds: int) -> Measured:
    ledger = folder / "import.db"
    env = {**os.environ, "BILLCLI_LEDGER": str(ledger)}
    billcli = [sys.executable, "-m", "billcli", "meters", "events", "import", str(events)]
    mine, floors, closed, peaks, loads = [], [], [], [], []
    for _ in range(rounds):
        loads.append(os.getloadavg()[0])
        fresh_copy(base, ledger)
        seconds, _, peak = timed(billcli, env)
        mine.append(seconds)
        peaks.append(peak)
        floor_db = folder / "floor.db"
        fresh_copy(base, floor_db)
        floor_db.unlink()
        done = subprocess.run(
            [sys.executable, "-c", FLOOR, str(ledger), str(floor_db)],
            stdout=subprocess.PIPE,  # its stderr shows, should it fail
            text=True,
            check=True,
        )
        committed, finished = map(float, done.stdout.split())
        floors.append(committed)
        closed.append(finished)
        loads.append(os.getloadavg()[0])
    with opened(ledger) as conn:
        written = conn.execute("SELECT count(*) FROM meter_events").fetchone()[0]
    return Measured(
        statistics.median(mine),
        statistics.median(floors),
        statistics.median(closed),
        max(peaks),
        int(written),
        loads,
    )


KINDS = {"ordered": "time-ordered (a request log's)", "uuid": "random UUIDs"}


def run(
    count: int, customers: int, rounds: int = 2, kinds: tuple[str, ...] = tuple(KINDS)
) -> list[str]:
    """The meter event import benchmark; its section of bench/results.md."""
    lines = [
        f"`meters events import` of {count:,} events (NDJSON, {customers:,} customers, one "
        "meter) into a fresh copy of a ledger, billcli as a subprocess; the floor inserts the "
        "rows billcli wrote with one `executemany` in one transaction into a table with the "
        "same columns and unique identifier index (same settings: WAL, synchronous=FULL, "
        f"64 MiB cache), timing the insert and commit alone, and again with the close of "
        "its connection (which, as billcli's process does at its end, folds the write-ahead "
        f"log into the file); turns taken, {rounds} rounds, medians:",
        "",
        "| identifiers | billcli | floor | billcli ÷ floor | floor with its close | "
        "billcli ÷ that | rows/s | peak RSS | load average |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        base, ids = build(folder, customers)
        for kind in kinds:
            label = KINDS[kind]
            events = folder / f"events-{kind}.ndjson"
            write_events(events, ids, count, kind)
            m = measure(folder, base, events, rounds)
            assert m.written == count, (m.written, count)
            lines.append(
                f"| {label} | {m.billcli:.1f} s | {m.floor:.1f} s | {m.floor / m.billcli:.0%} | "
                f"{m.floor_closed:.1f} s | {m.floor_closed / m.billcli:.0%} | "
                f"{count / m.billcli:,.0f} | {m.peak:.0f} MiB | "
                f"{min(m.loads):.1f}–{max(m.loads):.1f} |"
            )
            events.unlink()
    return [*lines, ""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--identifiers", choices=[*KINDS, "both"], default="both")
    args = parser.parse_args()
    kinds = tuple(KINDS) if args.identifiers == "both" else (args.identifiers,)
    print("\n".join(run(args.events, args.customers, args.rounds, kinds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
