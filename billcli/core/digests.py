"""A digest of a ledger's content that both engines compute alike, to prove a copy.

Rows are hashed one by one and the hashes added (modulo 2**128): the sum does not
depend on the order rows are read in, so neither engine has to sort (their collations
differ) and each table streams through in one pass. A row is hashed as the `repr` of
its values, which both engines hand back in the same few Python types (int, float,
str, None: `store/pg_connection.py` reads PostgreSQL's numbers as SQLite's are read),
so a value the other engine stored as another type (a float in an integer column)
shows as a difference. BLAKE2b at 16 bytes: a third faster than SHA-256 here, and the
hashing is most of a copy's time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_MODULUS = 2**128


def row_hash(row: Sequence[object]) -> int:
    """One row's hash, as an integer to add."""
    return int.from_bytes(hashlib.blake2b(repr(tuple(row)).encode(), digest_size=16).digest())


@dataclass
class TableDigest:
    """A table's row count and the sum of its rows' hashes."""

    rows: int = 0
    total: int = 0

    def add(self, rows: Iterable[Sequence[object]]) -> None:
        hashes = [row_hash(row) for row in rows]
        self.rows += len(hashes)
        self.total = (self.total + sum(hashes)) % _MODULUS

    @property
    def hex(self) -> str:
        return f"{self.total:032x}"


def ledger_digest(tables: dict[str, TableDigest]) -> str:
    """The whole ledger's digest: every table's name, row count and digest, by name."""
    lines = (f"{name} {tables[name].rows} {tables[name].hex}\n" for name in sorted(tables))
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def first_difference(
    source: dict[str, TableDigest], copy: dict[str, TableDigest]
) -> tuple[str, str] | None:
    """The first table (by name) whose copy differs, and how; None when all agree."""
    for name in sorted(source.keys() | copy.keys()):
        was, now = source.get(name, TableDigest()), copy.get(name, TableDigest())
        if was.rows != now.rows:
            return name, f"{was.rows:,} rows in the source, {now.rows:,} in the copy"
        if was.total != now.total:
            return name, "the same number of rows, but their content differs"
    return None
