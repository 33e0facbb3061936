"""SQLite's side of the dialect layer: the statements are already in its dialect, so
only what `store/dialect.py` asks of each engine lives here."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from billcli.store import turns
from billcli.store.dialect import Connection


def _phrase(text: str) -> str:
    """An FTS5 phrase matching `text` as it is (quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


class SqliteDialect:
    name = "sqlite"
    shares_writes = False

    def begin(
        self, conn: Connection, *, writing: bool, waiting: bool = True, shared: bool = False
    ) -> None:
        """`BEGIN IMMEDIATE` takes the write lock at once, so concurrent writers queue
        (taking turns: `store/turns.py`) instead of failing on a read-to-write upgrade.
        One writer at a time: a `shared` write is an ordinary one."""
        if writing:
            turns.begin_immediate(conn, _queue(conn) if waiting else None)
        else:
            conn.execute("BEGIN")

    def lock_rows(self, alias: str, *, skip_locked: bool) -> str:
        """Nothing: the one writer holds every row."""
        return ""

    def order_events(self, conn: Connection) -> None:
        """Nothing: the one writer's events are in commit order."""

    def acknowledge_when_written(self, conn: Connection) -> None:
        """In WAL mode `NORMAL` syncs only at checkpoints: a commit is in the WAL file,
        in the operating system's hands, when it returns."""
        conn.execute("PRAGMA synchronous = NORMAL")

    def committed(self, conn: Connection) -> None:
        _queue(conn).step_aside(conn)

    def bucket(self, column: str, by: str) -> str:
        modifiers = {"day": "", "week": ", '-6 days', 'weekday 1'", "month": ", 'start of month'"}
        return f"CAST(strftime('%s', date({column}, 'unixepoch'{modifiers[by]})) AS INTEGER)"

    def substring(self, table: str, column: str, value: str) -> tuple[str, list[Any]]:
        return (
            f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?",
            [f"{column} : {_phrase(value)}"],
        )

    def index_text(
        self, conn: Connection, table: str, columns: tuple[str, ...], start: int
    ) -> None:
        """Index the rows from seq `start` on in `table`'s FTS5 table."""
        names = ", ".join(columns)
        conn.execute(
            f"INSERT INTO {table}_fts (rowid, {names}) SELECT seq, {names} FROM {table} "
            "WHERE seq >= ?",
            [start],
        )

    def integrity_problems(self, conn: Connection) -> list[str]:
        """Every page and index (`PRAGMA quick_check`), and every reference (`PRAGMA
        foreign_key_check`: a bulk import skips the per-row one)."""
        rows = [row[0] for row in conn.execute("PRAGMA quick_check")]
        problems = [] if rows == ["ok"] else rows
        return problems + [
            f"{table} row {rowid} refers to a missing {parent} row"
            for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")
        ]

    @contextmanager
    def bulk(self, conn: Connection, *, cache_kib: int, references_checked: bool) -> Iterator[None]:
        """A large page cache (and, with `references_checked`, no per-row foreign-key
        lookup) for the job; entered outside its transaction: SQLite ignores
        `foreign_keys` inside one."""
        default = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
        if references_checked:
            conn.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA cache_size = {default}")
            conn.execute("PRAGMA foreign_keys = ON")

    def batches(self, conn: Connection, sql: str, size: int) -> Iterator[list[Any]]:
        cursor = conn.execute(sql)
        while rows := cursor.fetchmany(size):
            yield rows

    def insert_rows(
        self, conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        marks = ", ".join("?" * len(columns))
        names = ", ".join(f'"{column}"' for column in columns)
        conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    def key_high_water(self, conn: Connection, table: str) -> int:
        """`AUTOINCREMENT`'s own record (`sqlite_sequence`), or the highest `seq` there is."""
        row = conn.execute(
            f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0), "
            f"coalesce((SELECT max(seq) FROM {table}), 0))",
            [table],
        ).fetchone()
        return int(row[0])

    def set_key_high_water(self, conn: Connection, table: str, value: int) -> None:
        """Recorded only for a table with `AUTOINCREMENT` (the others give max + 1)."""
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
        if "AUTOINCREMENT" not in sql.upper():
            return
        if conn.execute(
            "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", [value, table]
        ).rowcount:
            return
        conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", [table, value])


SQLITE = SqliteDialect()


class SqliteConnection(sqlite3.Connection):
    """SQLite's connection, knowing its dialect and the ledger's queue of writers."""

    dialect = SQLITE
    turns: turns.Queue | None = None  # a ledger's, not a completion query's

    def close(self) -> None:
        super().close()
        if self.turns is not None:
            self.turns.close()


def _queue(conn: Connection) -> turns.Queue:
    assert isinstance(conn, SqliteConnection) and conn.turns is not None, conn
    return conn.turns
