"""Opening a ledger file, or refusing it without changing a single byte.

A file is inspected through its 100-byte SQLite header before any connection is
made: the magic string, `application_id` and `user_version` live there. Only a file
that is a ledger (or an empty, brand-new database) is ever opened for writing.

Only before the first connection of this process: POSIX ties file locks to the
process, not to the descriptor, so reading the header (an open and a close) while a
connection is open drops every lock SQLite holds on the file for the whole process. A
connection closing later (an advance's thread in `api serve`, or another process)
then takes itself for the last one and deletes the write-ahead log from under the
others, and what they commit is lost. A file this process already holds open was
inspected when first opened, so later connections skip it.
"""

from __future__ import annotations

import shlex
import sqlite3
import threading
from collections import Counter
from pathlib import Path

from billcli.errors import LedgerUnusable
from billcli.store import turns
from billcli.store.checkpoints import leave_checkpoints
from billcli.store.errors import translated
from billcli.store.schema import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    final_script,
    split_statements,
)
from billcli.store.sqlite_dialect import SqliteConnection

MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000
_HELD: Counter[Path] = Counter()  # connections this process holds open, per file
_OPENING = threading.Lock()


def _header_int(header: bytes, offset: int) -> int:
    return int.from_bytes(header[offset : offset + 4], "big")


def _refuse(path: Path, why: str) -> LedgerUnusable:
    return LedgerUnusable(f"Cannot use ledger {path}: {why}", param="ledger")


def inspect(path: Path) -> str:
    """Classify `path` as "missing", "empty", "ledger", or refuse it (exit 3)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        raise _refuse(path, "it is a directory") from None
    except OSError as exc:
        raise _refuse(path, exc.strerror or str(exc)) from None
    if not header:
        return "empty"
    if len(header) < 100 or not header.startswith(MAGIC):
        raise _refuse(path, "it is not a SQLite database")
    application_id = _header_int(header, 68)
    if application_id == APPLICATION_ID:
        _check_version(path, _header_int(header, 60))
        return "ledger"
    if application_id == 0 and _is_blank_database(path):
        return "empty"
    raise _refuse(path, "it is a SQLite database but not a billcli ledger")


def _is_blank_database(path: Path) -> bool:
    """True for a SQLite file with no tables at all, opened read-only."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return bool(app_id == 0 and tables == 0)


def _check_version(path: Path, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise _refuse(
            path,
            f"its schema version {version} is newer than this billcli understands "
            f"({SCHEMA_VERSION}); upgrade billcli",
        )


def connect(path: Path, *, create: bool = True) -> tuple[SqliteConnection, bool]:
    """An open, current ledger at `path`, migrated as needed, and whether this call
    created it. Without `create`, a missing file is refused (exit 3) and nothing is
    made: a command that only reads must not turn a mistyped path into a ledger."""
    with _OPENING:
        conn, created = _connect(path, create=create, inspected=_HELD[path.resolve()] > 0)
        _HELD[path.resolve()] += 1
    return conn, created


def release(path: Path) -> None:
    """After a connection of `connect` is closed (the next first one inspects again)."""
    with _OPENING:
        _HELD[path.resolve()] -= 1


def _connect(path: Path, *, create: bool, inspected: bool) -> tuple[SqliteConnection, bool]:
    state = "ledger" if inspected else inspect(path)
    if state == "missing" and not create:
        raise LedgerUnusable(
            f"No ledger at {path}: a command that only reads never creates one; "
            f"`billcli ledger init {shlex.quote(str(path))}` makes a new one",
            param="ledger",
        )
    if state == "missing":
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _refuse(path, f"cannot create its folder ({exc.strerror})") from None
    try:
        conn = sqlite3.connect(
            path,
            isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
            factory=SqliteConnection,
        )
    except sqlite3.Error as exc:
        raise _refuse(path, str(exc)) from None
    conn.turns = turns.Queue(path.resolve())
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
        leave_checkpoints(conn, path)
        created = _migrate(conn, path)
        conn.row_factory = sqlite3.Row
    except BaseException:
        conn.close()
        raise
    return conn, created


def _made_at_once(conn: sqlite3.Connection) -> None:
    """An empty file made a ledger of the current schema in one go (`final_script`)."""
    for statement in final_script():
        conn.execute(statement)


def _migrate(conn: sqlite3.Connection, path: Path) -> bool:
    """Bring the ledger to SCHEMA_VERSION in one immediate transaction, then use WAL;
    True when the ledger was made here (it had no schema at all).

    The first creation runs in rollback-journal mode so that `application_id` reaches
    the main file at once; a concurrent opener then recognises the ledger by its header.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return False
    _check_version(path, version)
    with translated(path):
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise _refuse(path, "it is a SQLite database but not a billcli ledger")
            if version == 0:
                _made_at_once(conn)
            else:
                for number in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in split_statements(MIGRATIONS[number - 1]):
                        conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("PRAGMA journal_mode = WAL")
    return bool(version == 0)
