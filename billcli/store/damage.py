"""Naming the damage in a ledger file that cannot be used, without writing to it.

`ledger check` turns here when SQLite, or reading a row back, reports damage: the file
is opened read-only and read table by table, row by row, with text kept as bytes, so
that every problem is found and named (table, row, column) instead of stopping the
first read that meets it.
"""

from __future__ import annotations

import importlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from billcli.store.mapping import MAPPERS

MAX_REPORTED = 200
Found = tuple[str, str]  # (where, what is wrong)


def scan(path: Path) -> list[Found]:
    """Every damage found in the file at `path`, at most MAX_REPORTED of them."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [("ledger file", f"SQLite cannot open it: {_said(exc)}")]
    conn.text_factory = bytes
    try:
        found = list(_cut_short(path)) + list(_integrity(conn))
        tables = _tables(conn)
        if tables is None:
            return [
                *found,
                ("ledger file", "the schema itself is damaged: sqlite_master cannot be read"),
            ]
        json_columns = _json_columns()
        for table in tables:
            found += _rows(conn, table, json_columns.get(table, set()))
            if len(found) >= MAX_REPORTED:
                break
    finally:
        conn.close()
    return found[:MAX_REPORTED]


def _said(exc: Exception) -> str:
    """What SQLite said; its report of a damaged schema can quote bytes that are not
    text, which Python fails to decode."""
    if isinstance(exc, UnicodeDecodeError):
        return "its report quotes bytes that are not text (the schema itself is damaged)"
    return str(exc)


def _cut_short(path: Path) -> Iterator[Found]:
    """A file smaller than its header says (bytes 28-31 count its pages, valid when
    the change counters at 24 and 92 agree)."""
    with path.open("rb") as handle:
        header = handle.read(100)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    size = path.stat().st_size
    if len(header) == 100 and header[24:28] == header[92:96] and size < pages * page_size:
        yield (
            "ledger file",
            f"it has {size:,} bytes where its header counts {pages:,} pages of {page_size:,} "
            "bytes: it was cut short",
        )


def _integrity(conn: sqlite3.Connection) -> Iterator[Found]:
    try:
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check(100)")]
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        yield "ledger file", f"SQLite cannot check it: {_said(exc)}"
        return
    for row in rows:
        text = row.decode("utf-8", "replace") if isinstance(row, bytes) else str(row)
        if text != "ok":
            yield "ledger file", text


def _tables(conn: sqlite3.Connection) -> list[str] | None:
    try:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rootpage"
        ).fetchall()
        return [row[0].decode() for row in rows]
    except (sqlite3.DatabaseError, UnicodeDecodeError):
        return None


def _json_columns() -> dict[str, set[str]]:
    """The JSON columns of every table a repository maps (its modules imported here)."""
    # startup: only a damaged ledger is scanned
    from billcli.store.lazy import Lazy
    from billcli.store.ledger import Tx

    for lazy in vars(Tx).values():
        if isinstance(lazy, Lazy):
            importlib.import_module(lazy.module)
    columns: dict[str, set[str]] = {"idempotency_keys": {"response"}}
    for mapper in MAPPERS:
        columns.setdefault(mapper.table, set()).update(mapper.json_columns())
    return columns


def _rows(conn: sqlite3.Connection, table: str, json_columns: set[str]) -> Iterator[Found]:
    read = 0
    try:
        cursor = conn.execute(f'SELECT * FROM "{table}"')
        names = [d[0] for d in cursor.description]
        for values in cursor:
            read += 1
            row = dict(zip(names, values, strict=True))
            yield from _values(f"{table} row {_name(row, read)}", row, json_columns)
    except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
        yield table, f"cannot be read past its row {read}: {_said(exc)}"


def _name(row: dict[str, object], position: int) -> str:
    """The row's id (or key) when it can be read, else its position in the table."""
    for column in ("id", "key"):
        value = row.get(column)
        if isinstance(value, bytes):
            try:
                return value.decode()
            except UnicodeDecodeError:
                pass
    return f"#{position}"


def _values(where: str, row: dict[str, object], json_columns: set[str]) -> Iterator[Found]:
    for column, value in row.items():
        if not isinstance(value, bytes):
            continue
        try:
            text = value.decode()
        except UnicodeDecodeError:
            yield where, f"column {column} holds bytes that are not UTF-8 text"
            continue
        if column in json_columns:
            try:
                json.loads(text)
            except ValueError:
                yield where, f"column {column} is not valid JSON"
