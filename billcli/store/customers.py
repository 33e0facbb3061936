"""Customers and their payment methods in the ledger."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

from billcli.core.pagination import PageRequest
from billcli.core.records import Customer, PaymentMethod
from billcli.store.codec import compact
from billcli.store.pages import fetch_page

_FIELDS = (
    "id",
    "created",
    "name",
    "email",
    "description",
    "phone",
    "currency",
    "balance",
    "invoice_prefix",
    "next_invoice_sequence",
    "default_payment_method",
    "metadata",
    "deleted",
)


def _customer(row: sqlite3.Row) -> Customer:
    return Customer(
        id=row["id"],
        created=row["created"],
        name=row["name"],
        email=row["email"],
        description=row["description"],
        phone=row["phone"],
        currency=row["currency"],
        balance=row["balance"],
        invoice_prefix=row["invoice_prefix"],
        next_invoice_sequence=row["next_invoice_sequence"],
        default_payment_method=row["default_payment_method"],
        metadata=json.loads(row["metadata"]),
        deleted=bool(row["deleted"]),
    )


def _values(c: Customer) -> list[object]:
    return [
        c.id,
        c.created,
        c.name,
        c.email,
        c.description,
        c.phone,
        c.currency,
        c.balance,
        c.invoice_prefix,
        c.next_invoice_sequence,
        c.default_payment_method,
        compact(c.metadata),
        int(c.deleted),
    ]


class Customers:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def get(self, customer_id: str) -> Customer | None:
        row = self.conn.execute("SELECT * FROM customers WHERE id = ?", [customer_id]).fetchone()
        return _customer(row) if row else None

    def get_many(self, ids: list[str]) -> dict[str, Customer]:
        """The customers among `ids` that exist, deleted ones included."""
        found: dict[str, Customer] = {}
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            marks = ", ".join("?" * len(batch))
            for row in self.conn.execute(f"SELECT * FROM customers WHERE id IN ({marks})", batch):
                found[row["id"]] = _customer(row)
        return found

    def add(self, customer: Customer) -> None:
        marks = ", ".join("?" * len(_FIELDS))
        self.conn.execute(
            f"INSERT INTO customers ({', '.join(_FIELDS)}) VALUES ({marks})", _values(customer)
        )

    def save(self, customer: Customer) -> None:
        """Write every field of an existing customer."""
        sets = ", ".join(f"{name} = ?" for name in _FIELDS[1:])
        values = _values(customer)
        self.conn.execute(f"UPDATE customers SET {sets} WHERE id = ?", [*values[1:], values[0]])

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
        self, request: PageRequest, *, email: str | None = None
    ) -> tuple[list[Customer], bool]:
        where, params = "deleted = 0", []
        if email is not None:
            where, params = "email = ? AND deleted = 0", [email]
        rows, has_more = fetch_page(
            self.conn,
            table="customers",
            kind="customer",
            where=where,
            params=params,
            request=request,
        )
        return [_customer(r) for r in rows], has_more

    def all(self) -> Iterator[Customer]:
        """Every customer, deleted ones included, in creation order."""
        for row in self.conn.execute("SELECT * FROM customers ORDER BY seq"):
            yield _customer(row)

    def count(self, *, include_deleted: bool = False) -> int:
        sql = "SELECT count(*) FROM customers" + ("" if include_deleted else " WHERE deleted = 0")
        return int(self.conn.execute(sql).fetchone()[0])


class PaymentMethods:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def add(self, pm: PaymentMethod) -> None:
        self.conn.execute(
            "INSERT INTO payment_methods (id, customer, created, test_name, brand, last4) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [pm.id, pm.customer, pm.created, pm.test_name, pm.brand, pm.last4],
        )

    def get(self, pm_id: str) -> PaymentMethod | None:
        row = self.conn.execute(
            "SELECT id, customer, created, test_name, brand, last4 FROM payment_methods "
            "WHERE id = ?",
            [pm_id],
        ).fetchone()
        return PaymentMethod(*row) if row else None
