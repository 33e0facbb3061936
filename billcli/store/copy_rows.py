"""The rows of a ledger's tables, as a copy reads and writes them (`ledger copy`):
the tables are the migration list's (`pg_schema.sqlite_schema`), so both engines agree
on them and on their columns' order; rows stream in batches through the engine's own
paths (`dialect.batches`, `dialect.insert_rows`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from billcli.errors import LedgerUnusable
from billcli.store import pg_schema
from billcli.store.dialect import Connection
from billcli.store.errors import translated
from billcli.store.paths import Address

BATCH_ROWS = 5_000


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]

    @property
    def keyed(self) -> bool:
        """Whether rows have a `seq` the table gives (and a copy must go on from)."""
        return "seq" in self.columns

    @property
    def select(self) -> str:
        names = ", ".join(f'"{column}"' for column in self.columns)
        return f"SELECT {names} FROM {self.name}" + (" ORDER BY seq" if self.keyed else "")


def tables() -> list[Table]:
    """Every table of the migration list, in the order the migrations make them."""
    schema = pg_schema.sqlite_schema()
    return [
        Table(name, tuple(column[0] for column in schema.columns[name]))
        for name, _ in schema.tables
    ]


def count(conn: Connection, table: Table) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0])


def rows(conn: Connection, table: Table) -> Iterator[list[tuple[Any, ...]]]:
    """`table`'s rows in batches of plain tuples (`seq` order where there is one)."""
    for batch in conn.dialect.batches(conn, table.select, BATCH_ROWS):
        yield [tuple(row) for row in batch]


def high_water(conn: Connection, table: Table) -> int:
    return conn.dialect.key_high_water(conn, table.name) if table.keyed else 0


def occupied(address: Address) -> LedgerUnusable:
    return LedgerUnusable(
        f"Cannot copy to {address}: it already holds a ledger; a copy goes to a new file "
        "or an empty database, and nothing was written",
        param="dst",
    )


class Sink:
    """A destination inside its one transaction, until `finish` makes what comes after
    the rows; every failure in it names the destination."""

    def __init__(self, address: Address, conn: Connection, finish: Callable[[], None]):
        self.address = address
        self.conn = conn
        self._finish = finish

    def insert(self, table: Table, batch: list[tuple[Any, ...]]) -> None:
        with translated(self.address):
            self.conn.dialect.insert_rows(self.conn, table.name, table.columns, batch)

    def go_on_from(self, table: Table, value: int) -> None:
        if table.keyed:
            with translated(self.address):
                self.conn.dialect.set_key_high_water(self.conn, table.name, value)

    def finish(self) -> None:
        with translated(self.address):
            self._finish()

    def rows(self, table: Table) -> Iterator[list[tuple[Any, ...]]]:
        with translated(self.address):
            yield from rows(self.conn, table)

    def high_water(self, table: Table) -> int:
        """The highest key the destination has given out for `table` (0 for a table
        without `seq`), read back as a new row's key will be drawn."""
        return high_water(self.conn, table)


def unresolved(address: Address, what: str) -> LedgerUnusable:
    return LedgerUnusable(
        f"Cannot copy to {address}: the source's rows do not hold together ({what}); "
        "nothing was written; `billcli ledger check` on the source says more",
        param="src",
    )
