"""One idempotency mechanism: replays write nothing, conflicts exit 5, keys expire."""

import sqlite3

from tests.conftest import ledger_digest


def freeze_ledger_at(path, instant):
    conn = sqlite3.connect(path)
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('clock.frozen_at', ?)", [str(instant)])
    conn.commit()
    conn.close()


def test_a_replay_prints_the_stored_customer_and_writes_nothing(billcli, ledger_path):
    first = billcli("customers", "create", "--name", "Ada", "--idempotency-key", "k", "--json")
    before = ledger_digest(ledger_path)
    again = billcli("customers", "create", "--name", "Ada", "--idempotency-key", "k", "--json")
    assert again.code == 0 and again.out == first.out
    assert ledger_digest(ledger_path) == before


def test_other_parameters_with_the_key_exit_5_and_write_nothing(billcli, ledger_path):
    billcli("customers", "create", "--name", "Ada", "--idempotency-key", "k")
    before = ledger_digest(ledger_path)
    result = billcli("customers", "create", "--name", "Bob", "--idempotency-key", "k", "--json")
    assert result.code == 5 and result.json["error"]["type"] == "idempotency_error"
    assert ledger_digest(ledger_path) == before


def test_keys_are_per_command(ok):
    cid = ok("customers", "create", "--idempotency-key", "same")["id"]
    txn = ok("balance", "create", cid, "--amount", "-5", "--idempotency-key", "same")
    assert txn["amount"] == -5


def test_failed_requests_are_not_stored_so_they_can_be_retried(billcli):
    bad = billcli("customers", "create", "--invoice-prefix", "x", "--idempotency-key", "r")
    assert bad.code == 1
    good = billcli("customers", "create", "--invoice-prefix", "GOOD", "--idempotency-key", "r")
    assert good.code == 0


def test_keys_expire_after_24_hours_of_ledger_time(ok, ledger_path):
    ok("ledger", "init")
    freeze_ledger_at(ledger_path, 1_900_000_000)
    first = ok("customers", "create", "--name", "A", "--idempotency-key", "day")
    freeze_ledger_at(ledger_path, 1_900_000_000 + 24 * 3600)
    assert ok("customers", "create", "--name", "A", "--idempotency-key", "day") == first
    freeze_ledger_at(ledger_path, 1_900_000_000 + 24 * 3600 + 1)
    fresh = ok("customers", "create", "--name", "A", "--idempotency-key", "day")
    assert fresh["id"] != first["id"]


def test_a_balance_replay_is_one_transaction_and_another_amount_exits_5(ok, billcli, ledger_path):
    cid = ok("customers", "create")["id"]
    first = billcli(
        "balance", "create", cid, "--amount", "-500", "--idempotency-key", "b", "--json"
    )
    again = billcli(
        "balance", "create", cid, "--amount", "-500", "--idempotency-key", "b", "--json"
    )
    assert first.code == again.code == 0 and first.out == again.out
    assert len(ok("balance", "list", cid)["data"]) == 1
    before = ledger_digest(ledger_path)
    other = billcli("balance", "create", cid, "--amount", "-600", "--idempotency-key", "b")
    assert other.code == 5
    assert ledger_digest(ledger_path) == before
