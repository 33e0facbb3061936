"""A PostgreSQL ledger made by an earlier billcli, upgraded when this one opens it: what
a migration did by making a SQLite table again (a column made nullable, a CHECK added
or dropped) reaches PostgreSQL too, not only the columns and indexes it added."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from billcli.services.checkout import completion
from billcli.store import pg_schema
from billcli.store.ledger import Ledger
from billcli.store.schema import APPLICATION_ID

pytestmark = pytest.mark.postgresql_only

BEFORE_GUEST_DISCOUNTS = 22  # migration 23 made `discounts.customer` nullable


def _ledger_at(url: str, version: int) -> None:
    """A ledger as billcli of schema `version` made it on PostgreSQL."""
    schema = pg_schema.sqlite_schema(version)
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in pg_schema.before_rows(schema):
            conn.execute(statement)  # type: ignore[arg-type]
        for table, rows in schema.rows.items():
            marks = ", ".join(["%s"] * len(rows[0]))
            conn.cursor().executemany(f"INSERT INTO {table} VALUES ({marks})", rows)  # type: ignore[arg-type]
        for statement in pg_schema.after_rows(schema):
            conn.execute(statement)  # type: ignore[arg-type]
        conn.execute("CREATE TABLE billcli_schema (application_id BIGINT NOT NULL, version BIGINT)")
        conn.execute("INSERT INTO billcli_schema VALUES (%s, %s)", [APPLICATION_ID, version])


def _nullable(url: str, table: str, column: str) -> bool:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT is_nullable FROM information_schema.columns WHERE table_name = %s "
            "AND column_name = %s",
            [table, column],
        ).fetchone()
    assert row is not None
    return bool(row[0] == "YES")


def test_a_ledger_upgraded_from_version_22_records_a_guests_payment_session_discount(
    pg_server, monkeypatch, billcli, ok: Callable[..., Any]
) -> None:
    url = pg_server.fresh(ledger=False)
    _ledger_at(url, BEFORE_GUEST_DISCOUNTS)
    assert not _nullable(url, "discounts", "customer")
    monkeypatch.setenv("BILLCLI_LEDGER", url)

    ok("products", "create", "--name", "Manual", "--id", "manual")
    price = ok("prices", "create", "--product", "manual", "--currency", "usd",
               "--unit-amount", "1500")["id"]  # fmt: skip
    ok("coupons", "create", "--id", "FIVE", "--amount-off", "500", "--currency", "usd")
    made = ok("checkout", "sessions", "create", "--mode", "payment", "--price", price,
              "--coupon", "FIVE", "--success-url", "https://shop.example/done")  # fmt: skip
    assert _nullable(url, "discounts", "customer")
    with Ledger(url) as ledger:
        secret = made["url"].rsplit("/c/", 1)[1]
        assert completion.pay(ledger, secret, "pm_card_visa", "guest@example.com").completed
        with ledger.read() as tx:
            [discount] = [d for d in tx.discounts.all() if d.checkout_session == made["id"]]
    assert discount.customer is None and discount.coupon == "FIVE"
    assert ok("coupons", "show", "FIVE")["times_redeemed"] == 1
    assert ok("payment-intents", "show", ok("checkout", "sessions", "show", made["id"])
              ["payment_intent"])["amount"] == 1500 - 500  # fmt: skip
    # The CHECK migration 23 added holds on PostgreSQL as on SQLite.
    with psycopg.connect(url) as conn, pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("UPDATE discounts SET checkout_session = NULL WHERE id = %s", [discount.id])
    assert billcli("ledger", "check").code == 0


def test_the_upgrade_follows_a_tables_nullability_and_checks_from_the_new_schema() -> None:
    old, new = pg_schema.sqlite_schema(BEFORE_GUEST_DISCOUNTS), pg_schema.sqlite_schema()
    steps = pg_schema.upgrade(old, new)
    assert 'ALTER TABLE discounts ALTER COLUMN "customer" DROP NOT NULL' in steps
    assert (
        "ALTER TABLE discounts ADD CHECK (customer IS NOT NULL OR checkout_session IS NOT NULL)"
        in steps
    )
    unchanged = [s for s in pg_schema.upgrade(new, new) if s.startswith(("ALTER TABLE", "DO "))]
    assert unchanged == []  # a ledger already at the new schema keeps its tables as they are
