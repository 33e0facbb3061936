"""Test clocks, and which customers (and so which objects) live on each."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from billcli.core.pagination import PageRequest
from billcli.store.mapping import Mapper, Table
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records.clocks import TestClock

CLOCKS = Mapper["TestClock"]("billcli.core.records.clocks", "TestClock", "test_clocks")


def frozen_time(conn: sqlite3.Connection, clock_id: str) -> int | None:
    """A clock's now (None for an unknown clock), read without building its record:
    every transaction that touches one of its customers asks."""
    row = conn.execute("SELECT frozen_time FROM test_clocks WHERE id = ?", [clock_id]).fetchone()
    return None if row is None else int(row[0])


def move(conn: sqlite3.Connection, clock_id: str, at: int) -> None:
    """Freeze a clock at a later instant (an advance doing the work due there)."""
    conn.execute(
        "UPDATE test_clocks SET frozen_time = ? WHERE id = ? AND frozen_time < ?",
        [at, clock_id, at],
    )


def clock_of_customer(conn: sqlite3.Connection, customer_id: str) -> str | None:
    row = conn.execute("SELECT test_clock FROM customers WHERE id = ?", [customer_id]).fetchone()
    return None if row is None else row[0]


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

    def counts(self, clock_id: str) -> tuple[int, int]:
        """How many live customers, and subscriptions not ended, a clock holds."""
        customers = self.conn.execute(
            "SELECT count(*) FROM customers WHERE test_clock = ? AND deleted = 0", [clock_id]
        ).fetchone()[0]
        subscriptions = self.conn.execute(
            "SELECT count(*) FROM subscriptions WHERE test_clock = ? "
            "AND status NOT IN ('canceled', 'incomplete_expired')",
            [clock_id],
        ).fetchone()[0]
        return int(customers), int(subscriptions)
