"""A ledger file and its transactions: the unit of work every service runs inside.

Writes take the ledger's write lock as they begin (SQLite's `BEGIN IMMEDIATE`, writers
taking turns: `store/turns.py`; an advisory lock on PostgreSQL: `store/dialect.py`), so
concurrent writers queue instead of failing on a read-to-write upgrade, and any
exception rolls everything back.

Where time comes from: a transaction happens on one clock, the ledger's or one test
clock's, and `tx.now` is that clock's instant, read once, so everything a command
writes carries the same instant. Which clock is decided in one place, `Tx.enter`, the
first time the transaction touches a customer's object (the lookups and the
repositories call it): a customer's objects live in its clock's time. A second clock in
the same transaction is refused as mixing (Stripe refuses it too), and reading `now`
before any customer was touched decides the ledger clock, so a code path that would
stamp a clock customer's object with the ledger's time fails loudly instead.
`tx.ledger_now` is the ledger clock's instant whatever the transaction's clock: what
belongs to the ledger itself (idempotency keys, webhook deliveries) keeps to it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Final

from billcli.clock import Clock
from billcli.errors import InvalidRequest, NotFound
from billcli.store import clocks
from billcli.store.dialect import Connection
from billcli.store.errors import postgresql_needed, translated
from billcli.store.lazy import Lazy
from billcli.store.meta import CLOCK_KEY, Meta
from billcli.store.opening import connect, release
from billcli.store.paths import Address, ServerAddress, address
from billcli.store.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from billcli.store.balance import BalanceTransactions
    from billcli.store.catalog import Prices, Products
    from billcli.store.checkout import CheckoutSessions
    from billcli.store.clocks import TestClocks
    from billcli.store.credit_notes import CreditNoteLines, CreditNotes
    from billcli.store.customers import Customers
    from billcli.store.discounts import Coupons, Discounts, PromotionCodes
    from billcli.store.events import Events
    from billcli.store.idempotency import IdempotencyKeys
    from billcli.store.invoices import InvoiceItems, Invoices, Outbox, PaymentAttempts
    from billcli.store.meters import MeterEvents, MeterEventSessions, Meters
    from billcli.store.payments import (
        Charges,
        PaymentIntents,
        PaymentMethods,
        Refunds,
        SetupIntents,
        Tokens,
    )
    from billcli.store.portal import PortalConfigurations, PortalSessions
    from billcli.store.schedules import SubscriptionSchedules
    from billcli.store.subscription_mrr import SubscriptionMrr
    from billcli.store.subscriptions import SubscriptionItems, Subscriptions
    from billcli.store.taxes import TaxIds, TaxRates
    from billcli.store.webhooks import WebhookAttempts, WebhookDeliveries, WebhookEndpoints

BULK_CACHE_KIB = 64 * 1024
# A bulk job of many transactions collects its reference cycles this often (commits).
COLLECT_EVERY = 20


class Undecided(Enum):
    """The clock of a transaction that has touched no customer and read no time yet."""

    UNDECIDED = "undecided"


UNDECIDED: Final = Undecided.UNDECIDED
# A transaction's clock: a test clock's id, None for the ledger clock, or not known yet.
ClockChoice = str | None | Undecided


class TimeReadTooEarly(RuntimeError):
    """A bug: a transaction read the ledger's time, then touched a test clock's
    customer, whose objects would carry the wrong time. Look the customer up first."""


def clock_name(clock: str | None) -> str:
    return "the ledger clock" if clock is None else f"test clock {clock}"


@dataclass
class Tx:
    """One open transaction: repositories over it, the clock it happens on, and that
    clock's instant (`now`)."""

    conn: Connection
    clock: Clock  # the ledger clock
    ledger_now: int
    on: ClockChoice = UNDECIDED
    writing: bool = False  # holds the write lock (`BEGIN IMMEDIATE`) from its start
    # Holds the write lock with other shared writers (a tick's steps on PostgreSQL): it
    # writes only for customers whose rows it holds (`Customers.hold`), and adds its
    # events last, in commit order (`services.ledger.events.append`).
    shared: bool = False
    # Asked to share the lock, holds it alone to move the ledger clock to its instant.
    moving_alone: bool = False
    _now: int = field(init=False)
    _read_before_deciding: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self._now = self.ledger_now
        if isinstance(self.on, str):
            self._now = self._clock_time(self.on)
        self._clock_of: dict[str, str | None] = {}
        self._parts: dict[str | None, Tx] = {}  # `on_clock`'s parts, by clock
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
        # The idempotency key of the request this transaction answers, if it has one:
        # every event it records names it (Stripe's `request.idempotency_key`).
        self.idempotency_key: str | None = None
        # The id of the API request this transaction answers (`Request-Id`): every event
        # it records names it (Stripe's `request.id`); None for a command.
        self.request_id: str | None = None
        # A shared writer's events, added just before it commits, and what is done then.
        self.pending_events: list[Any] = []
        self.before_commit: list[Callable[[], object]] = []

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
    test_clocks: ClassVar[Lazy[TestClocks]] = Lazy("clocks", "TestClocks")
    tax_rates: ClassVar[Lazy[TaxRates]] = Lazy("taxes", "TaxRates")
    tax_ids: ClassVar[Lazy[TaxIds]] = Lazy("taxes", "TaxIds")

    @property
    def now(self) -> int:
        """The instant of this transaction's clock. Read before any customer was
        touched, it is the ledger clock's, and the transaction stays on that clock."""
        if self.on is UNDECIDED:
            self.on = None
            self._read_before_deciding = True
        return self._now

    def enter(self, clock: str | None, *, what: str, param: str | None = None) -> None:
        """Put this transaction on `clock` (the clock of `what`, an object it touches):
        decided the first time, then the same clock or a refusal."""
        if self.on is UNDECIDED:
            self.on = clock
            if clock is not None:
                self._now = self._clock_time(clock)
            return
        if self.on == clock:
            return
        if self.on is None and self._read_before_deciding:
            raise TimeReadTooEarly(f"the ledger time was read before {what} ({clock_name(clock)})")
        raise InvalidRequest(
            f"Invalid {param or 'customer'}: {what} lives on {clock_name(clock)}, and this "
            f"request's objects on {clock_name(self.on)}; objects of two clocks never mix",
            param=param,
        )

    def owns(self, customer_id: str | None, *, param: str | None = None) -> None:
        """Enter the clock of the customer an object belongs to (no customer: nothing
        is decided, as a detached payment method belongs to no clock)."""
        if customer_id is not None:
            self.enter(self.clock_of(customer_id), what=f"customer {customer_id}", param=param)

    def now_for(self, customer_id: str) -> int:
        """The instant of the clock a customer lives on, deciding nothing: for what
        shows many customers' objects at once (a list, `ledger check`, a report), each
        as of its own time (is a discount still running?)."""
        return self.time_of(self.clock_of(customer_id))

    def time_of(self, clock: str | None) -> int:
        """The instant of `clock` (None: the ledger's), deciding nothing."""
        if clock == self.on:
            return self._now
        return self.ledger_now if clock is None else self._clock_time(clock)

    def on_clock(self, clock: str | None) -> Tx:
        """This transaction put on `clock`, or, when it is on another clock already, a
        part of it on `clock`: the same SQL transaction (it commits or rolls back with
        the whole), with that clock's instant as its `now`.

        For a batch of objects that never refer to one another, made for customers of
        several clocks (meter events of a file): each clock's objects are written and
        dated in its part, in its own time, and nothing of two clocks mixes."""
        if self.on is UNDECIDED:
            self.enter(clock, what=clock_name(clock))
        if self.on == clock:
            return self
        if clock not in self._parts:
            part = Tx(
                self.conn,
                self.clock,
                self.ledger_now,
                clock,
                writing=self.writing,
                shared=self.shared,
            )
            part._clock_of = self._clock_of
            part.pending_events = self.pending_events
            part.before_commit = self.before_commit
            part.queued_deliveries = self.queued_deliveries
            part.scheduled_subscriptions = self.scheduled_subscriptions
            part.idempotency_key = self.idempotency_key
            part.request_id = self.request_id
            self._parts[clock] = part
        return self._parts[clock]

    def clock_of(self, customer_id: str) -> str | None:
        """The clock a customer lives on (None: the ledger's), read once per transaction."""
        if customer_id not in self._clock_of:
            self._clock_of[customer_id] = clocks.clock_of_customer(self.conn, customer_id)
        return self._clock_of[customer_id]

    def move_clock(self, at: int) -> None:
        """Freeze this transaction's clock at `at` if that is later, and happen there:
        how a tick or an advance does each piece of work at its own due time."""
        if at <= self.now:
            return
        if self.on is None:
            self.meta.set(CLOCK_KEY, str(at))
            self.clock = Clock(at)
            self.ledger_now = at
        else:
            clocks.move(self.conn, str(self.on), at)
        self._now = at

    def _clock_time(self, clock: str) -> int:
        at = clocks.frozen_time(self.conn, clock)
        if at is None:
            raise NotFound("test clock", clock, param="test_clock")
        return at

    meters: ClassVar[Lazy[Meters]] = Lazy("meters", "Meters")
    meter_events: ClassVar[Lazy[MeterEvents]] = Lazy("meters", "MeterEvents")
    meter_event_sessions: ClassVar[Lazy[MeterEventSessions]] = Lazy("meters", "MeterEventSessions")
    checkout_sessions: ClassVar[Lazy[CheckoutSessions]] = Lazy("checkout", "CheckoutSessions")
    subscription_schedules: ClassVar[Lazy[SubscriptionSchedules]] = Lazy(
        "schedules", "SubscriptionSchedules"
    )

    def integrity_problems(self) -> list[str]:
        """The engine's own checks of pages, indexes and references."""
        return self.conn.dialect.integrity_problems(self.conn)

    @contextmanager
    def scratch(self) -> Iterator[None]:
        """Work whose writes are always undone (a preview runs the change it previews),
        with what this transaction noted in memory meanwhile forgotten too.

        Only inside a write transaction: a read one that writes must upgrade its lock,
        which SQLite refuses at once (`SQLITE_BUSY_SNAPSHOT`, no waiting) if another
        process committed since it began reading."""
        assert self.writing, "scratch() needs ledger.write(): a read cannot take the write lock"
        noted = (
            list(self.queued_deliveries),
            list(self.scheduled_subscriptions),
            dict(self.memo),
            len(self.pending_events),
        )
        self.conn.execute("SAVEPOINT scratch")
        try:
            yield
        finally:
            self.conn.execute("ROLLBACK TO scratch")
            self.conn.execute("RELEASE scratch")
            self.queued_deliveries, self.scheduled_subscriptions, self.memo, pending = noted
            del self.pending_events[pending:]

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested step that undoes only itself on failure (one row of an import)."""
        pending = len(self.pending_events)
        self.conn.execute("SAVEPOINT step")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK TO step")
            self.conn.execute("RELEASE step")
            del self.pending_events[pending:]
            raise
        self.conn.execute("RELEASE step")


def _connect(address: Address, *, create: bool) -> tuple[Connection, bool]:
    """A connection to the ledger at `address`, on the engine its form names."""
    if isinstance(address, ServerAddress):
        with postgresql_needed(address):
            # startup: psycopg loads only for a ledger on a PostgreSQL server
            from billcli.store import pg_opening
        return pg_opening.connect(address, create=create)
    return connect(address, create=create)


# When a commit is acknowledged: once on disk (`full`, the default: it survives a lost
# machine), or once handed to the operating system or database server (`process`: it
# survives the process that wrote it dying, a lost machine may lose the last commits,
# and the ledger is never left half-written). `api serve --durability`: one client
# waiting on each request waits mostly for the disk (docs/design.md, "Durability").
DURABILITIES = ("full", "process")


class Ledger:
    """An opened ledger: a SQLite file or a PostgreSQL database (refused with exit 3
    when it is not usable)."""

    schema_version = SCHEMA_VERSION

    def __init__(self, path: Address | str, *, create: bool = True, durability: str = "full"):
        self.path: Address = address(path) if isinstance(path, str) else path
        if durability not in DURABILITIES:
            raise InvalidRequest(
                f"Invalid durability: must be one of {', '.join(DURABILITIES)}",
                param="durability",
            )
        with translated(self.path):
            self.conn, self.created = _connect(self.path, create=create)
        self.dialect = self.conn.dialect
        if durability == "process":
            self.dialect.acknowledge_when_written(self.conn)
        self._closed = False
        # The transaction open on this connection, if any: a service called inside
        # `request()` (one HTTP request) joins it instead of opening its own.
        self._open: Tx | None = None
        # Inside `bulk()`: commits since the cyclic collector last ran; None outside.
        self._commits_uncollected: int | None = None

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.conn.close()
        if not isinstance(self.path, ServerAddress):
            release(self.path)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def bulk(
        self, *, references_checked: bool = False, cache_kib: int = BULK_CACHE_KIB
    ) -> Iterator[None]:
        """A large page cache for a job that writes many rows (imports, long ticks).

        Bulk writes touch random pages of large indexes, and SQLite's 2 MiB default
        cache makes them disk-bound; reads keep the default, so a streaming `--all`
        stays small. Python's cyclic garbage collector pauses meanwhile: such a job
        keeps 100,000s of records alive while making millions of short-lived objects,
        and the collector's passes over the live ones took a third of a million-row
        import. A job of many transactions (a tick) has it run once every
        `COLLECT_EVERY` commits: what its steps leave in reference cycles made a
        month-end tick of 10,000 renewals (some 300 transactions) 110 MiB bigger.

        With `references_checked`, the job reads every row its new rows refer to inside
        its own `BEGIN IMMEDIATE` transaction, so SQLite's foreign-key lookup on each
        inserted row (a tenth of a balance import) is skipped; `ledger check` still
        verifies every reference. Entered outside the transaction: SQLite ignores
        `foreign_keys` inside one.
        """
        collecting = gc.isenabled()
        gc.disable()
        self._commits_uncollected = 0
        try:
            with self.dialect.bulk(
                self.conn, cache_kib=cache_kib, references_checked=references_checked
            ):
                yield
        finally:
            self._commits_uncollected = None
            if collecting:
                gc.enable()

    @contextmanager
    def write(
        self, *, at: int | None = None, clock: ClockChoice = UNDECIDED, shared: bool = False
    ) -> Iterator[Tx]:
        """A `BEGIN IMMEDIATE` transaction, committed when the block ends cleanly.

        `clock` puts it on a clock from the start (a test clock's id, None for the
        ledger's). With `at`, it happens at that instant on that clock (the ledger's
        when none is named), or at the clock's own time if another process has moved it
        further, and freezes the clock there: how a tick or an advance does each piece
        of work at its own due time.

        `shared`, on an engine that `shares_writes`, for the ledger clock: the write
        lock is shared with other such transactions (a tick's steps on several hosts),
        each writing only for customers it holds; one that must move the clock holds
        the lock alone (`Tx.moving_alone`), so the clock moves when no shared writer is
        half-way.
        """
        if at is not None and clock is UNDECIDED:
            clock = None
        shared = shared and clock is None and self.dialect.shares_writes
        with self._transaction(writing=True, at=at, clock=clock, shared=shared) as tx:
            yield tx

    @contextmanager
    def read(self, *, clock: ClockChoice = UNDECIDED) -> Iterator[Tx]:
        """A consistent snapshot for multi-statement reads."""
        with self._transaction(writing=False, clock=clock) as tx:
            yield tx

    @contextmanager
    def request(
        self, *, writes: bool = True, waiting: bool = True, request_id: str | None = None
    ) -> Iterator[Tx]:
        """One transaction around whatever a request calls: every `write()` and `read()`
        inside it joins it, so the request (its idempotency key included) commits or
        rolls back as one; a request that only reads (`writes=False`) takes no write
        lock. Not `waiting`, a write whose lock is taken raises `WriteLockTaken`
        before anything is done. Its events name `request_id`."""
        with self._transaction(writing=writes, waiting=waiting) as tx:
            tx.request_id = request_id
            self._open = tx
            try:
                yield tx
            finally:
                self._open = None

    @contextmanager
    def _transaction(
        self,
        *,
        writing: bool,
        at: int | None = None,
        clock: ClockChoice = UNDECIDED,
        waiting: bool = True,
        shared: bool = False,
    ) -> Iterator[Tx]:
        if self._open is not None:
            if clock is not UNDECIDED:
                self._open.enter(clock, what=clock_name(clock))
            yield self._open
            return
        with translated(self.path):
            moving_alone = False
            self.dialect.begin(self.conn, writing=writing, waiting=waiting, shared=shared)
            try:
                ledger_clock = Clock(Meta(self.conn).frozen_at())
                if shared and at is not None and at > ledger_clock.now():
                    # the clock moves under the lock held alone
                    self.conn.execute("ROLLBACK")
                    shared, moving_alone = False, True
                    self.dialect.begin(self.conn, writing=True)
                    ledger_clock = Clock(Meta(self.conn).frozen_at())
                tx = Tx(
                    self.conn,
                    ledger_clock,
                    ledger_clock.now(),
                    clock,
                    writing=writing,
                    shared=shared,
                    moving_alone=moving_alone,
                )
                if at is not None:
                    tx.move_clock(at)
                yield tx
                for done in tx.before_commit:
                    done()
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        if writing:
            self.dialect.committed(self.conn)
        self._collected_now_and_then()

    def _collected_now_and_then(self) -> None:
        """Inside `bulk()`, a pass of the cyclic collector every `COLLECT_EVERY` commits."""
        if self._commits_uncollected is None:
            return
        self._commits_uncollected += 1
        if self._commits_uncollected >= COLLECT_EVERY:
            self._commits_uncollected = 0
            gc.collect()
