"""Transactions: all or nothing, append-only balance rows, stable pagination."""

import gc
import sqlite3
import weakref

import pytest
from freezegun import freeze_time

from billcli.core.pagination import PageRequest
from billcli.errors import LedgerUnusable
from billcli.services.customers import customers
from billcli.services.customers.customers import CustomerInput
from billcli.store.ledger import COLLECT_EVERY, Ledger


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


def test_every_page_query_seeks_an_index_even_inside_one_second(tmp_path):
    """A bulk import writes a million rows in one second: pages must not rescan them."""
    from billcli.services.customers import balance

    with freeze_time("2026-03-01 12:00:00"), Ledger(tmp_path / "l.db") as ledger:
        cid = customers.create(ledger, CustomerInput(currency="usd"))["id"]
        rows = tmp_path / "rows.csv"
        rows.write_text("customer,amount\n" + f"{cid},-1\n" * 300)
        from billcli.services.customers import balance_import

        balance_import.import_file(ledger, rows)
        first = balance.list_transactions(ledger, cid, PageRequest(10))
        statements: list[str] = []
        ledger.conn.set_trace_callback(statements.append)
        balance.list_transactions(ledger, cid, PageRequest(10, starting_after=first.data[-1]["id"]))
        ledger.conn.set_trace_callback(None)
        pages = [s for s in statements if s.startswith("SELECT") and "ORDER BY" in s]
        plans = [
            " ".join(str(r[3]) for r in ledger.conn.execute("EXPLAIN QUERY PLAN " + s))
            for s in pages
        ]
        assert plans and all("USING INDEX" in p and "SCAN" not in p for p in plans), plans
        # The seek must pin the cursor's second and continue by seq, not rescan the second.
        assert any("created=? AND seq<?" in p for p in plans), plans


def test_a_bulk_job_pauses_the_garbage_collector_and_foreign_keys_only_while_it_runs(tmp_path):
    import gc

    with Ledger(tmp_path / "l.db") as ledger:
        assert gc.isenabled()
        with pytest.raises(RuntimeError), ledger.bulk(references_checked=True):
            assert not gc.isenabled()
            assert ledger.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 0
            raise RuntimeError("boom")
        assert gc.isenabled()
        assert ledger.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        gc.disable()
        try:
            with ledger.bulk():
                assert ledger.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert not gc.isenabled(), "a collector paused by the caller stays paused"
        finally:
            gc.enable()


def test_a_preview_runs_only_inside_a_write_transaction(tmp_path):
    """A preview writes what it shows and undoes it; in a read transaction the write
    would have to upgrade the lock, which fails at once if another process committed
    meanwhile. So `scratch` refuses to run there."""
    with Ledger(tmp_path / "l.db") as ledger:
        with ledger.read() as tx, pytest.raises(AssertionError, match="write"), tx.scratch():
            pass
        with ledger.write() as tx:
            with tx.scratch():
                tx.meta.set("default_currency", "eur")
            assert tx.meta.get("default_currency") is None


def test_a_read_overtaken_by_another_writer_says_so_rather_than_blaming_the_timeout(tmp_path):
    """A read transaction that then writes, after another process committed, is refused
    by SQLite at once (a stale snapshot, not a lock held past the busy timeout): the
    message says what happened and that nothing was written."""
    path = tmp_path / "l.db"
    with Ledger(path) as ledger, Ledger(path) as other:
        with pytest.raises(LedgerUnusable) as refused, ledger.read() as tx:
            tx.meta.get("default_currency")  # the snapshot begins
            with other.write() as theirs:
                theirs.meta.set("default_currency", "eur")
            tx.meta.set("default_currency", "usd")
        message = str(refused.value)
        assert "another process wrote to it while this command was reading it" in message
        assert "busy timeout" not in message
        with ledger.read() as tx:
            assert tx.meta.get("default_currency") == "eur"


class _Node:
    """An object that can sit in a reference cycle and be watched by a weak reference."""

    me: object = None


def test_a_bulk_job_of_many_transactions_frees_its_reference_cycles_every_few_commits(tmp_path):
    """The cyclic collector pauses during a bulk job; a job of many transactions (a
    tick) still has it run every COLLECT_EVERY commits, so its cycles do not pile up."""
    with Ledger(tmp_path / "ledger.db") as ledger, ledger.bulk():
        assert not gc.isenabled()
        watched = []
        for _ in range(COLLECT_EVERY):
            with ledger.write():
                node = _Node()
                node.me = node
                watched.append(weakref.ref(node))
                del node
        assert watched[0]() is None and watched[-1]() is None
    assert gc.isenabled()
