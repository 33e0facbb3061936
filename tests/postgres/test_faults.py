"""A PostgreSQL connection killed mid-transaction (the server's `pg_terminate_backend`,
as a failover or an operator does): what was acknowledged stays, nothing is half
written, and the command says so in one line (exit 3)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from billcli.store.paths import ServerAddress
from tests.processes import billcli_process
from tests.tick_helpers import event_counts, freeze_clock, seed_due_invoices

pytestmark = [pytest.mark.postgresql_only, pytest.mark.slow]

T = 1_900_000_000
LOST = "the connection to the server was lost"


def _terminate_when(url: str, ready: str, process: Any) -> list[Any]:
    """Kill the billcli backend of the ledger's database once `ready` (a condition on
    its `pg_stat_activity` row) holds: the connection dies, the process goes on. The
    start of the backend's writing transaction at each look, from the first to the kill
    (a transaction that has written holds an xid; the opening's short reads hold none,
    and a look may or may not fall on one)."""
    starts = []
    with psycopg.connect(url, autocommit=True) as watcher:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, "the command ended before its connection was killed"
            seen = watcher.execute(
                "SELECT pid, xact_start, "
                f"{ready}, backend_xid IS NOT NULL FROM pg_stat_activity "
                "WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL LIMIT 1"
            ).fetchone()
            if seen:
                if seen[3]:
                    starts.append(seen[1])
                if seen[2]:
                    watcher.execute("SELECT pg_terminate_backend(%s)", [seen[0]])
                    return starts
            time.sleep(0.01)
    raise AssertionError("the command's transaction never reached the point to kill it")


def _count(url: str, sql: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_a_connection_killed_mid_import_writes_none_of_the_file(
    ledger_path: ServerAddress, ok: Any, billcli: Any, tmp_path: Path
) -> None:
    customer = ok("customers", "create", "--currency", "usd")["id"]
    file = tmp_path / "rows.csv"
    file.write_text(
        "customer,amount,currency\n" + "".join(f"{customer},-1,usd\n" for _ in range(300_000))
    )
    importing = billcli_process(ledger_path, "balance", "import", str(file))
    # three seconds into its transaction, which began once: rows written, none committed
    starts = _terminate_when(
        ledger_path.url, "xact_start < now() - interval '3 seconds'", importing
    )
    assert len(set(starts)) == 1, "the import committed part of the file on its way"
    out, err = importing.communicate(timeout=120)
    assert importing.returncode == 3, (out, err)
    assert LOST in err and len(err.strip().splitlines()) == 1, err
    assert _count(ledger_path.url, "SELECT count(*) FROM balance_transactions") == 0
    assert ok("customers", "show", customer)["balance"] == 0
    assert billcli("ledger", "check").code == 0


def test_a_tick_whose_connection_is_killed_keeps_each_step_it_committed_and_no_half(
    ledger_path: ServerAddress, billcli: Any
) -> None:
    ids = seed_due_invoices(ledger_path, 300, created=T)
    freeze_clock(ledger_path, T)
    target = str(T + 2 * 3600)
    ticking = billcli_process(ledger_path, "invoices", "tick", "--to", target)
    _terminate_when(
        ledger_path.url,
        "(SELECT count(*) FROM events WHERE type = 'invoice.paid') >= 50",
        ticking,
    )
    _, err = ticking.communicate(timeout=120)
    assert ticking.returncode == 3 and LOST in err, err
    assert billcli("ledger", "check").code == 0
    paid = {obj for (obj, kind) in event_counts(ledger_path) if kind == "invoice.paid"}
    assert 50 <= len(paid) < len(ids), len(paid)
    finishing = billcli_process(ledger_path, "invoices", "tick", "--to", target)
    assert finishing.wait(timeout=300) == 0
    assert billcli("ledger", "check").code == 0
    counts = event_counts(ledger_path)
    for invoice in ids:
        for kind in ("invoice.finalized", "invoice.payment_succeeded", "invoice.paid"):
            assert counts.get((invoice, kind)) == 1, (invoice, kind)
