"""Customers in the ledger."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from billcli.core.pagination import PageRequest
from billcli.core.tick import CHARGE, FINALIZE, SUBSCRIPTION
from billcli.store.dialect import Connection
from billcli.store.mapping import Mapper, Owned
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records import Customer

RECORDS = "billcli.core.records"
CUSTOMERS = Mapper["Customer"](RECORDS, "Customer", "customers")
# `hold`'s lists of ids are padded to a multiple of this: a few shapes of statement.
_SHAPE = 100


class Customers(Owned):
    owner = "id"

    def __init__(self, conn: Connection):
        self.conn = conn

    def get(self, customer_id: str) -> Customer | None:
        return CUSTOMERS.get(self.conn, customer_id)

    def get_many(self, ids: list[str]) -> dict[str, Customer]:
        """The customers among `ids` that exist, deleted ones included."""
        found: dict[str, Customer] = {}
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ", ".join("?" * len(batch))
            for row in self.conn.execute(f"{CUSTOMERS.select} WHERE id IN ({marks})", batch):
                customer = CUSTOMERS.record(row)
                found[customer.id] = customer
        return found

    def add(self, customer: Customer) -> None:
        CUSTOMERS.add_many(self.conn, [customer])
        self.claim([customer])

    def save(self, customer: Customer) -> None:
        CUSTOMERS.save(self.conn, customer)
        self.claim([customer])

    def hold(self, kind: str, subjects: list[str], at: int, *, limit: int | None) -> set[str]:
        """Those of `subjects` (of a kind of tick step) still due at `at`
        whose customers this transaction now holds, until it ends: a shared writer writes
        only for them, so a customer's invoice numbers and balance chain have one writer
        at a time. With a `limit`, at most that many, leaving out the customers another
        transaction holds; with none, all, waiting for those. Taken in the customers'
        order, so that waiters never deadlock, and each customer's in its due order (a
        limit that cuts a customer's leaves its later ones)."""
        # startup: the due conditions load only for a tick's shared step
        from billcli.store import invoices, subscriptions

        table, due = {
            SUBSCRIPTION: ("subscriptions", subscriptions.DUE),
            FINALIZE: ("invoices", invoices.TO_FINALIZE),
            CHARGE: ("invoices", invoices.TO_CHARGE),
        }[kind]
        wanted = subjects + subjects[-1:] * (-len(subjects) % _SHAPE)
        marks = ", ".join("?" * len(wanted))
        sql = (
            f"SELECT s.id FROM {table} AS s JOIN customers AS c ON c.id = s.customer "
            f"WHERE s.id IN ({marks}) AND {due} ORDER BY c.id, s.seq"
        )
        params: list[object] = [*wanted, at]
        if limit is not None:
            sql, params = sql + " LIMIT ?", [*params, limit]
        sql += self.conn.dialect.lock_rows("c", skip_locked=limit is not None)
        return {row[0] for row in self.conn.execute(sql, params)}

    def set_balances(self, balances: list[tuple[str, int, str | None]]) -> None:
        """Write (id, balance, currency) for many customers (the bulk import path)."""
        self.conn.executemany(
            "UPDATE customers SET balance = ?, currency = ? WHERE id = ?",
            [(balance, currency, customer_id) for customer_id, balance, currency in balances],
        )

    def prefix_owner(self, prefix: str) -> str | None:
        row = self.conn.execute(
            "SELECT id FROM customers WHERE invoice_prefix = ?", [prefix]
        ).fetchone()
        return row[0] if row else None

    def page(
        self, request: PageRequest, *, email: str | None = None, test_clock: str | None = None
    ) -> tuple[list[Customer], bool]:
        """One clock's customers (None: the ledger clock's)."""
        where, params = "deleted = 0 AND test_clock IS ?", [test_clock]
        if email is not None:
            # Exact, as Stripe's list filter is; the index (for search) ignores case.
            where = "email = ? COLLATE NOCASE AND email = ? AND deleted = 0 AND test_clock IS ?"
            params = [email, email, test_clock]
        return fetch_page(
            self.conn, CUSTOMERS, kind="customer", where=where, params=params, request=request
        )

    def all(self) -> Iterator[Customer]:
        """Every customer, deleted ones included, in creation order."""
        for row in self.conn.execute(f"{CUSTOMERS.select} ORDER BY seq"):
            yield CUSTOMERS.record(row)

    def count(self, *, include_deleted: bool = False) -> int:
        sql = "SELECT count(*) FROM customers" + ("" if include_deleted else " WHERE deleted = 0")
        return int(self.conn.execute(sql).fetchone()[0])
