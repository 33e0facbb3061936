"""Writers of one ledger take turns at the write lock (`store/turns.py`): a writer that
waits takes the lock as soon as it is free, not at its next back-off (SQLite's own busy
handler sleeps up to 100 ms between tries), and after a commit a writer lets any writer
that waits in before it writes again."""

from __future__ import annotations

import fcntl
import gc
import os
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


def test_a_writer_alone_never_steps_aside_and_leaves_no_turns_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "l.db"
    Ledger(path).close()
    pauses: list[float] = []
    monkeypatch.setattr(turns.time, "sleep", pauses.append)
    with Ledger(path) as ledger:
        for currency in ("eur", "usd", "gbp"):
            with ledger.write() as tx:
                tx.meta.set("default_currency", currency)
    assert pauses == []
    assert not path.with_name(path.name + turns.SUFFIX).exists()


def test_a_waiter_that_never_takes_its_turn_costs_the_writer_one_pause_not_one_a_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A waiter stopped with Ctrl-Z keeps its flag: the writer steps aside once, sees
    nobody else commit meanwhile, and writes on unpaused for a second."""
    path = tmp_path / "l.db"
    Ledger(path).close()
    stopped = turns.Queue(path.resolve())
    stopped.seen()
    asides: list[float] = []
    real_sleep = time.sleep
    monkeypatch.setattr(turns.time, "sleep", lambda s: (asides.append(s), real_sleep(s)))
    with Ledger(path) as ledger:
        for n in range(50):
            with ledger.write() as tx:
                tx.meta.set("default_currency", f"c{n}")
    assert 0 < sum(asides) <= turns.STEP_ASIDE_S + 0.002, sum(asides)
    stopped.close()


def test_a_waiter_never_blocks_on_the_flag_a_stopped_writer_holds(tmp_path: Path) -> None:
    """A writer stopped between taking and dropping the exclusive flag (looking for
    waiters) does not hold up a waiter once SQLite's lock is free."""
    path = tmp_path / "l.db"
    Ledger(path).close()
    flag = os.open(path.with_name(path.name + turns.SUFFIX), os.O_RDONLY | os.O_CREAT)
    fcntl.flock(flag, fcntl.LOCK_EX)
    try:
        released: list[float] = []
        thread = _held_then_released(path, released)
        with Ledger(path) as ledger, ledger.write() as tx:
            taken = time.perf_counter()
            tx.meta.set("default_currency", "eur")
        thread.join()
        assert taken - released[0] < 1.0
    finally:
        os.close(flag)


def test_a_ledger_dropped_without_closing_lets_go_of_its_turns_file(tmp_path: Path) -> None:
    """A server's worker thread that retires drops its connection unclosed."""
    path = tmp_path / "l.db"
    Ledger(path).close()
    flag = path.with_name(path.name + turns.SUFFIX)
    flag.touch()
    for _ in range(30):
        ledger = Ledger(path)
        with ledger.write() as tx:
            tx.meta.set("default_currency", "eur")
        del ledger
    gc.collect()
    held = [f for f in os.listdir("/proc/self/fd") if _target(f) == str(flag)]
    assert len(held) <= 1, held


def _target(fd: str) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


def test_a_writer_lets_a_waiting_writer_in_before_it_writes_again(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    Ledger(path).close()
    onlooker = turns.Queue(path.resolve())
    with Ledger(path) as ledger, Ledger(path) as other:
        for _ in range(3):  # each round, the waiter's write lands between the two
            with ledger.write() as tx:
                tx.meta.set("default_currency", "eur")
                waiter = threading.Thread(target=_set_currency, args=(other, "usd"))
                waiter.start()
                while not onlooker.someone_waits():
                    time.sleep(turns.POLL_S)
            with ledger.write() as tx:
                assert tx.meta.get("default_currency") == "usd"
            waiter.join()
    onlooker.close()


def _set_currency(ledger: Ledger, currency: str) -> None:
    with ledger.write() as tx:
        tx.meta.set("default_currency", currency)
