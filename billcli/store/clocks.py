"""Test clocks, and which customers (and so which objects) live on each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from billcli.core.pagination import PageRequest
from billcli.store.dialect import Connection
from billcli.store.mapping import Mapper, Table
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records.clocks import TestClock

CLOCKS = Mapper["TestClock"]("billcli.core.records.clocks", "TestClock", "test_clocks")


def frozen_time(conn: Connection, clock_id: str) -> int | None:
    """A clock's now (None for an unknown clock), read without building its record:
    every transaction that touches one of its customers asks."""
    row = conn.execute("SELECT frozen_time FROM test_clocks WHERE id = ?", [clock_id]).fetchone()
    return None if row is None else int(row[0])


def move(conn: Connection, clock_id: str, at: int) -> None:
    """Freeze a clock at a later instant (an advance doing the work due there)."""
    conn.execute(
        "UPDATE test_clocks SET frozen_time = ? WHERE id = ? AND frozen_time < ?",
        [at, clock_id, at],
    )


def clock_of_customer(conn: Connection, customer_id: str) -> str | None:
    row = conn.execute("SELECT test_clock FROM customers WHERE id = ?", [customer_id]).fetchone()
    return None if row is None else row[0]


# The objects that carry their customer's clock (table, kind), and those dated on it
# (table, kind, the column naming their customer, the column naming them).
_CARRIED = (("invoices", "invoice"), ("invoice_items", "invoice item"),
            ("subscriptions", "subscription"),
            ("subscription_schedules", "subscription schedule"))  # fmt: skip
_DATED = (
    ("customers", "customer", "id", "id"),
    ("invoices", "invoice", "customer", "id"),
    ("invoice_items", "invoice item", "customer", "id"),
    ("subscriptions", "subscription", "customer", "id"),
    ("subscription_schedules", "subscription schedule", "customer", "id"),
    ("balance_transactions", "balance transaction", "customer", "id"),
    ("payment_intents", "payment intent", "customer", "id"),
    ("charges", "charge", "customer", "id"),
    ("credit_notes", "credit note", "customer", "id"),
    ("meter_events", "meter event", "customer", "identifier"),
)


class TestClocks(Table["TestClock"]):
    __test__ = False  # not a pytest class, whatever its name
    mapper = CLOCKS

    def page(self, request: PageRequest) -> tuple[list[TestClock], bool]:
        return fetch_page(
            self.conn, CLOCKS, kind="test_clock", where="deleted = 0", params=[], request=request
        )

    def renew(self, clock_id: str, owner: str, lease_until: float) -> bool:
        """Extend an advance's claim; False when the clock is no longer `owner`'s."""
        renewed = self.conn.execute(
            "UPDATE test_clocks SET lease_until = ? "
            "WHERE id = ? AND status = 'advancing' AND advanced_by = ?",
            [lease_until, clock_id, owner],
        )
        return renewed.rowcount == 1

    def expiring(self, until: int) -> list[str]:
        """The clocks whose `deletes_after` has come by `until` (the ledger clock's)."""
        rows = self.conn.execute(
            "SELECT id FROM test_clocks WHERE deleted = 0 AND deletes_after <= ? "
            "ORDER BY deletes_after, seq",
            [until],
        )
        return [row[0] for row in rows]

    def customers(self, clock_id: str) -> list[str]:
        """The ids of a clock's customers still alive, oldest first."""
        rows = self.conn.execute(
            "SELECT id FROM customers WHERE test_clock = ? AND deleted = 0 ORDER BY seq",
            [clock_id],
        )
        return [row[0] for row in rows]

    def live_customers(self) -> dict[str, int]:
        """How many live customers each clock has."""
        rows = self.conn.execute(
            "SELECT test_clock, count(*) FROM customers WHERE test_clock IS NOT NULL "
            "AND deleted = 0 GROUP BY test_clock"
        )
        return {clock: int(count) for clock, count in rows}

    def misplaced(self) -> list[tuple[str, str, str | None, str | None]]:
        """Objects whose clock column disagrees with their customer's clock."""
        found = []
        for table, kind in _CARRIED:
            found += [
                (kind, *row)
                for row in self.conn.execute(
                    f"SELECT t.id, t.test_clock, c.test_clock FROM {table} AS t "
                    "JOIN customers AS c ON c.id = t.customer "
                    "WHERE t.test_clock IS NOT c.test_clock"
                )
            ]
        return found

    def ahead(self) -> list[tuple[str, str, int, str, int]]:
        """Objects of clock customers made after their clock's frozen time."""
        found = []
        for table, kind, owner, name in _DATED:
            found += [
                (kind, *row)
                for row in self.conn.execute(
                    f"SELECT t.{name}, t.created, k.id, k.frozen_time FROM {table} AS t "
                    f"JOIN customers AS c ON c.id = t.{owner} "
                    "JOIN test_clocks AS k ON k.id = c.test_clock "
                    "WHERE t.created > k.frozen_time"
                )
            ]
        return found
