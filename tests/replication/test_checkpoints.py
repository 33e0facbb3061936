"""billcli leaves checkpointing to Litestream, so Litestream never loses its place.

Litestream 0.5 has no generations: when a checkpoint it did not make moves the WAL from
under it, it copies the whole database again (its log says `snap=true` with a reason),
which is what a new generation was in 0.3. A replication that keeps its place takes one
snapshot, the first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from billcli.store.checkpoints import SIDECAR_SUFFIX
from billcli.store.ledger import Ledger
from tests.replication.conftest import Replication, read_only
from tests.replication.workload import progress, seed, start

SQLITE_DEFAULT_AUTOCHECKPOINT = 1000  # pages
# Litestream 0.5's own race, on a busy machine: between its PASSIVE checkpoint and its
# next read of the WAL, a writer may (as SQLite allows after a checkpoint that copied
# every page) start the WAL over and write past the place Litestream last read. It then
# snapshots with this reason, though nobody else checkpointed: the test holds billcli to
# the part it controls, that every restart of the WAL followed Litestream's checkpoint.
LITESTREAMS_OWN_RACE = "wal overwritten by another process"


def autocheckpoint(path: Path) -> int:
    with Ledger(path) as ledger:
        return int(ledger.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])


def test_a_ledger_keeps_sqlites_automatic_checkpoints_until_litestream_replicates_it(
    ledger_path: Path,
) -> None:
    assert autocheckpoint(ledger_path) == SQLITE_DEFAULT_AUTOCHECKPOINT
    (ledger_path.parent / f".{ledger_path.name}{SIDECAR_SUFFIX}").mkdir()
    assert autocheckpoint(ledger_path) == 0


def test_litestreams_folder_beside_a_symlink_to_the_ledger_turns_them_off_too(
    ledger_path: Path,
) -> None:
    Ledger(ledger_path).close()
    link = ledger_path.parent / "linked" / "billing.db"
    link.parent.mkdir()
    link.symlink_to(ledger_path)
    (link.parent / f".billing.db{SIDECAR_SUFFIX}").mkdir()
    assert autocheckpoint(link) == 0
    assert autocheckpoint(ledger_path) == SQLITE_DEFAULT_AUTOCHECKPOINT


def test_a_busy_tick_and_short_commands_under_litestream_never_checkpoint_behind_its_back(
    ledger_path: Path, replication: Replication, billcli: Callable[..., Any]
) -> None:
    customer = seed(ledger_path)
    replication.start()
    assert autocheckpoint(ledger_path) == 0, "Litestream's own folder names the rule's"
    busy = start(ledger_path, customer)
    while busy.running():  # short processes opening and closing the ledger meanwhile
        assert billcli("customers", "show", customer, "--json").code == 0
        time.sleep(0.2)
    busy.finish()
    assert billcli("ledger", "check").code == 0
    replication.sync()

    with read_only(ledger_path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    wal = ledger_path.with_name(ledger_path.name + "-wal")
    assert wal.stat().st_size > SQLITE_DEFAULT_AUTOCHECKPOINT * page_size, (
        "the workload must write enough for SQLite's automatic checkpoint to fire"
    )
    assert replication.restarts_it_did_not_allow() == []
    snapshots = replication.snapshots()
    assert "reason=" not in snapshots[0], snapshots
    assert all(LITESTREAMS_OWN_RACE in later for later in snapshots[1:]), snapshots
    assert progress(replication.restore("replica.db")) == progress(ledger_path)


def test_a_write_while_litestream_is_stopped_costs_a_full_snapshot_when_it_restarts(
    ledger_path: Path, replication: Replication, billcli: Callable[..., Any]
) -> None:
    """Why the README says to keep Litestream running while billcli writes: with
    nobody else holding the file, the last connection to close checkpoints the WAL and
    deletes it (SQLite's rule, which no pragma of Python's sqlite3 module can turn off)."""
    customer = seed(ledger_path)
    replication.start()
    replication.stop()
    written = billcli("balance", "create", customer, "--amount", "-100", "--currency", "usd")
    assert written.code == 0, written.err
    assert not ledger_path.with_name(ledger_path.name + "-wal").exists()
    replication.start()
    replication.sync()

    snapshots = replication.snapshots()
    assert len(snapshots) == 2 and "reason=" in snapshots[1], snapshots
    assert progress(replication.restore("replica.db")) == progress(ledger_path)
