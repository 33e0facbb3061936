"""The contract's exit-code table, each status pinned by a real situation."""

import sqlite3

import pytest

from billcli.errors import ExitCode
from billcli.services.customers import customers as customer_service

CUS = "cus_" + "0" * 24


def test_the_exit_code_enum_is_the_contracts_table():
    assert {c.name: int(c) for c in ExitCode} == {
        "OK": 0,
        "INVALID_REQUEST": 1,
        "USAGE": 2,
        "LEDGER_UNUSABLE": 3,
        "CARD_DECLINED": 4,
        "IDEMPOTENCY": 5,
        "NOT_FOUND": 6,
        "INTERNAL": 70,
        "INTERRUPTED": 130,
    }


def test_0_success(billcli, made_ledger):
    assert billcli("customers", "list").code == 0


def test_1_invalid_request(billcli, made_ledger):
    assert billcli("customers", "list", "--limit", "0").code == 1


def test_2_usage_error_from_typer(billcli):
    result = billcli("customers", "show")
    assert result.code == 2 and "Missing argument" in result.err


def test_3_ledger_unusable(billcli, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello\n" * 30)
    result = billcli("customers", "list", "--ledger", str(text), "--json")
    assert result.code == 3
    assert result.err.count("\n") == 1 and "not a SQLite database" in result.err
    assert result.json["error"]["type"] == "api_error"
    assert text.read_text() == "hello\n" * 30


def test_3_ledger_locked_past_the_busy_timeout(billcli, ledger_path, monkeypatch):
    assert billcli("ledger", "init").code == 0
    monkeypatch.setattr("billcli.store.opening.BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(ledger_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = billcli("customers", "create", "--name", "x")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.code == 3 and "locked" in result.err


def test_4_card_declined(billcli):
    result = billcli("customers", "create", "--payment-method", "pm_card_visa_chargeDeclined")
    assert result.code == 4 and "declined" in result.err


def test_5_idempotency_conflict(billcli):
    assert billcli("customers", "create", "--name", "a", "--idempotency-key", "k1").code == 0
    result = billcli("customers", "create", "--name", "b", "--idempotency-key", "k1")
    assert result.code == 5 and "same parameters" in result.err


def test_6_not_found(billcli, made_ledger):
    assert billcli("customers", "show", CUS).code == 6


def test_70_internal_error_is_one_line_with_a_debug_hint(billcli, monkeypatch, made_ledger):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(customer_service, "list_customers", broken)
    result = billcli("customers", "list")
    assert result.code == 70
    assert result.err.strip().count("\n") == 0
    assert "BILLCLI_DEBUG=1" in result.err and "Traceback" not in result.err


def test_70_with_billcli_debug_shows_the_traceback(billcli, monkeypatch, made_ledger):
    monkeypatch.setattr(
        customer_service,
        "list_customers",
        lambda *a, **k: (_ for _ in ()).throw(ZeroDivisionError("bug")),
    )
    monkeypatch.setenv("BILLCLI_DEBUG", "1")
    result = billcli("customers", "list")
    assert result.code == 70 and "Traceback" in result.err


def test_130_interrupted(billcli, monkeypatch, made_ledger):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(customer_service, "list_customers", interrupted)
    assert billcli("customers", "list").code == 130


@pytest.mark.parametrize("args", [(), ("customers",), ("--help",)])
def test_help_screens_exit_0_or_usage(billcli, args):
    assert billcli(*args).code in (0, 2)
