"""A whole ledger copied to another address, and the copy proved (`ledger copy`).

The source is read in one snapshot (a read transaction), so a copy taken while other
hosts write is a ledger as it stood at one instant. The destination is written in one
transaction and proved inside it before it commits: every table's row count and
content digest (`core/digests.py`) read back from the destination must equal the
source's, else nothing is committed and the command names the first table that differs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from billcli.core.digests import TableDigest, first_difference, ledger_digest
from billcli.errors import LedgerUnusable
from billcli.store import copy_rows
from billcli.store.copying import destination
from billcli.store.ledger import Ledger
from billcli.store.paths import Address

# Told the rows copied so far, and how many there are in all.
OnRows = Callable[[int, int], None]


@dataclass(frozen=True)
class CopyReport:
    source: Address
    destination: Address
    tables: dict[str, TableDigest]
    seconds: float

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "object": "ledger_copy",
            "source": str(self.source),
            "destination": str(self.destination),
            "tables": {name: table.rows for name, table in self.tables.items()},
            "rows": self.rows,
            "digest": ledger_digest(self.tables),
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(self.rows / self.seconds) if self.seconds > 0 else None,
        }


def copy(src: Address, dst: Address, *, on_rows: OnRows | None = None) -> CopyReport:
    """Copy the ledger at `src` to `dst`, which must hold no ledger (nor anything else)."""
    started = time.monotonic()  # a duration, not a ledger instant
    layout = copy_rows.tables()
    with Ledger(src, create=False) as source, source.read() as tx:
        total = sum(copy_rows.count(tx.conn, table) for table in layout)
        read: dict[str, TableDigest] = {}
        keys: dict[str, int] = {}
        with destination(dst) as sink:
            done = 0
            for table in layout:
                digest = read[table.name] = TableDigest()
                for batch in copy_rows.rows(tx.conn, table):
                    sink.insert(table, batch)
                    digest.add(batch)
                    done += len(batch)
                    if on_rows is not None:
                        on_rows(done, total)
                keys[table.name] = copy_rows.high_water(tx.conn, table)
                sink.go_on_from(table, keys[table.name])
            sink.finish()
            _prove(dst, read, {table.name: _digest(sink.rows(table)) for table in layout})
            _prove_keys(dst, keys, {table.name: sink.high_water(table) for table in layout})
    return CopyReport(src, dst, read, time.monotonic() - started)


def _digest(batches: Any) -> TableDigest:
    digest = TableDigest()
    for batch in batches:
        digest.add(batch)
    return digest


def _prove_keys(dst: Address, read: dict[str, int], written: dict[str, int]) -> None:
    """The copy never hands out a key the source already gave (a row deleted since, a
    draft invoice say, included)."""
    for table, highest in read.items():
        if written[table] < highest:
            raise LedgerUnusable(
                f"Cannot copy to {dst}: table {table} would give out keys from "
                f"{written[table] + 1}, the source has used up to {highest}; nothing was written",
                param="dst",
            )


def _prove(dst: Address, read: dict[str, TableDigest], written: dict[str, TableDigest]) -> None:
    difference = first_difference(read, written)
    if difference is not None:
        table, how = difference
        raise LedgerUnusable(
            f"Cannot copy to {dst}: table {table} differs from the source once written "
            f"({how}); nothing was written",
            param="dst",
        )
