"""What the repositories need of a connection, whichever engine holds the ledger.

A connection is SQLite's own (`Connection` with a `dialect`) or psycopg's
wrapped to look like it (`store/pg_connection.py`): the repositories run the same SQL,
written once in SQLite's dialect, through `execute`. What SQL cannot say the same way
on both engines (how a transaction begins and locks, a date bucket, a substring search,
the engine's own integrity checks) each dialect says for itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol


class WriteLockTaken(Exception):
    """Another writer holds the write lock, and the caller asked not to wait for it
    (`Ledger.request(waiting=False)`): nothing was begun, so the caller may try again
    where waiting costs nothing (the API's worker threads)."""


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def fetchmany(self, size: int = ...) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Dialect(Protocol):
    name: str
    # Whether writers may share the write lock (`begin(shared=True)`), each holding the
    # customers it writes for (`lock_rows`): PostgreSQL's row locks let a tick's steps
    # for different customers run at once; SQLite has one writer.
    shares_writes: bool

    def begin(
        self, conn: Connection, *, writing: bool, waiting: bool = True, shared: bool = False
    ) -> None:
        """Open a transaction: a consistent snapshot to read, or the write lock. Not
        `waiting`, a write finding the lock taken raises `WriteLockTaken` at once.
        `shared` (where `shares_writes`): the write lock held with other shared writers,
        never with an ordinary one."""

    def lock_rows(self, alias: str, *, skip_locked: bool) -> str:
        """The clause that ends a `SELECT` to hold the rows of `alias` it reads until
        the transaction ends (`skip_locked`: leaving out those another holds); empty
        where the write lock is the ledger's alone."""

    def order_events(self, conn: Connection) -> None:
        """Before a shared writer adds its events: hold the lock that makes events'
        `seq` follow commit order, until the transaction ends."""

    def acknowledge_when_written(self, conn: Connection) -> None:
        """Let this connection's commits return before they reach the disk (the
        `process` durability of `store/ledger.py`)."""

    def committed(self, conn: Connection) -> None:
        """After a commit: let a writer that waits have the lock before this connection
        writes again (`store/turns.py`)."""

    def bucket(self, column: str, by: str) -> str:
        """SQL for the start (unix seconds, UTC) of the day, week or month of `column`."""

    def substring(self, table: str, column: str, value: str) -> tuple[str, list[Any]]:
        """SQL selecting the `seq` (as `rowid`) of `table`'s rows whose `column`
        contains `value`, case-insensitively, through the engine's trigram index."""

    def index_text(
        self, conn: Connection, table: str, columns: tuple[str, ...], start: int
    ) -> None:
        """Index for substring search the rows of `table` from seq `start` on, whose
        indexing a bulk job deferred."""

    def integrity_problems(self, conn: Connection) -> list[str]:
        """What the engine itself finds wrong with the ledger's pages and references."""

    def bulk(
        self, conn: Connection, *, cache_kib: int, references_checked: bool
    ) -> AbstractContextManager[None]:
        """The connection tuned for a job that writes many rows."""

    def batches(self, conn: Connection, sql: str, size: int) -> Iterator[list[Any]]:
        """A query's rows `size` at a time, streamed: a whole table is never held."""

    def insert_rows(
        self, conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Write rows as they are, by the engine's fastest path (a ledger's copy)."""

    def key_high_water(self, conn: Connection, table: str) -> int:
        """The highest `seq` `table` ever gave, its deleted rows' included: a copy
        goes on from there, never giving a deleted row's `seq` again."""

    def set_key_high_water(self, conn: Connection, table: str, value: int) -> None:
        """Make `table`'s next `seq` come after `value`."""


class Connection(Protocol):
    @property
    def dialect(self) -> Dialect: ...

    @property
    def in_transaction(self) -> bool: ...

    def execute(self, sql: str, parameters: Any = ..., /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Cursor: ...

    def close(self) -> None: ...
