"""The ledger reads behind shell completion: small, indexed, and never creating a file.

Completion runs at every TAB press: it must answer in milliseconds, must never create
or migrate a ledger, and must stay silent on any problem.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from billcli.store.dialect import Connection
from billcli.store.opening import inspect
from billcli.store.paths import Address, ServerAddress
from billcli.store.schema import SCHEMA_VERSION
from billcli.store.sqlite_dialect import SqliteConnection

LIMIT = 50
T = TypeVar("T")


@contextmanager
def peek(path: Address) -> Iterator[Connection | None]:
    """A connection to an existing, current ledger, or None (nothing created, ever)."""
    if isinstance(path, ServerAddress):
        # startup: psycopg loads only for a ledger on a PostgreSQL server
        from billcli.store.pg_opening import peek as peek_server

        with peek_server(path) as server:
            yield server
        return
    try:
        usable = inspect(path) == "ledger"
    except Exception:
        usable = False
    conn = None
    if usable:
        try:
            conn = sqlite3.connect(path, timeout=0.2, factory=SqliteConnection)
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                conn.close()
                conn = None
        except sqlite3.Error:
            conn = None
    try:
        yield conn
    finally:
        if conn is not None:
            conn.close()


def _prefix_range(prefix: str) -> tuple[str, str]:
    """Bounds that select, with an index, every string starting with `prefix`."""
    return prefix, prefix + "\U0010ffff"


def _newest(
    conn: Connection,
    table: str,
    columns: str,
    prefix: str,
    *,
    where: str = "",
    args: Sequence[object] = (),
    named: str | None = None,
) -> list[Any]:
    """`columns` of `table`'s rows whose id (or, with `named`, that column too, any case)
    starts with `prefix`, that also meet `where` (with `args`), newest first: the one
    shape of nearly every completion query."""
    low, high = _prefix_range(prefix)
    match, bounds = "id >= ? AND id < ?", [low, high]
    if named:
        match = f"(({match}) OR ({named} >= ? COLLATE NOCASE AND {named} < ? COLLATE NOCASE))"
        bounds += [low, high]
    condition = f"{where} AND {match}" if where else match
    return conn.execute(
        f"SELECT {columns} FROM {table} WHERE {condition} ORDER BY created DESC, seq DESC LIMIT ?",
        [*args, *bounds, LIMIT],
    ).fetchall()


def customers(conn: Connection, prefix: str) -> list[tuple[str, str | None, str | None]]:
    """(id, name, email) of live customers whose id, name or email starts with `prefix`."""
    low, high = _prefix_range(prefix)
    by_id = conn.execute(
        "SELECT id, name, email FROM customers WHERE id >= ? AND id < ? AND deleted = 0 LIMIT ?",
        [low, high, LIMIT],
    ).fetchall()
    if by_id or prefix.startswith("cus_"):
        return by_id
    by_name = conn.execute(
        "SELECT id, name, email FROM customers WHERE name >= ? COLLATE NOCASE "
        "AND name < ? COLLATE NOCASE AND deleted = 0 LIMIT ?",
        [low, high, LIMIT],
    ).fetchall()
    by_email = conn.execute(
        "SELECT id, name, email FROM customers WHERE email >= ? AND email < ? AND deleted = 0 "
        "LIMIT ?",
        [low.lower(), high, LIMIT],
    ).fetchall()
    return list(dict.fromkeys(by_name + by_email))[:LIMIT]


def invoices(
    conn: Connection, prefix: str, statuses: Sequence[str] = ()
) -> list[tuple[str, str | None, str, int, str]]:
    """(id, number, status, amount_due, currency) of invoices by id or number prefix."""
    low, high = _prefix_range(prefix)
    status_clause = ""
    if statuses:
        status_clause = f" AND status IN ({', '.join('?' * len(statuses))})"
    column = "id" if prefix.startswith("in_") or not prefix else "number"
    return conn.execute(
        f"SELECT id, number, status, amount_due, currency FROM invoices WHERE {column} >= ? "
        f"AND {column} < ?{status_clause} ORDER BY created DESC LIMIT ?",
        [low, high, *statuses, LIMIT],
    ).fetchall()


def balance_transactions(
    conn: Connection, customer: str, prefix: str
) -> list[tuple[str, str, int, str]]:
    """(id, type, amount, currency) of one customer's transactions, newest first."""
    return _newest(
        conn,
        "balance_transactions",
        "id, type, amount, currency",
        prefix,
        where="customer = ?",
        args=[customer],
    )


def tax_ids(conn: Connection, customer: str, prefix: str) -> list[tuple[str, str, str]]:
    """(id, type, value) of one customer's tax IDs, newest first."""
    return _newest(
        conn, "tax_ids", "id, type, value", prefix, where="customer = ?", args=[customer]
    )


def invoice_items(
    conn: Connection, prefix: str
) -> list[tuple[str, str | None, int, str, str | None]]:
    """(id, description, amount, currency, invoice) of invoice items, newest first."""
    return _newest(conn, "invoice_items", "id, description, amount, currency, invoice", prefix)


def portal_configurations(conn: Connection, prefix: str) -> list[tuple[str, int, int, str | None]]:
    """(id, is_default, active, headline) of portal configurations, newest first."""
    columns = "id, is_default, active, json_extract(business_profile, '$.headline')"
    return _newest(conn, "portal_configurations", columns, prefix)


def webhook_endpoints(conn: Connection, prefix: str) -> list[tuple[str, str, str]]:
    """(id, url, status) of live webhook endpoints, newest first."""
    return _newest(conn, "webhook_endpoints", "id, url, status", prefix, where="deleted = 0")


def products(conn: Connection, prefix: str) -> list[tuple[str, str, int]]:
    """(id, name, active) of live products by id or name prefix, newest first."""
    return _newest(conn, "products", "id, name, active", prefix, where="deleted = 0", named="name")


def prices(
    conn: Connection, prefix: str, kind: str | None
) -> list[tuple[str, str | None, int | None, str, str | None, int, str]]:
    """(id, nickname, unit_amount, currency, interval, interval_count, billing_scheme) of
    active prices (of `kind`, one_time or recurring, when given), newest first."""
    columns = "id, nickname, unit_amount, currency, interval, interval_count, billing_scheme"
    where, args = ("active = 1 AND type = ?", [kind]) if kind else ("active = 1", [])
    return _newest(conn, "prices", columns, prefix, where=where, args=args)


def subscriptions(conn: Connection, prefix: str) -> list[tuple[str, str, str]]:
    """(id, status, customer) of subscriptions, newest first."""
    return _newest(conn, "subscriptions", "id, status, customer", prefix)


def coupons(
    conn: Connection, prefix: str
) -> list[tuple[str, str | None, float | None, int | None, str | None]]:
    """(id, name, percent_off, amount_off, currency) of live coupons by id or name prefix."""
    columns = "id, name, percent_off, amount_off, currency"
    return _newest(conn, "coupons", columns, prefix, where="deleted = 0", named="name")


def promotion_codes(conn: Connection, prefix: str) -> list[tuple[str, str, str]]:
    """(id, code, coupon) of active promotion codes by id or code prefix, newest first."""
    return _newest(
        conn, "promotion_codes", "id, code, coupon", prefix, where="active = 1", named="code"
    )


def credit_notes(conn: Connection, prefix: str) -> list[tuple[str, str, str, int, str]]:
    """(id, number, status, total, currency) of credit notes, newest first."""
    return _newest(conn, "credit_notes", "id, number, status, total, currency", prefix)


def payment_methods(
    conn: Connection, prefix: str, customer: str | None
) -> list[tuple[str, str, str, str | None]]:
    """(id, brand, last4, customer) of usable payment methods (the customer's, when one is
    on the line), newest first."""
    where, args = (
        ("detached_at IS NULL AND customer = ?", [customer])
        if customer
        else ("detached_at IS NULL", [])
    )
    return _newest(
        conn, "payment_methods", "id, brand, last4, customer", prefix, where=where, args=args
    )


def money_objects(
    conn: Connection, table: str, prefix: str, statuses: Sequence[str] = ()
) -> list[tuple[str, str, int, str]]:
    """(id, status, amount, currency) of payment intents, charges or refunds, newest
    first (in `statuses`, when given)."""
    assert table in ("payment_intents", "charges", "refunds"), table
    where = f"status IN ({', '.join('?' * len(statuses))})" if statuses else ""
    return _newest(conn, table, "id, status, amount, currency", prefix, where=where, args=statuses)


def test_clocks(conn: Connection, prefix: str) -> list[tuple[str, str | None, str, int]]:
    """(id, name, status, frozen_time) of live test clocks, newest first."""
    return _newest(
        conn, "test_clocks", "id, name, status, frozen_time", prefix, where="deleted = 0"
    )


def tax_rates(
    conn: Connection, prefix: str, archived: bool
) -> list[tuple[str, str, float, int, str | None]]:
    """(id, display_name, percentage, inclusive, jurisdiction) of active tax rates (only
    those can be put on anything new; with `archived`, every rate), newest first."""
    columns = "id, display_name, percentage, inclusive, jurisdiction"
    return _newest(conn, "tax_rates", columns, prefix, where="" if archived else "active = 1")


# The tables whose candidates show a status and a customer.
WITH_STATUS = ("setup_intents", "checkout_sessions", "subscription_schedules")


def with_status(conn: Connection, table: str, prefix: str) -> list[tuple[str, str, str | None]]:
    """(id, status, customer) of setup intents, Checkout Sessions or subscription
    schedules, newest first."""
    assert table in WITH_STATUS, table
    return _newest(conn, table, "id, status, customer", prefix)


def meters(conn: Connection, prefix: str, by_name: bool) -> list[tuple[str, str, str, str]]:
    """(id, event name, display name, status) of meters by id prefix, or with `by_name`
    by event name prefix, newest first."""
    low, high = _prefix_range(prefix)
    column = "event_name" if by_name else "id"
    return conn.execute(
        f"SELECT id, event_name, display_name, status FROM meters WHERE {column} >= ? "
        f"AND {column} < ? ORDER BY created DESC, seq DESC LIMIT ?",
        [low, high, LIMIT],
    ).fetchall()


def lookup(path: Address, query: Callable[..., list[T]], *args: object) -> list[T]:
    """`query(conn, *args)` on the ledger at `path`; nothing on any problem at all."""
    try:
        with peek(path) as conn:
            return [] if conn is None else query(conn, *args)
    except Exception:
        return []
