"""A busy ledger for the replication tests: a tick renewing hundreds of subscriptions
while another process writes balance transactions, both through the real CLI."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from billcli.store.ledger import Ledger
from tests.processes import WORKER, billcli_process
from tests.replication.conftest import read_only
from tests.tick_helpers import seed_subscriptions

T = 1_900_000_000
DAY = 86_400
# Each renews once, its anchors spread over 20 days: the tick renews, finalizes and
# charges them in time order, committing up to 100 steps at a time.
SUBSCRIPTIONS = 250
BALANCE_WRITES = 30
# Tables only the log grows (a row once written never changes): a replica holds a
# prefix of each, row for row.
APPEND_ONLY = ("events", "balance_transactions")


def seed(ledger_path: Path) -> str:
    """The subscriptions, with the ledger clock frozen at T; a customer's id."""
    seed_subscriptions(ledger_path, SUBSCRIPTIONS, start=T)
    with Ledger(ledger_path) as ledger, ledger.write(at=T):
        pass
    with read_only(ledger_path) as conn:
        return str(conn.execute("SELECT id FROM customers ORDER BY seq LIMIT 1").fetchone()[0])


@dataclass
class Busy:
    tick: subprocess.Popen[str]
    writes: subprocess.Popen[str]

    def running(self) -> bool:
        return self.tick.poll() is None

    def finish(self) -> None:
        for process in (self.tick, self.writes):
            _, err = process.communicate(timeout=300)
            assert process.returncode == 0, err


def start(ledger_path: Path, customer: str) -> Busy:
    """`invoices tick` over the renewals, and `balance create` BALANCE_WRITES times
    (each its own commit) in a second process."""
    tick = billcli_process(ledger_path, "invoices", "tick", "--to", str(T + 32 * DAY))
    write = ["balance", "create", customer, "--amount", "-100", "--currency", "usd"]
    writes = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(BALANCE_WRITES), *write],
        env={**os.environ, "BILLCLI_LEDGER": str(ledger_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return Busy(tick, writes)


def progress(path: Path) -> tuple[int, int]:
    """How far a ledger's history goes: its last event, and how many of the balance
    writes (adjustments; the tick applies their credit to invoices too) it holds."""
    with read_only(path) as conn:
        event = conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]
        query = "SELECT count(*) FROM balance_transactions WHERE type = 'adjustment'"
        balance = conn.execute(query).fetchone()[0]
    return int(event), int(balance)


def billcli_tables(conn: sqlite3.Connection) -> list[str]:
    """The ledger's tables, without SQLite's and Litestream's own (`_litestream_seq`,
    which Litestream bumps in the primary when it checkpoints) and without the virtual
    search tables (their shadow tables hold their content)."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' "
        "ESCAPE '!' AND name NOT LIKE '!_litestream!_%' ESCAPE '!' "
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
    )
    return [name for (name,) in rows]


def table_digests(path: Path) -> dict[str, tuple[int, str]]:
    """Each table's row count and a hash of its rows (in a fixed order)."""
    digests = {}
    with read_only(path) as conn:
        for table in billcli_tables(conn):
            rows = sorted(repr(row) for row in conn.execute(f'SELECT * FROM "{table}"'))
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            digests[table] = (len(rows), digest)
    return digests


def prefix_problems(replica: Path, primary: Path) -> list[str]:
    """What in `replica` is not an earlier state of `primary`: an append-only row that
    differs or skips ahead of a row the replica lacks, or any row (its seq and id) the
    primary never had. A later commit may change a row, never its identity."""
    problems = []
    with read_only(replica) as mine, read_only(primary) as theirs:
        for table in APPEND_ONLY:
            kept = mine.execute(f"SELECT * FROM {table} ORDER BY seq").fetchall()
            last = kept[-1][0] if kept else 0
            query = f"SELECT * FROM {table} WHERE seq <= ? ORDER BY seq"
            if kept != theirs.execute(query, [last]).fetchall():
                problems.append(f"{table}: not the primary's first rows up to seq {last}")
        for table in billcli_tables(mine):
            columns = {row[1] for row in mine.execute(f'PRAGMA table_info("{table}")')}
            if "seq" not in columns or table in APPEND_ONLY:
                continue
            key = f'SELECT {"seq, id" if "id" in columns else "seq"} FROM "{table}"'
            extra = set(mine.execute(key)) - set(theirs.execute(key))
            if extra:
                problems.append(f"{table}: {len(extra)} rows the primary never had")
    return problems
