"""Opening a PostgreSQL ledger, or refusing it without writing anything.

A database is a ledger when it has billcli's bookkeeping table (`billcli_schema`: the
application id and schema version, SQLite's `application_id` and `user_version`);
a database with no tables at all may become one; anything else is refused, as is a
ledger newer than this billcli. Creation and upgrades run in one transaction under an
advisory lock, so two hosts opening a new database at once make one ledger.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from billcli.errors import LedgerUnusable
from billcli.store import pg_schema
from billcli.store.errors import translated
from billcli.store.paths import ServerAddress
from billcli.store.pg_connection import MIGRATE_LOCK, PgConnection
from billcli.store.schema import APPLICATION_ID, SCHEMA_VERSION

CONNECT_TIMEOUT_S = 10
LOCK_TIMEOUT = "15s"  # SQLite's busy timeout
_TABLES = (
    "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
)


def _refuse(address: ServerAddress, why: str) -> LedgerUnusable:
    return LedgerUnusable(f"Cannot use ledger {address}: {why}", param="ledger")


def _why_not_connected(error: psycopg.OperationalError) -> str:
    text = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
    if "password authentication failed" in text or "no password supplied" in text:
        return "the server refused its credentials (wrong user or password)"
    if re.search(r'database "[^"]*" does not exist', text):
        return "that database does not exist on the server (create it first, empty)"
    text = re.sub(r"^connection failed:\s*", "", text)
    return f"cannot connect to the server ({text[:160]})"


def connect(address: ServerAddress, *, create: bool) -> tuple[PgConnection, bool]:
    """An open, current ledger at `address`, and whether this call created it."""
    conn = reach(address)
    try:
        with translated(address):
            created = _open(conn, address, create=create)
    except BaseException:
        conn.close()
        raise
    return conn, created


def reach(address: ServerAddress) -> PgConnection:
    """A connection to the database at `address`, whatever it holds (refused with exit 3
    when the server cannot be reached or refuses the credentials)."""
    try:
        raw = psycopg.connect(address.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.OperationalError as error:
        raise _refuse(address, _why_not_connected(error)) from None
    except psycopg.Error as error:
        raise _refuse(address, f"cannot connect ({str(error).strip()[:160]})") from None
    conn = PgConnection(raw)
    try:
        with translated(address):
            conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def peek(address: ServerAddress) -> Iterator[PgConnection | None]:
    """A connection to an existing, current ledger within a second, or None: shell
    completion never creates, migrates or waits."""
    conn = None
    try:
        conn = PgConnection(psycopg.connect(address.url, autocommit=True, connect_timeout=1))
        conn.execute("SET statement_timeout = '500ms'")
        if version(conn, address) != SCHEMA_VERSION:
            conn.close()
            conn = None
    except Exception:
        if conn is not None:
            conn.close()
        conn = None
    try:
        yield conn
    finally:
        if conn is not None:
            conn.close()


def version(conn: PgConnection, address: ServerAddress) -> int | None:
    """The ledger's schema version; None for a database with no tables at all."""
    tables = {row[0] for row in conn.execute(_TABLES)}
    if not tables:
        return None
    if "billcli_schema" not in tables:
        raise _refuse(address, "the database has tables but is not a billcli ledger")
    row = conn.execute("SELECT application_id, version FROM billcli_schema").fetchone()
    if row is None or row[0] != APPLICATION_ID:
        raise _refuse(address, "the database has tables but is not a billcli ledger")
    version = int(row[1])
    if version > SCHEMA_VERSION:
        raise _refuse(
            address,
            f"its schema version {version} is newer than this billcli understands "
            f"({SCHEMA_VERSION}); upgrade billcli",
        )
    return version


def _open(conn: PgConnection, address: ServerAddress, *, create: bool) -> bool:
    found = version(conn, address)
    if found == SCHEMA_VERSION:
        return False
    if found is None and not create:
        raise LedgerUnusable(
            f"No ledger at {address}: the database is empty, and a command that only reads "
            f"never creates one; `billcli ledger init '{address}'` makes one there",
            param="ledger",
        )
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT pg_advisory_xact_lock(?)", [MIGRATE_LOCK])
        found = version(conn, address)  # another host may have done it meanwhile
        if found is None:
            _create(conn)
        elif found < SCHEMA_VERSION:
            _upgrade(conn, found)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found is None


def _create(conn: PgConnection) -> None:
    schema = pg_schema.sqlite_schema()
    for statement in pg_schema.statements(schema):
        conn.raw.execute(statement)
    _copy_rows(conn, schema.rows)
    mark_ledger(conn)


def mark_ledger(conn: PgConnection) -> None:
    """Make the database a ledger of this billcli's schema version."""
    conn.execute("CREATE TABLE billcli_schema (application_id BIGINT NOT NULL, version BIGINT)")
    conn.execute("INSERT INTO billcli_schema VALUES (?, ?)", [APPLICATION_ID, SCHEMA_VERSION])


def _copy_rows(conn: PgConnection, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    """The rows migrations write (the search page key), as SQLite made them."""
    for table, values in rows.items():
        marks = ", ".join("?" * len(values[0]))
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", values)


def _upgrade(conn: PgConnection, version: int) -> None:
    """Bring a ledger made by an earlier billcli to this one's schema: tables and
    columns added, indexes and triggers made again from the new schema's. What a
    migration did to rows is not replayed here (`pg_schema.upgrade` says what is)."""
    old, new = pg_schema.sqlite_schema(version), pg_schema.sqlite_schema()
    for statement in pg_schema.upgrade(old, new):
        conn.raw.execute(statement)
    conn.execute("UPDATE billcli_schema SET version = ?", [SCHEMA_VERSION])
