"""A ledger file and its transactions: the unit of work every service runs inside.

Writes open with `BEGIN IMMEDIATE`, so concurrent writers queue on the busy timeout
instead of failing on a read-to-write upgrade, and any exception rolls everything back.
The ledger clock is read once at the start of each transaction: everything a command
writes carries the same instant.
"""

from __future__ import annotations

import gc
import importlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, overload

from billcli.clock import Clock
from billcli.store.errors import translated
from billcli.store.meta import CLOCK_KEY, Meta
from billcli.store.opening import connect
from billcli.store.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from billcli.store.balance import BalanceTransactions
    from billcli.store.catalog import Prices, Products
    from billcli.store.credit_notes import CreditNoteLines, CreditNotes
    from billcli.store.customers import Customers
    from billcli.store.discounts import Coupons, Discounts, PromotionCodes
    from billcli.store.events import Events
    from billcli.store.idempotency import IdempotencyKeys
    from billcli.store.invoices import InvoiceItems, Invoices, Outbox, PaymentAttempts
    from billcli.store.payments import (
        Charges,
        PaymentIntents,
        PaymentMethods,
        Refunds,
        SetupIntents,
        Tokens,
    )
    from billcli.store.portal import PortalConfigurations, PortalSessions
    from billcli.store.subscription_mrr import SubscriptionMrr
    from billcli.store.subscriptions import SubscriptionItems, Subscriptions
    from billcli.store.webhooks import WebhookAttempts, WebhookDeliveries, WebhookEndpoints

BULK_CACHE_KIB = 64 * 1024


R = TypeVar("R")


class Lazy(Generic[R]):
    """A Tx attribute holding one repository, imported and built on first use."""

    def __init__(self, module: str, name: str):
        self.module, self.name = f"billcli.store.{module}", name

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute

    @overload
    def __get__(self, tx: None, owner: type[Tx]) -> Lazy[R]: ...

    @overload
    def __get__(self, tx: Tx, owner: type[Tx]) -> R: ...

    def __get__(self, tx: Tx | None, owner: type[Tx]) -> R | Lazy[R]:
        if tx is None:
            return self  # looked up on the class (as dataclass does): import nothing
        repository: R = getattr(importlib.import_module(self.module), self.name)(tx.conn)
        tx.__dict__[self.attribute] = repository
        return repository


@dataclass
class Tx:
    """One open transaction: repositories over it, and the instant it happens at."""

    conn: sqlite3.Connection
    clock: Clock
    now: int
    writing: bool = False  # holds the write lock (`BEGIN IMMEDIATE`) from its start

    def __post_init__(self) -> None:
        self.meta = Meta(self.conn)
        # Deliveries this transaction queued, as (due instant, seq): a tick plans them.
        self.queued_deliveries: list[tuple[int, int]] = []
        # Subscriptions this transaction (re)scheduled, as (next action, id): a tick
        # adds them to its plan, so that a renewal's invoice paid or finalized early
        # moves its subscription's next step in the same run.
        self.scheduled_subscriptions: list[tuple[int, str]] = []
        # Values that cannot change while this transaction runs, read once (settings, the
        # lines of a finalized invoice): a tick step renders an invoice several times.
        self.memo: dict[tuple[str, str], Any] = {}

    # Repositories are made on first use: a command imports only the tables it touches.
    customers: ClassVar[Lazy[Customers]] = Lazy("customers", "Customers")
    payment_methods: ClassVar[Lazy[PaymentMethods]] = Lazy("payments", "PaymentMethods")
    payment_intents: ClassVar[Lazy[PaymentIntents]] = Lazy("payments", "PaymentIntents")
    charges: ClassVar[Lazy[Charges]] = Lazy("payments", "Charges")
    refunds: ClassVar[Lazy[Refunds]] = Lazy("payments", "Refunds")
    setup_intents: ClassVar[Lazy[SetupIntents]] = Lazy("payments", "SetupIntents")
    balance: ClassVar[Lazy[BalanceTransactions]] = Lazy("balance", "BalanceTransactions")
    events: ClassVar[Lazy[Events]] = Lazy("events", "Events")
    idempotency: ClassVar[Lazy[IdempotencyKeys]] = Lazy("idempotency", "IdempotencyKeys")
    invoices: ClassVar[Lazy[Invoices]] = Lazy("invoices", "Invoices")
    invoice_items: ClassVar[Lazy[InvoiceItems]] = Lazy("invoices", "InvoiceItems")
    attempts: ClassVar[Lazy[PaymentAttempts]] = Lazy("invoices", "PaymentAttempts")
    outbox: ClassVar[Lazy[Outbox]] = Lazy("invoices", "Outbox")
    portal_configurations: ClassVar[Lazy[PortalConfigurations]] = Lazy(
        "portal", "PortalConfigurations"
    )
    portal_sessions: ClassVar[Lazy[PortalSessions]] = Lazy("portal", "PortalSessions")
    webhook_endpoints: ClassVar[Lazy[WebhookEndpoints]] = Lazy("webhooks", "WebhookEndpoints")
    webhook_deliveries: ClassVar[Lazy[WebhookDeliveries]] = Lazy("webhooks", "WebhookDeliveries")
    webhook_attempts: ClassVar[Lazy[WebhookAttempts]] = Lazy("webhooks", "WebhookAttempts")
    products: ClassVar[Lazy[Products]] = Lazy("catalog", "Products")
    prices: ClassVar[Lazy[Prices]] = Lazy("catalog", "Prices")
    subscriptions: ClassVar[Lazy[Subscriptions]] = Lazy("subscriptions", "Subscriptions")
    subscription_items: ClassVar[Lazy[SubscriptionItems]] = Lazy(
        "subscriptions", "SubscriptionItems"
    )
    coupons: ClassVar[Lazy[Coupons]] = Lazy("discounts", "Coupons")
    discounts: ClassVar[Lazy[Discounts]] = Lazy("discounts", "Discounts")
    promotion_codes: ClassVar[Lazy[PromotionCodes]] = Lazy("discounts", "PromotionCodes")
    tokens: ClassVar[Lazy[Tokens]] = Lazy("payments", "Tokens")
    credit_notes: ClassVar[Lazy[CreditNotes]] = Lazy("credit_notes", "CreditNotes")
    credit_note_lines: ClassVar[Lazy[CreditNoteLines]] = Lazy("credit_notes", "CreditNoteLines")
    subscription_mrr: ClassVar[Lazy[SubscriptionMrr]] = Lazy("subscription_mrr", "SubscriptionMrr")

    def integrity_problems(self) -> list[str]:
        """SQLite's own checks: every page and index (`PRAGMA quick_check`), and every
        reference (`PRAGMA foreign_key_check`: a bulk import skips the per-row one)."""
        rows = [row[0] for row in self.conn.execute("PRAGMA quick_check")]
        problems = [] if rows == ["ok"] else rows
        return problems + [
            f"{table} row {rowid} refers to a missing {parent} row"
            for table, rowid, parent, _ in self.conn.execute("PRAGMA foreign_key_check")
        ]

    @contextmanager
    def scratch(self) -> Iterator[None]:
        """Work whose writes are always undone (a preview runs the change it previews),
        with what this transaction noted in memory meanwhile forgotten too.

        Only inside a write transaction: a read one that writes must upgrade its lock,
        which SQLite refuses at once (`SQLITE_BUSY_SNAPSHOT`, no waiting) if another
        process committed since it began reading."""
        assert self.writing, "scratch() needs ledger.write(): a read cannot take the write lock"
        noted = (list(self.queued_deliveries), list(self.scheduled_subscriptions), dict(self.memo))
        self.conn.execute("SAVEPOINT scratch")
        try:
            yield
        finally:
            self.conn.execute("ROLLBACK TO scratch")
            self.conn.execute("RELEASE scratch")
            self.queued_deliveries, self.scheduled_subscriptions, self.memo = noted

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

    def __init__(self, path: Path, *, create: bool = True):
        self.path = path
        with translated(path):
            self.conn, self.created = connect(path, create=create)
        self.conn.row_factory = sqlite3.Row
        # The transaction open on this connection, if any: a service called inside
        # `request()` (one HTTP request) joins it instead of opening its own.
        self._open: Tx | None = None

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def bulk(self, *, references_checked: bool = False) -> Iterator[None]:
        """A large page cache for a job that writes many rows (imports, long ticks).

        Bulk writes touch random pages of large indexes, and SQLite's 2 MiB default
        cache makes them disk-bound; reads keep the default, so a streaming `--all`
        stays small. Python's cyclic garbage collector pauses meanwhile: such a job
        keeps 100,000s of records alive while making millions of short-lived objects,
        none of them in cycles (reference counting frees them), and the collector's
        passes over the live ones took a third of a million-row import.

        With `references_checked`, the job reads every row its new rows refer to inside
        its own `BEGIN IMMEDIATE` transaction, so SQLite's foreign-key lookup on each
        inserted row (a tenth of a balance import) is skipped; `ledger check` still
        verifies every reference. Entered outside the transaction: SQLite ignores
        `foreign_keys` inside one.
        """
        default = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
        if references_checked:
            self.conn.execute("PRAGMA foreign_keys = OFF")
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            if collecting:
                gc.enable()
            self.conn.execute(f"PRAGMA cache_size = {default}")
            self.conn.execute("PRAGMA foreign_keys = ON")

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
    def request(self, *, writes: bool = True) -> Iterator[Tx]:
        """One transaction around whatever a request calls: every `write()` and `read()`
        inside it joins it, so the request (its idempotency key included) commits or
        rolls back as one; a request that only reads (`writes=False`) takes no write
        lock."""
        with self._transaction("BEGIN IMMEDIATE" if writes else "BEGIN") as tx:
            self._open = tx
            try:
                yield tx
            finally:
                self._open = None

    @contextmanager
    def _transaction(self, begin: str, *, at: int | None = None) -> Iterator[Tx]:
        if self._open is not None:
            yield self._open
            return
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
                yield Tx(self.conn, clock, now, writing=begin != "BEGIN")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
