"""A ledger written by an earlier schema is upgraded in place, its data kept."""

import sqlite3
from contextlib import closing
from pathlib import Path

from billcli.services.ledger import account
from billcli.store.ledger import Ledger
from billcli.store.schema import (
    APPLICATION_ID,
    FINAL,
    MIGRATIONS,
    SCHEMA_VERSION,
    final_schema_sql,
)
from billcli.store.schema import split_statements as _statements


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


def _v9_ledger(path):
    """The ledger `ledger_v9.sql` holds, written by the schema of before payments."""
    conn = sqlite3.connect(path, isolation_level=None)
    for migration in MIGRATIONS[:9]:
        for statement in _statements(migration):
            conn.execute(statement)
    script = (Path(__file__).parent / "ledger_v9.sql").read_text()
    conn.executescript("BEGIN;\n" + script + "COMMIT;")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 9")
    conn.close()


def test_a_ledger_from_before_payments_keeps_its_cards_and_its_attempts_become_charges(
    tmp_path, ok, billcli
):
    path = tmp_path / "v9.db"
    _v9_ledger(path)
    on = ("--ledger", str(path))
    assert billcli("ledger", "check", *on).code == 0
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    people = {c["name"]: c for c in ok("customers", "list", *on)["data"]}
    card = people["Ada"]["invoice_settings"]["default_payment_method"]
    shown = ok("payment-methods", "show", card, *on)
    assert (shown["customer"], shown["card"]["brand"], shown["card"]["last4"]) == (
        people["Ada"]["id"],
        "visa",
        "4242",
    )
    invoices = {i["total"]: i for i in ok("invoices", "list", "--all", *on)["data"]}
    charges = ok("charges", "list", "--all", *on)["data"]
    assert len(charges) == 7  # eight attempts, one of which had no card to charge
    by_invoice: dict[str, list[str]] = {}
    for charge in reversed(charges):
        by_invoice.setdefault(charge["invoice"], []).append(charge["status"])
    assert by_invoice[invoices[1800]["id"]] == ["failed", "succeeded"]
    assert by_invoice[invoices[1200]["id"]] == ["failed"]
    paid_by_name = ok("charges", "show", invoices[1800]["charge"], *on)
    assert paid_by_name["payment_method_details"]["card"]["last4"] == "4242"
    assert ok("payment-methods", "show", paid_by_name["payment_method"], *on)["customer"] is None
    declined = ok("payment-intents", "show", invoices[1200]["payment_intent"], *on)
    assert declined["status"] == "requires_payment_method"
    assert declined["last_payment_error"]["decline_code"] == "generic_decline"
    voided = ok("payment-intents", "show", invoices[700]["payment_intent"], *on)
    assert (voided["status"], voided["cancellation_reason"]) == ("canceled", "void_invoice")
    refunded = ok("charges", "show", invoices[5000]["charge"], *on)
    (refund,) = refunded["refunds"]["data"]
    note = ok("credit-notes", "list", "--invoice", invoices[5000]["id"], *on)["data"][0]
    assert (refund["id"], refund["amount"], refunded["amount_refunded"]) == (
        note["refund"],
        1500,
        1500,
    )
    unattempted = ok("invoices", "pay", invoices[3000]["id"], *on)
    assert unattempted["status"] == "paid" and unattempted["charge"].startswith("ch_")
    report = ok("reports", "revenue", "--by", "month", "--from", "2027-03-01", *on)
    (march,) = [p for p in report["periods"] if p["collected"]]
    assert march["collected"] == 2500 + 1800 + 5000 - 1500 + 650 + 3000
    assert billcli("ledger", "check", *on).code == 0


def test_a_ledger_from_before_test_clocks_keeps_its_customers_on_the_ledger_clock(
    tmp_path, ok, billcli
):
    path = tmp_path / "v9.db"
    _v9_ledger(path)
    on = ("--ledger", str(path))
    upgraded = ok("customers", "list", *on)["data"]
    before = {c["id"] for c in upgraded}
    assert before and all(c["test_clock"] is None for c in upgraded)
    carried = sqlite3.connect(path).execute(
        "SELECT (SELECT count(*) FROM invoices WHERE test_clock IS NOT NULL)"
        " + (SELECT count(*) FROM subscriptions WHERE test_clock IS NOT NULL)"
    )
    assert carried.fetchone()[0] == 0
    assert ok("clocks", "list", *on)["data"] == []
    ledger_time = ok("ledger", "clock", *on)["now"]
    clock = ok("clocks", "create", "--frozen-time", "1577836800", *on)
    on_clock = ok("customers", "create", "--email", "late@example.com", "--clock", clock["id"], *on)
    assert on_clock["test_clock"] == clock["id"] and on_clock["created"] == 1577836800
    assert {c["id"] for c in ok("customers", "list", *on)["data"]} == before
    listed = ok("customers", "list", "--clock", clock["id"], *on)["data"]
    assert [c["id"] for c in listed] == [on_clock["id"]]
    assert ok("ledger", "clock", *on)["now"] == ledger_time
    assert billcli("ledger", "check", *on).code == 0


def _schema(conn: sqlite3.Connection) -> dict[str, object]:
    """Everything of a ledger's schema that queries and upgrades see."""
    return {
        "objects": sorted(
            conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema").fetchall()
        ),
        "stat1": sorted(conn.execute("SELECT * FROM sqlite_stat1").fetchall()),
        "sequence": sorted(conn.execute("SELECT * FROM sqlite_sequence").fetchall()),
        "meta": sorted(key for (key,) in conn.execute("SELECT key FROM meta")),
        "pragmas": [
            conn.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("user_version", "application_id")
        ],
    }


def test_a_new_ledger_made_at_once_is_the_one_every_migration_in_turn_makes(tmp_path):
    """A new ledger skips the replay of the migration list (its ALTER TABLEs cost some
    200 ms): it must come out exactly as the replay would make it."""
    replayed = sqlite3.connect(tmp_path / "replayed.db", isolation_level=None)
    replayed.execute("BEGIN")
    for migration in MIGRATIONS:
        for statement in _statements(migration):
            replayed.execute(statement)
    replayed.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    replayed.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    replayed.execute("COMMIT")
    Ledger(tmp_path / "new.db").close()
    made = sqlite3.connect(tmp_path / "new.db")
    assert _schema(made) == _schema(replayed)
    second = tmp_path / "second.db"
    Ledger(second).close()
    secrets = "SELECT value FROM meta WHERE key IN ('account.id', 'search.page_key')"
    drawn = sqlite3.connect(second).execute(secrets).fetchall()
    assert not set(drawn) & set(made.execute(secrets).fetchall()), "each ledger draws its own"


def test_the_final_schema_file_is_what_the_migration_list_makes_now() -> None:
    """`schema_final.sql` is generated: a new migration regenerates it
    (`python -m billcli.store.schema`)."""
    assert FINAL.read_text() == final_schema_sql()


def test_the_account_of_an_upgraded_ledger_was_created_at_its_ledger_clock(tmp_path):
    path = tmp_path / "v9.db"
    _v9_ledger(path)
    with closing(sqlite3.connect(path)) as conn:
        query = "SELECT value FROM meta WHERE key = 'clock.frozen_at'"
        frozen = conn.execute(query).fetchone()[0]
    with Ledger(path) as ledger:
        assert account.show(ledger)["created"] == int(frozen) == 1803898800
