"""SQLite's failures, as the ledger-unusable errors a user can act on (exit 3)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from billcli.errors import LedgerUnusable

_REASONS = (
    ("locked", "the ledger is locked by another process past the busy timeout"),
    ("busy", "the ledger is locked by another process past the busy timeout"),
    ("full", "the disk is full (or the ledger reached its size limit)"),
    ("readonly", "the ledger is read-only"),
    ("read-only", "the ledger is read-only"),
    ("malformed", "the ledger file is damaged"),
    ("not a database", "the ledger file is damaged or not a database"),
    ("unable to open", "the ledger file cannot be opened"),
    ("disk i/o", "a disk I/O error occurred (is the disk full, or the file size limited?)"),
)


@contextmanager
def translated(path: Path) -> Iterator[None]:
    """Re-raise SQLite's operational failures as `LedgerUnusable` naming the cause."""
    try:
        yield
    except (sqlite3.OperationalError, sqlite3.DatabaseError) as exc:
        if isinstance(exc, sqlite3.IntegrityError):
            raise
        text = str(exc).lower()
        for needle, reason in _REASONS:
            if needle in text:
                raise LedgerUnusable(f"Cannot use ledger {path}: {reason}", param="ledger") from exc
        raise
