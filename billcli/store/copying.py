"""A whole ledger copied to another address (`ledger copy`): where the copy goes.

The destination is written in one transaction, which also makes its schema: a copy
that fails leaves the destination as it found it (no file; a database with no tables).
Rows are written as they are, with the triggers, references and indexes that would
rewrite, refuse or slow them made (SQLite: made again) after the rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from billcli.store.copy_rows import Sink, occupied, tables, unresolved
from billcli.store.dialect import Connection
from billcli.store.errors import postgresql_needed, translated
from billcli.store.opening import connect, inspect, release
from billcli.store.paths import Address, ServerAddress, with_side_files

BULK_CACHE_KIB = 64 * 1024


@contextmanager
def destination(address: Address) -> Iterator[Sink]:
    """The destination, refused (exit 3, nothing written) when it holds a ledger or
    anything else, committed when the block ends cleanly and left as it was otherwise."""
    if isinstance(address, ServerAddress):
        with postgresql_needed(address):
            # startup: psycopg loads only for a PostgreSQL destination
            from billcli.store import pg_copying
        with pg_copying.destination(address) as sink:
            yield sink
        return
    with _sqlite_destination(address) as sink:
        yield sink


def _dangling(conn: Connection) -> str | None:
    """The first reference the copied rows leave unresolved (SQLite), if any."""
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        return f"{table} row {rowid} refers to a missing {parent} row"
    return None


@contextmanager
def _sqlite_destination(path: Path) -> Iterator[Sink]:
    """A new file beside `path`, made and filled in one transaction, then put in place
    (never over a file that became a ledger meanwhile)."""
    state = inspect(path)
    if state == "ledger":
        raise occupied(path)
    partial = path.with_name(f".{path.name}.copying-{os.getpid()}")
    _remove(partial)
    conn, _ = connect(partial)
    try:
        with (
            translated(path),
            conn.dialect.bulk(conn, cache_kib=BULK_CACHE_KIB, references_checked=True),
        ):
            conn.execute("BEGIN IMMEDIATE")
            triggers = conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
            ).fetchall()
            for name, _ in triggers:
                conn.execute(f"DROP TRIGGER {name}")
            for table in tables():
                conn.execute(f"DELETE FROM {table.name}")  # what the migrations wrote
            yield Sink(path, conn, lambda: _finish_sqlite(path, conn, triggers))
            conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()
        release(partial)
        _remove(partial)
        raise
    conn.close()
    release(partial)
    _publish(partial, path, state)


def _finish_sqlite(path: Path, conn: Connection, triggers: list[Any]) -> None:
    """Search indexes built from the copied rows, the triggers made again, and every
    reference checked once (the rows went in without the per-row check)."""
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
    ).fetchall():
        conn.execute(f"INSERT INTO {name} ({name}) VALUES ('rebuild')")
    for _, sql in triggers:
        conn.execute(sql)
    problem = _dangling(conn)
    if problem is not None:
        raise unresolved(path, problem)


def _publish(partial: Path, path: Path, state: str) -> None:
    """Put the finished file at `path`: beside nothing (a hard link fails on a file
    made meanwhile), or over the empty file that was there, looked at again just before
    (a ledger made there meanwhile is never replaced)."""
    try:
        if state == "missing":
            try:
                os.link(partial, path)
            except FileExistsError:
                raise occupied(path) from None
        else:
            if inspect(path) != "empty":
                raise occupied(path)
            os.replace(partial, path)
    finally:
        _remove(partial)


def _remove(path: Path) -> None:
    for leftover in with_side_files(path):
        leftover.unlink(missing_ok=True)
