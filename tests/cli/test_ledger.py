"""`billcli ledger`: init, info, check, clock, config; refusals of unusable files."""

import sqlite3

from freezegun import freeze_time

from billcli.store.schema import SCHEMA_VERSION


def test_init_creates_the_named_ledger(ok, tmp_path):
    path = tmp_path / "books" / "new.db"
    info = ok("ledger", "init", str(path))
    assert info["path"] == str(path) and path.exists()
    assert info["schema_version"] == SCHEMA_VERSION


def test_info_counts_rows(ok):
    ok("customers", "create", "--balance", "-5", "--payment-method", "pm_card_visa")
    counts = ok("ledger", "info")["counts"]
    assert counts == {
        "customers": 1,
        "deleted_customers": 0,
        "balance_transactions": 1,
        "invoices": 0,
        "invoice_items": 0,
        "events": 2,  # customer.created and payment_method.attached
        "portal_configurations": 0,
        "portal_sessions": 0,
        "products": 0,
        "prices": 0,
        "subscriptions": 0,
        "payment_methods": 1,
        "payment_intents": 0,
        "charges": 0,
        "refunds": 0,
        "tax_rates": 0,
    }


def test_check_passes_then_names_each_tampered_row(ok, billcli, ledger_path):
    cid = ok("customers", "create", "--balance", "-500")["id"]
    ok("balance", "create", cid, "--amount", "200")
    assert ok("ledger", "check")["ok"] is True
    conn = sqlite3.connect(ledger_path)
    conn.execute("DROP TRIGGER balance_transactions_immutable")
    conn.execute("UPDATE balance_transactions SET amount = 999 WHERE type = 'adjustment'")
    conn.execute("UPDATE customers SET balance = 1")
    conn.commit()
    conn.close()
    result = billcli("ledger", "check", "--json")
    assert result.code == 1
    problems = result.json["problems"]
    assert any("ending_balance -300 should be 499" in p["message"] for p in problems)
    assert any(p["object"] == cid and "balance 1" in p["message"] for p in problems)
    table = billcli("ledger", "check")
    assert table.code == 1 and "violation" in table.out


def test_clock_follows_system_time_until_frozen(ok, billcli, ledger_path, made_ledger):
    with freeze_time("2026-06-01 00:00:00"):
        clock = ok("ledger", "clock")
        assert clock == {"object": "ledger_clock", "now": 1780272000, "frozen": False}
        conn = sqlite3.connect(ledger_path)
        conn.execute("INSERT INTO meta VALUES ('clock.frozen_at', '1790000000')")
        conn.commit()
        conn.close()
        assert ok("ledger", "clock")["now"] == 1790000000
        customer = ok("customers", "create")
        assert customer["created"] == 1790000000
        behind = billcli("ledger", "clock", "--system")
        assert behind.code == 1 and "never moves backwards" in behind.err
    with freeze_time("2026-12-01 00:00:00"):
        assert ok("ledger", "clock", "--system") == {
            "object": "ledger_clock",
            "now": 1796083200,
            "frozen": False,
        }


def test_config_lists_gets_and_sets(ok, made_ledger):
    settings = ok("ledger", "config")["settings"]
    assert settings == {
        "default_currency": "usd",
        "public_url": "http://127.0.0.1:4242",
        "dunning.final_action": "mark_uncollectible",
        "dunning.subscription_action": "cancel",
        "subscriptions.upcoming_days": "3",
        "account.display_name": "billcli",
        "account.country": "US",
        "account.email": "",
        "webhooks.timeout": "10",
        "webhooks.concurrency": "8",
    }
    ok("ledger", "config", "public_url", "https://billing.example.com/")
    assert ok("ledger", "config", "public_url")["settings"] == {
        "public_url": "https://billing.example.com"
    }
    ok("ledger", "config", "dunning.final_action", "leave_open")
    assert ok("ledger", "config")["settings"]["dunning.final_action"] == "leave_open"


def test_a_foreign_database_and_a_newer_ledger_are_refused_unchanged(billcli, tmp_path):
    foreign = tmp_path / "other.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    newer = tmp_path / "newer.db"
    assert billcli("ledger", "init", str(newer)).code == 0
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    for path, fragment in ((foreign, "not a billcli ledger"), (newer, "newer")):
        before = path.read_bytes()
        result = billcli("customers", "list", "--ledger", str(path))
        assert result.code == 3 and fragment in result.err, result.err
        assert path.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(path.name)) == [
            path.name
        ]
