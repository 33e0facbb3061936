"""Writers of one SQLite ledger taking turns at its write lock.

SQLite's own busy handler waits by sleeping longer and longer (up to 100 ms a try), so a
process writing one short transaction after another (a tick, a test clock's advance)
takes the lock again long before a waiting process wakes up to try: two clocks
advanced at once by two processes stood still for seconds each, where queueing on the
lock would cost one write of the other. So `BEGIN IMMEDIATE` does not use the busy
handler: a writer that finds the lock taken tries again every `POLL_S`, until the busy
timeout.

Trying often is not enough: the writer holding the lock commits and begins again within
microseconds, so a waiter polling every `POLL_S` could miss its turn again and again. A
waiter therefore says so: while it tries, it holds a shared `flock` on the file
`<ledger>-turns` beside the ledger (made by the first writer that ever waits). After each
commit a writer tries that lock exclusively; when it cannot have it, somebody waits,
and it steps aside (at most `STEP_ASIDE_S`) until the waiters have the lock. Nothing
here ever blocks: the waiter tries for its flag at each poll, and a waiter that holds
its flag without taking its turn is passed over (`Queue.step_aside`). A writer
alone finds no file, or takes and drops the lock at once: it never pauses. Where the
file cannot be made (a read-only folder) or `flock` does not exist, writers still poll,
without turns.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
import weakref
from pathlib import Path
from typing import Any, Protocol

from billcli.store.dialect import WriteLockTaken

try:
    # platform: no flock on Windows, where writers poll without turns
    import fcntl
except ImportError:
    fcntl = None  # type: ignore[assignment]

POLL_S = 0.000_25
STEP_ASIDE_S = 0.005
IGNORE_S = 1.0
SUFFIX = "-turns"


class Statements(Protocol):
    """What taking the lock needs of a connection: SQLite's own, or the repositories'
    `dialect.Connection` over it (whose `execute` is typed for both engines)."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...


class Queue:
    """The writers waiting for one ledger's write lock, as every process sees them."""

    def __init__(self, ledger: Path):
        self.path = ledger.with_name(ledger.name + SUFFIX)
        self._fd: int | None = None
        self._closer: weakref.finalize[Any, Any] | None = None
        self._seen = False
        self._ignored_until = 0.0

    def _opened(self, *, create: bool) -> int | None:
        if self._fd is None and fcntl is not None:
            flags = os.O_RDONLY | (os.O_CREAT if create else 0)
            with contextlib.suppress(OSError):
                self._fd = os.open(self.path, flags, 0o666)
                # a connection dropped unclosed (a server's retired worker thread)
                # still lets go of the file
                self._closer = weakref.finalize(self, os.close, self._fd)
        return self._fd

    def seen(self) -> None:
        """Be seen waiting: try once, never blocking, for the shared lock (a writer
        holds it exclusively for an instant while it looks for waiters)."""
        fd = self._opened(create=True)
        if self._seen or fd is None:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return
        self._seen = True

    def unseen(self) -> None:
        if self._seen and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._seen = False

    def someone_waits(self) -> bool:
        fd = self._opened(create=False)
        if fd is None:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False

    def step_aside(self, conn: Statements) -> None:
        """After a commit: while a writer waits, let it take the lock before this one
        writes again. Bounded: when a whole pause passes with nobody else committing
        (a waiter stopped with Ctrl-Z holds its flag), write on without pausing for
        `IGNORE_S`, so a stuck waiter costs the others a pause a second, not every
        commit."""
        if time.monotonic() < self._ignored_until or not self.someone_waits():
            return
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        deadline = time.monotonic() + STEP_ASIDE_S
        while time.monotonic() < deadline:
            time.sleep(POLL_S)
            if not self.someone_waits():
                return
        if conn.execute("PRAGMA data_version").fetchone()[0] == version:
            self._ignored_until = time.monotonic() + IGNORE_S

    def close(self) -> None:
        self.unseen()
        if self._closer is not None:
            self._closer()
        self._fd = self._closer = None


def begin_immediate(conn: Statements, queue: Queue | None) -> None:
    """Take the write lock (`BEGIN IMMEDIATE`), waiting at most the connection's busy
    timeout, seen in `queue` while waiting. With no `queue`, a writer that will not
    wait (nobody's turn): `WriteLockTaken` at once if the lock is taken."""
    timeout_ms = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode != sqlite3.SQLITE_BUSY:
                    raise
                if queue is None:
                    raise WriteLockTaken() from None
                if time.monotonic() > deadline:
                    raise
            queue.seen()
            time.sleep(POLL_S)
    finally:
        if queue is not None:
            queue.unseen()
        conn.execute(f"PRAGMA busy_timeout = {timeout_ms}")
