"""Writers of one ledger take turns at the write lock (`store/turns.py`): a writer that
waits takes the lock as soon as it is free, not at its next back-off (SQLite's own busy
handler sleeps up to 100 ms between tries), and after a commit it had to wait for it
lets the other writer in."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from billcli.store import turns
from billcli.store.ledger import Ledger

# SQLite's busy handler tries at 1, 3, 8, 18, 33, 53, 78, 103, 128, 178, 228, 328 ms:
# a lock released at 240 ms is seen by its try at 328 ms, 88 ms late.
HELD_S = 0.24
LATE_S = 0.04


def _held_then_released(path: Path, released: list[float]) -> threading.Thread:
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")

    def release() -> None:
        time.sleep(HELD_S)
        released.append(time.perf_counter())
        holder.execute("COMMIT")
        holder.close()

    thread = threading.Thread(target=release)
    thread.start()
    return thread


def test_a_waiting_writer_takes_the_lock_as_soon_as_another_process_releases_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "l.db"
    late = []
    with Ledger(path) as ledger:
        for _ in range(3):  # the best of three: a loaded machine may not run us at once
            released: list[float] = []
            thread = _held_then_released(path, released)
            with ledger.write() as tx:
                taken = time.perf_counter()
                tx.meta.set("default_currency", "eur")
            thread.join()
            late.append(taken - released[0])
    assert 0 <= min(late) < LATE_S, late


def test_a_writer_pauses_after_a_commit_it_waited_for_and_only_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pauses: list[float] = []
    monkeypatch.setattr(turns, "let_the_other_in", lambda: pauses.append(time.perf_counter()))
    path = tmp_path / "l.db"
    with Ledger(path) as ledger:
        with ledger.write() as tx:
            tx.meta.set("default_currency", "eur")
        assert pauses == []
        released: list[float] = []
        thread = _held_then_released(path, released)
        with ledger.write() as tx:
            tx.meta.set("default_currency", "usd")
        thread.join()
        assert len(pauses) == 1 and pauses[0] > released[0]
        with ledger.read() as tx:
            assert tx.meta.get("default_currency") == "usd"
        with ledger.write() as tx:
            tx.meta.set("default_currency", "gbp")
        assert len(pauses) == 1
