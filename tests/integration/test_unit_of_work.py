"""Transactions: all or nothing, append-only balance rows, stable pagination."""

import sqlite3

import pytest
from freezegun import freeze_time

from billcli.core.pagination import PageRequest
from billcli.services import customers
from billcli.services.customers import CustomerInput
from billcli.store.ledger import Ledger


def test_an_exception_rolls_back_every_write_of_the_transaction(tmp_path):
    with Ledger(tmp_path / "l.db") as ledger:
        with pytest.raises(RuntimeError), ledger.write() as tx:
            tx.meta.set("default_currency", "eur")
            raise RuntimeError("boom")
        with ledger.read() as tx:
            assert tx.meta.get("default_currency") is None


def test_balance_transactions_refuse_edits_and_deletes_at_the_database(tmp_path):
    path = tmp_path / "l.db"
    with Ledger(path) as ledger:
        customers.create(ledger, CustomerInput(balance="-500"))
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="immutable"):
        conn.execute("UPDATE balance_transactions SET amount = 1")
    with pytest.raises(sqlite3.IntegrityError, match="cannot be deleted"):
        conn.execute("DELETE FROM balance_transactions")
    conn.execute("UPDATE balance_transactions SET description = 'fine'")


def test_objects_created_in_the_same_second_page_in_a_stable_order(tmp_path):
    with freeze_time("2026-03-01 12:00:00"), Ledger(tmp_path / "l.db") as ledger:
        made = [customers.create(ledger, CustomerInput(name=str(i)))["id"] for i in range(7)]
        newest_first = made[::-1]
        forward, cursor = [], None
        while True:
            page = customers.list_customers(ledger, PageRequest(3, starting_after=cursor))
            forward += [c["id"] for c in page.data]
            if not page.has_more:
                break
            cursor = page.data[-1]["id"]
        assert forward == newest_first
        back = customers.list_customers(ledger, PageRequest(3, ending_before=made[0]))
        assert [c["id"] for c in back.data] == newest_first[3:6]
        assert back.has_more
