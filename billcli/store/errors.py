"""The engine's failures, as the ledger-unusable errors a user can act on (exit 3).

A failure SQLite names (locked, full, read-only…) says so. Anything else it reports
about the file, text that is not UTF-8, and a stored JSON value that does not parse
mean the file is damaged: the command stops inside its transaction, which is rolled
back, so nothing is written to a damaged ledger, and the message points at `ledger
check`. Programming errors (bad SQL, wrong bindings) stay bugs.

PostgreSQL's (psycopg's) are told apart by SQLSTATE, and only once psycopg is loaded:
a SQLite command never imports it. A constraint (class 23) stays what it is, as
SQLite's `IntegrityError` does: the backstop behind a rule billcli checks first.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from billcli.errors import LedgerDamaged, LedgerUnusable
from billcli.store.paths import Address

_REASONS = (
    ("locked", "the ledger is locked by another process past the busy timeout"),
    ("busy", "the ledger is locked by another process past the busy timeout"),
    ("full", "the disk is full (or the ledger reached its size limit)"),
    ("readonly", "the ledger is read-only"),
    ("read-only", "the ledger is read-only"),
    ("unable to open", "the ledger file cannot be opened"),
    ("disk i/o", "a disk I/O error occurred (is the disk full, or the file size limited?)"),
)
# A read transaction that then wrote, after another process committed (SQLite refuses
# at once, without waiting: the timeout is not what ran out).
_CHANGED = (
    "Cannot use ledger {path}: another process wrote to it while this command was "
    "reading it; nothing was written, and running the command again reads the new state"
)
# What SQLite says of a statement billcli got wrong, not of the file.
_BUGS = (
    "syntax error",
    "no such column",
    "ambiguous column",
    "unrecognized token",
    "incomplete input",
    "wrong number of arguments",
    "values for",
)


class DamagedRecord(Exception):
    """A stored value billcli cannot read back (a JSON column that does not parse)."""

    def __init__(self, where: str):
        super().__init__(where)
        self.where = where


def damaged(path: Address, what: str) -> LedgerDamaged:
    return LedgerDamaged(
        f"Cannot use ledger {path}: the file is damaged ({what}); nothing was written; "
        "`billcli ledger check` on it names what is damaged",
        param="ledger",
    )


# PostgreSQL's SQLSTATE (its first two characters: the class) and what to tell the user.
_PG_REASONS = (
    ("40", _CHANGED),  # serialization failure, deadlock: nothing was written
    (
        "55P03",
        "Cannot use ledger {path}: the ledger is locked by another process past the lock timeout",
    ),
    (
        "57014",
        "Cannot use ledger {path}: the ledger is locked by another process past the lock timeout",
    ),
    ("53", "Cannot use ledger {path}: the server is out of disk space or memory"),
    ("25006", "Cannot use ledger {path}: the ledger is read-only"),
    ("42501", "Cannot use ledger {path}: its user may not do this (permission denied)"),
    ("28", "Cannot use ledger {path}: the server refused its credentials"),
    ("57P", "Cannot use ledger {path}: the server is shutting down or restarting"),
    ("08", "Cannot use ledger {path}: the connection to the server was lost"),
    ("22", "damaged"),  # a stored value that does not read as its type (JSON, a number)
)


def _driver_errors() -> tuple[type[BaseException], ...]:
    psycopg: Any = sys.modules.get("psycopg")
    return (psycopg.Error,) if psycopg is not None else ()


def _server_failure(path: Address, exc: Any) -> Exception | None:
    """The user's error for a psycopg failure; None for a bug or a constraint."""
    state = exc.sqlstate or "08"  # no SQLSTATE: the connection failed, not a statement
    if state.startswith(("23", "42")) and state != "42501":
        return None
    for prefix, message in _PG_REASONS:
        if state.startswith(prefix):
            if message == "damaged":
                return damaged(path, f"PostgreSQL: {str(exc).splitlines()[0][:120]}")
            return LedgerUnusable(message.format(path=path), param="ledger")
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return LedgerUnusable(
        f"Cannot use ledger {path}: the server said: {first[:160]}", param="ledger"
    )


@contextmanager
def postgresql_needed(address: Address) -> Iterator[None]:
    """Around the import of the PostgreSQL modules: psycopg may not be installed."""
    try:
        yield
    except ImportError:
        raise LedgerUnusable(
            f"Cannot use ledger {address}: PostgreSQL needs psycopg "
            "(pip install 'billcli[postgresql]')",
            param="ledger",
        ) from None


@contextmanager
def translated(path: Address) -> Iterator[None]:
    """Re-raise the engine's failures as `LedgerUnusable`, damage as `LedgerDamaged`."""
    try:
        yield
    except _driver_errors() as exc:
        failure = _server_failure(path, exc)
        if failure is None:
            raise
        raise failure from exc
    except (sqlite3.IntegrityError, sqlite3.ProgrammingError):
        raise
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_BUSY_SNAPSHOT":
            raise LedgerUnusable(_CHANGED.format(path=path), param="ledger") from exc
        text = str(exc).lower()
        for needle, reason in _REASONS:
            if needle in text:
                raise LedgerUnusable(f"Cannot use ledger {path}: {reason}", param="ledger") from exc
        if "malformed" not in text and any(needle in text for needle in _BUGS):
            raise
        raise damaged(path, f"SQLite: {str(exc)[:120]}") from exc
    except UnicodeDecodeError as exc:
        # SQLite's own report quoted bytes of the file that are not text.
        raise damaged(path, "SQLite's report of it is not even text") from exc
    except DamagedRecord as exc:
        raise damaged(path, exc.where) from exc
