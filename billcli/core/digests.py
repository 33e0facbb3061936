"""A digest of a ledger's content that both engines compute alike, to prove a copy.

Rows are hashed one by one and the hashes added (modulo 2**256): the sum does not
depend on the order rows are read in, so neither engine has to sort (their collations
differ) and each table streams through in one pass. Values are normalised first to the
few shapes both engines hand back (an integer, a float, a text, none); a bool is the
0 or 1 both store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_MODULUS = 2**256


def _normalised(value: object) -> object:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def row_hash(row: Sequence[object]) -> int:
    """One row's hash, as an integer to add."""
    text = repr(tuple(_normalised(value) for value in row)).encode()
    return int.from_bytes(hashlib.sha256(text).digest(), "big")


@dataclass
class TableDigest:
    """A table's row count and the sum of its rows' hashes."""

    rows: int = 0
    total: int = 0

    def add(self, rows: Iterable[Sequence[object]]) -> None:
        for row in rows:
            self.rows += 1
            self.total = (self.total + row_hash(row)) % _MODULUS

    @property
    def hex(self) -> str:
        return f"{self.total:064x}"


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
