"""A psycopg connection that looks like SQLite's to the repositories, and PostgreSQL's
side of the dialect layer. Imported only when a ledger's address is `postgresql://…`.

Statements arrive in SQLite's dialect and are translated (`pg_dialect.translate`,
cached). Values keep SQLite's shapes: a bool is stored as 0/1 in its BIGINT column,
and a `sum` (PostgreSQL's `numeric` over BIGINT) comes back an `int`, so money stays
an integer on both engines. Rows answer by position and by column name, as
`sqlite3.Row` does.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, cast

import psycopg
from psycopg.adapt import Buffer
from psycopg.pq import TransactionStatus
from psycopg.types.numeric import Int8Dumper, NumericLoader

from billcli.store.dialect import Connection, WriteLockTaken
from billcli.store.pg_dialect import translate


def _not_the_lost_pipeline(record: logging.LogRecord) -> bool:
    """psycopg tells of a pipeline it could not close on a lost connection through
    logging, which Python prints to stderr when nothing handles it: the command's own
    one-line error already says the connection was lost. Its other warnings stay."""
    return not record.getMessage().startswith("error ignored terminating <psycopg.Pipeline")


logging.getLogger("psycopg").addFilter(_not_the_lost_pipeline)

# Advisory lock keys: every ordinary write (what SQLite's one writer gives every command),
# shared writers' event inserts, and a migration. 32-bit crc of a name, so they read in
# `pg_locks`.
WRITE_LOCK = zlib.crc32(b"billcli.write")
EVENT_LOCK = zlib.crc32(b"billcli.events")
MIGRATE_LOCK = zlib.crc32(b"billcli.migrate")


class Row(tuple[Any, ...]):
    """A row by position or by column name (`row["id"]`), as `sqlite3.Row`."""

    names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.names)


_KINDS: dict[tuple[bytes | None, ...], type[Row]] = {}


def _rows(cursor: Any) -> Callable[[Sequence[Any]], Row]:
    """The row class of a result's columns, made once per set of names: read from the
    result itself, since `cursor.description` builds a column object per column on
    every query (a third of a short query's time)."""
    result = cursor.pgresult
    key = () if result is None else tuple(result.fname(i) for i in range(result.nfields))
    kind = _KINDS.get(key)
    if kind is None:
        names = {(name or b"").decode(): index for index, name in enumerate(key)}
        kind = _KINDS.setdefault(key, type("Row", (Row,), {"names": names}))
    return kind


class _BoolAsInt(Int8Dumper):
    def dump(self, obj: Any) -> Buffer | None:
        return super().dump(int(obj))


class _IntegralNumeric(NumericLoader):
    def load(self, data: Buffer) -> Any:
        value: Decimal = super().load(data)
        return int(value) if value == value.to_integral_value() else float(value)


class PgDialect:
    name = "postgresql"
    shares_writes = True

    def begin(
        self, conn: Connection, *, writing: bool, waiting: bool = True, shared: bool = False
    ) -> None:
        """A write waits for the ledger's write lock (writes serialize, as on SQLite:
        docs/design.md, "Locking rules"), or holds it `shared` with other shared
        writers, then reads committed state statement by statement; a read sees one
        snapshot throughout."""
        if not writing:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            return
        conn.execute("BEGIN")
        if shared:
            conn.execute("SELECT pg_advisory_xact_lock_shared(?)", [WRITE_LOCK])
        elif waiting:
            conn.execute("SELECT pg_advisory_xact_lock(?)", [WRITE_LOCK])
        elif not conn.execute("SELECT pg_try_advisory_xact_lock(?)", [WRITE_LOCK]).fetchone()[0]:
            conn.execute("ROLLBACK")
            raise WriteLockTaken()

    def lock_rows(self, alias: str, *, skip_locked: bool) -> str:
        return f" FOR UPDATE OF {alias}" + (" SKIP LOCKED" if skip_locked else "")

    def order_events(self, conn: Connection) -> None:
        """Shared writers take `seq`s one transaction at a time, from their first event
        to their commit: a reader of the events after a `seq` never passes one that
        commits later (docs/design.md, "Locking rules")."""
        conn.execute("SELECT pg_advisory_xact_lock(?)", [EVENT_LOCK])

    def acknowledge_when_written(self, conn: Connection) -> None:
        """The server acknowledges a commit before its WAL is flushed (it flushes within
        three `wal_writer_delay`s); a server crash may lose those, never half of one."""
        conn.execute("SET synchronous_commit = off")

    def committed(self, conn: Connection) -> None:
        """Nothing to give: the advisory lock's queue is fair."""

    def bucket(self, column: str, by: str) -> str:
        unit = {"day": "day", "week": "week", "month": "month"}[by]
        return (
            f"CAST(extract(epoch FROM date_trunc('{unit}', "
            f"to_timestamp({column}) AT TIME ZONE 'UTC')) AS BIGINT)"
        )

    def substring(self, table: str, column: str, value: str) -> tuple[str, list[Any]]:
        escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return (
            f"SELECT rowid FROM (SELECT seq AS rowid, {column} FROM {table}) AS f "
            f"WHERE {column} ILIKE ?",
            [f"%{escaped}%"],
        )

    def index_text(
        self, conn: Connection, table: str, columns: tuple[str, ...], start: int
    ) -> None:
        """Nothing: the trigram indexes are the table's own, kept by every write."""

    def integrity_problems(self, conn: Connection) -> list[str]:
        """None to add: PostgreSQL checks every reference on every write (no bulk mode
        skips it) and its pages by checksum as it reads them."""
        return []

    @contextmanager
    def bulk(self, conn: Connection, *, cache_kib: int, references_checked: bool) -> Iterator[None]:
        """Nothing to tune per connection: the server's shared buffers are the cache."""
        yield

    def batches(self, conn: Connection, sql: str, size: int) -> Iterator[list[Any]]:
        """Through a server-side cursor, inside the transaction that reads."""
        with cast(PgConnection, conn).raw.cursor(name="billcli_batches") as cursor:
            cursor.execute(translate(sql))
            while rows := cursor.fetchmany(size):
                yield rows

    def insert_rows(
        self, conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """`COPY … FROM STDIN`: several times faster than `INSERT`s, even pipelined."""
        names = ", ".join(f'"{column}"' for column in columns)
        cursor = cast(PgConnection, conn).raw.cursor()
        with cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def key_high_water(self, conn: Connection, table: str) -> int:
        """What the identity's sequence last gave, or the highest `seq` written past it."""
        sequence = conn.execute("SELECT pg_get_serial_sequence(?, 'seq')", [table]).fetchone()[0]
        last, called = conn.execute(f"SELECT last_value, is_called FROM {sequence}").fetchone()
        highest = conn.execute(f"SELECT coalesce(max(seq), 0) FROM {table}").fetchone()[0]
        return max(int(last) if called else 0, int(highest))

    def set_key_high_water(self, conn: Connection, table: str, value: int) -> None:
        if value > 0:
            conn.execute("SELECT setval(pg_get_serial_sequence(?, 'seq'), ?)", [table, value])


POSTGRES = PgDialect()


class PgConnection:
    """A psycopg connection in autocommit mode: transactions are the ledger's own
    `BEGIN`…`COMMIT`, as with SQLite's `isolation_level=None`."""

    dialect = POSTGRES

    def __init__(self, raw: psycopg.Connection[Any]):
        self.raw = raw
        raw.adapters.register_dumper(bool, _BoolAsInt)
        raw.adapters.register_loader("numeric", _IntegralNumeric)
        raw.row_factory = _rows

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.raw.execute(translate(sql), parameters)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any:
        cursor = self.raw.cursor()
        cursor.executemany(translate(sql), list(parameters))
        return cursor

    def close(self) -> None:
        self.raw.close()
