"""A ledger written by an earlier schema is upgraded in place, its data kept."""

import sqlite3

from billcli.store.ledger import Ledger
from billcli.store.opening import _statements
from billcli.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION


def test_a_version_1_ledger_is_upgraded_with_its_customers_kept(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in _statements(MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO customers (id, created, invoice_prefix) VALUES ('cus_old', 1, 'OLD')")
    conn.close()
    with Ledger(path) as ledger, ledger.read() as tx:
        assert tx.customers.get("cus_old") is not None
        assert tx.invoices.count() == 0
    check = sqlite3.connect(path)
    assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == len(MIGRATIONS)
