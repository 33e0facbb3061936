"""A ledger file and its transactions: the unit of work every service runs inside.

Writes open with `BEGIN IMMEDIATE`, so concurrent writers queue on the busy timeout
instead of failing on a read-to-write upgrade, and any exception rolls everything back.
The ledger clock is read once at the start of each transaction: everything a command
writes carries the same instant.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from billcli.clock import Clock
from billcli.store.balance import BalanceTransactions
from billcli.store.customers import Customers, PaymentMethods
from billcli.store.errors import translated
from billcli.store.events import Events
from billcli.store.idempotency import IdempotencyKeys
from billcli.store.invoices import InvoiceItems, Invoices, Outbox, PaymentAttempts
from billcli.store.meta import CLOCK_KEY, Meta
from billcli.store.opening import connect
from billcli.store.portal import PortalConfigurations, PortalSessions
from billcli.store.schema import SCHEMA_VERSION
from billcli.store.webhooks import WebhookAttempts, WebhookDeliveries, WebhookEndpoints

BULK_CACHE_KIB = 64 * 1024


@dataclass
class Tx:
    """One open transaction: repositories over it, and the instant it happens at."""

    conn: sqlite3.Connection
    clock: Clock
    now: int

    def __post_init__(self) -> None:
        self.customers = Customers(self.conn)
        self.payment_methods = PaymentMethods(self.conn)
        self.balance = BalanceTransactions(self.conn)
        self.events = Events(self.conn)
        self.meta = Meta(self.conn)
        self.idempotency = IdempotencyKeys(self.conn)
        self.invoices = Invoices(self.conn)
        self.invoice_items = InvoiceItems(self.conn)
        self.attempts = PaymentAttempts(self.conn)
        self.outbox = Outbox(self.conn)
        self.portal_configurations = PortalConfigurations(self.conn)
        self.portal_sessions = PortalSessions(self.conn)
        self.webhook_endpoints = WebhookEndpoints(self.conn)
        self.webhook_deliveries = WebhookDeliveries(self.conn)
        self.webhook_attempts = WebhookAttempts(self.conn)
        # Deliveries this transaction queued, as (due instant, seq): a tick plans them.
        self.queued_deliveries: list[tuple[int, int]] = []

    def integrity_problems(self) -> list[str]:
        """SQLite's own check of every page and index (`PRAGMA quick_check`)."""
        rows = [row[0] for row in self.conn.execute("PRAGMA quick_check")]
        return [] if rows == ["ok"] else rows

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested step that undoes only itself on failure (one row of an import)."""
        self.conn.execute("SAVEPOINT step")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK TO step")
            self.conn.execute("RELEASE step")
            raise
        self.conn.execute("RELEASE step")


class Ledger:
    """An opened ledger file (refused with exit 3 when it is not usable)."""

    schema_version = SCHEMA_VERSION

    def __init__(self, path: Path):
        self.path = path
        with translated(path):
            self.conn = connect(path)
        self.conn.row_factory = sqlite3.Row

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A large page cache for a job that writes many rows (imports, long ticks).

        Bulk writes touch random pages of large indexes, and SQLite's 2 MiB default
        cache makes them disk-bound; reads keep the default, so a streaming `--all`
        stays small.
        """
        default = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {default}")

    @contextmanager
    def write(self, *, at: int | None = None) -> Iterator[Tx]:
        """A `BEGIN IMMEDIATE` transaction, committed when the block ends cleanly.

        With `at`, the transaction happens at that instant (or at the clock, if another
        process has moved it further) and freezes the clock there: how a tick does each
        piece of work at its own due time.
        """
        with self._transaction("BEGIN IMMEDIATE", at=at) as tx:
            yield tx

    @contextmanager
    def read(self) -> Iterator[Tx]:
        """A consistent snapshot for multi-statement reads."""
        with self._transaction("BEGIN") as tx:
            yield tx

    @contextmanager
    def _transaction(self, begin: str, *, at: int | None = None) -> Iterator[Tx]:
        with translated(self.path):
            self.conn.execute(begin)
            try:
                meta = Meta(self.conn)
                clock = Clock(meta.frozen_at())
                now = clock.now()
                if at is not None and at > now:
                    now = at
                    meta.set(CLOCK_KEY, str(now))
                    clock = Clock(now)
                yield Tx(self.conn, clock, now)
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
