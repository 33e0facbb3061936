"""`ledger check` verifies every invoice's and credit note's tax: a line's tax against
what its rates make of it, an invoice's and a credit note's per rate against their
lines', a total against its exclusive tax, credit notes against what was charged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import raw_connection


def _tamper(path: Path, *statements: str) -> None:
    conn = raw_connection(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


@pytest.fixture
def taxed(ok, customer, rate, draft_with) -> dict[str, Any]:
    vat = rate("20")
    invoice = ok("invoices", "finalize", draft_with(customer(), ("1000", [vat]))["id"])
    line = ok("invoices", "lines", invoice["id"])["data"][0]["id"]
    note = ok("credit-notes", "create", "--invoice", invoice["id"], "--line", f"{line}:500")
    return {"invoice": invoice["id"], "line": line, "note": note["id"], "vat": vat}


def _problems(billcli, owner: str) -> list[str]:
    done = billcli("ledger", "check", "--json")
    assert done.code == 1, done.out
    return [p["message"] for p in done.json["problems"] if p["object"] == owner]


def test_a_lines_tax_edited_is_named_with_its_invoices_sums(billcli, ledger_path, taxed):
    _tamper(ledger_path, "UPDATE invoice_items SET tax_amounts = replace(tax_amounts, "
            "'\"amount\":200', '\"amount\":150')")  # fmt: skip
    found = _problems(billcli, taxed["invoice"])
    assert f"line {taxed['line']}'s tax is not what its tax rates make of it" in found
    assert "its tax per rate differs from the sum of its lines' tax" in found


def test_an_invoice_total_without_its_tax_is_named(billcli, ledger_path, taxed):
    _tamper(
        ledger_path,
        f"UPDATE invoices SET total = 1000, amount_due = 1000 WHERE id = '{taxed['invoice']}'",
    )
    found = _problems(billcli, taxed["invoice"])
    assert any("plus its exclusive tax (200)" in m for m in found), found


def test_a_credit_note_taking_back_more_tax_than_charged_is_named(billcli, ledger_path, taxed):
    _tamper(
        ledger_path,
        "UPDATE credit_note_lines SET tax_amounts = replace(tax_amounts, '\"amount\":100', "
        "'\"amount\":300')",
        "UPDATE credit_notes SET tax_amounts = replace(tax_amounts, '\"amount\":100', "
        "'\"amount\":300'), total = 800",
    )
    assert any("take back 300 of" in m for m in _problems(billcli, taxed["invoice"]))


def test_a_credit_notes_tax_unlike_its_lines_is_named(billcli, ledger_path, taxed):
    _tamper(
        ledger_path,
        "UPDATE credit_notes SET tax_amounts = replace(tax_amounts, '\"amount\":100', "
        "'\"amount\":90'), total = 590",
    )
    found = _problems(billcli, taxed["note"])
    assert "its tax per rate differs from the sum of its lines' tax" in found
