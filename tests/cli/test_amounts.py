"""Amounts cannot be misread: one command never mixes minor and major units, a bare
integer below one major unit is confirmed by a person at a terminal, every amount
option's help states the rule, and refusals speak in the currency's format."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from billcli.cli import amounts
from billcli.cli.options import AMOUNT_RULE
from billcli.cli.signature_table import TABLE
from tests.conftest import ledger_digest


@pytest.fixture
def paid(ok, at_start, customer, invoice_of) -> str:
    """A $80.00 invoice paid by card."""
    invoice = invoice_of(customer(), ("8000", "Work"), send=False)
    return str(ok("invoices", "pay", invoice["id"])["id"])


def test_a_command_mixing_minor_and_major_units_is_refused_naming_both(
    billcli, paid: str, ledger_path: Path
) -> None:
    before = ledger_digest(ledger_path)
    done = billcli(
        "credit-notes", "create", "--invoice", paid, "--amount", "31.01",
        "--refund-amount", "100", "--credit-amount", "30.01", "--json",
    )  # fmt: skip
    assert done.code == 1 and done.json["error"]["param"] == "refund_amount"
    assert done.err == (
        "error: Invalid refund_amount: --refund-amount 100 is in minor units ($1.00 in usd) "
        "but --amount 31.01 is in major units ($31.01 in usd); write every amount of one "
        "command the same way (100.00, or 3101)\n"
    )
    assert ledger_digest(ledger_path) == before


def test_amounts_in_lines_and_tiers_count_as_amounts_of_the_command(billcli, at_start) -> None:
    tiers = billcli(
        "prices", "create", "--product", "p", "--currency", "eur", "--billing-scheme",
        "tiered", "--tiers-mode", "graduated", "--tier", "10:500", "--tier", "inf:4.50",
    )  # fmt: skip
    assert tiers.code == 1
    assert "--tier 500 is in minor units (€5.00) but --tier 4.50 is in major units" in tiers.err
    lines = billcli(
        "credit-notes", "create", "--invoice", "in_x", "--line", "il_a:x2",
        "--line", "il_b:250", "--credit-amount", "2.50",
    )  # fmt: skip
    assert lines.code == 1 and "--line 250 is in minor units" in lines.err


def test_amounts_all_in_one_form_go_through_and_refusals_speak_in_the_currency(
    ok, billcli, paid: str, checked_ledger
) -> None:
    done = billcli(
        "credit-notes", "create", "--invoice", paid, "--amount", "31.01",
        "--refund-amount", "1.00", "--credit-amount", "30.00", "--json",
    )  # fmt: skip
    assert done.code == 1
    assert done.json["error"]["message"] == (
        "Invalid credit_amount: credit ($30.00), refund ($1.00) and out of band ($0.00) add "
        "up to $31.00, not to the credit note's total ($31.01)"
    )
    note = ok(
        "credit-notes", "create", "--invoice", paid, "--amount", "3101",
        "--refund-amount", "100", "--credit-amount", "3001",
    )  # fmt: skip
    assert (note["total"], note["amount"], note["out_of_band_amount"]) == (3101, 3101, None)
    checked_ledger()


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch):
    """A person at a terminal, who answers `answer`."""

    def answering(answer: str) -> None:
        monkeypatch.setattr(amounts, "interactive", lambda: True)
        monkeypatch.setattr("sys.stdin", io.StringIO(answer + "\n"))

    return answering


def test_on_a_terminal_a_bare_integer_below_one_unit_is_said_back_before_writing(
    billcli, at_start, terminal, ledger_path: Path
) -> None:
    before = ledger_digest(ledger_path)
    terminal("n")
    done = billcli("coupons", "create", "--id", "five", "--amount-off", "5", "--currency", "usd")
    assert done.code == 1
    assert done.err.startswith(
        "--amount-off 5 means 5 minor units, $0.05 (5.00 would be $5.00). Write $0.05? [y/N] "
    )
    assert "error: Invalid amount_off: --amount-off 5 ($0.05) was not confirmed" in done.err
    assert ledger_digest(ledger_path) == before


def test_a_confirmed_bare_integer_is_written_as_minor_units(ok, billcli, at_start, terminal):
    terminal("y")
    done = billcli("coupons", "create", "--id", "five", "--amount-off", "5", "--currency", "usd")
    assert done.code == 0, done.err
    assert ok("coupons", "show", "five")["amount_off"] == 5


@pytest.mark.parametrize(
    "args",
    [
        ("coupons", "create", "--amount-off", "500", "--currency", "usd"),
        ("coupons", "create", "--amount-off", "5", "--currency", "jpy"),
        ("coupons", "create", "--amount-off", "0.05", "--currency", "usd"),
    ],
)
def test_amounts_that_read_only_one_way_are_not_questioned(billcli, at_start, terminal, args):
    terminal("n")
    done = billcli(*args)
    assert done.code == 0 and "[y/N]" not in done.err, done.err


def test_a_script_is_never_asked(ok, at_start) -> None:
    assert ok("coupons", "create", "--amount-off", "5", "--currency", "usd")["amount_off"] == 5


AMOUNT_OPTIONS = {"--amount", "--amount-off", "--balance", "--credit-amount", "--refund-amount",
                  "--out-of-band-amount", "--unit-amount", "--line", "--tier"}  # fmt: skip


def test_every_amount_option_states_the_rule_in_its_help(billcli) -> None:
    commands = json.loads(TABLE.read_text())
    seen = set()
    for name, entry in commands.items():
        if not name:
            continue  # what each group completes
        options = {o for p in entry["params"] for o in p["opts"]}
        for option in sorted(options & AMOUNT_OPTIONS):
            if name == "credit-notes update" or (option == "--line" and "credit" not in name):
                continue
            shown = billcli(*name.split(), "--help")
            text = " ".join(shown.out.split())
            assert AMOUNT_RULE in text, (name, option)
            seen.add(option)
    assert seen == AMOUNT_OPTIONS
