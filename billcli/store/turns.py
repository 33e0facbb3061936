"""Writers of one ledger taking turns at SQLite's write lock.

SQLite's own busy handler waits by sleeping longer and longer (up to 100 ms a try), so a
process writing one short transaction after another (a tick, a test clock's advance)
takes the lock again long before a waiting process wakes up to try: two clocks
advanced at once by two processes stood still for seconds each, where queueing on the
lock would cost one write of the other. So `BEGIN IMMEDIATE` does not use the busy
handler: a writer that finds the lock taken tries again every `POLL_S`, until the busy
timeout, and after committing a transaction it had to wait for, it pauses `YIELD_S`
before it writes again, so the writer that waited for it gets its turn. A writer alone
never waits, and never pauses.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any, Protocol

POLL_S = 0.000_25
YIELD_S = 0.001


class Statements(Protocol):
    """What taking the lock needs of a connection: SQLite's own, or the repositories'
    `dialect.Connection` over it (whose `execute` is typed for both engines)."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...


def begin_immediate(conn: Statements) -> bool:
    """Take the write lock (`BEGIN IMMEDIATE`), waiting at most the connection's busy
    timeout; whether another writer held it first."""
    timeout_ms = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        deadline = time.monotonic() + timeout_ms / 1000
        waited = False
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return waited
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                    raise
            waited = True
            time.sleep(POLL_S)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")


def let_the_other_in() -> None:
    """After a commit that waited for another writer: pause, so that writer, still
    trying, takes the lock before this one writes again."""
    time.sleep(YIELD_S)
