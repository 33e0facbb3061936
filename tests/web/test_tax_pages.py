"""Where people see tax: the invoice in the terminal, its hosted page and PDF, a credit
note's PDF and the portal show the tax of each rate by its name ("VAT 20%
(inclusive)") and what the invoice comes to without it."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from tests.web.conftest import BASE
from tests.web.test_portal_pages import open_portal, session_path


@pytest.fixture
def taxed(ok: Callable[..., Any]) -> dict[str, Any]:
    """An open invoice of 12.00 with VAT 20% inside and 10.00 with 8.5% sales tax added."""
    ok("portal", "configurations", "create", "--headline", "Acme billing")
    ada = ok("customers", "create", "--name", "Ada", "--email", "ada@example.com",
             "--invoice-prefix", "ADA")["id"]  # fmt: skip
    vat = ok("tax-rates", "create", "--display-name", "VAT", "--percentage", "20",
             "--inclusive")["id"]  # fmt: skip
    sales = ok("tax-rates", "create", "--display-name", "Sales tax", "--percentage", "8.5")["id"]
    for amount, own, what in (("1200", vat, "Books"), ("1000", sales, "Lamps")):
        ok("invoices", "items", "create", "--customer", ada, "--amount", amount,
           "--tax-rate", own, "--description", what)  # fmt: skip
    draft = ok("invoices", "create", "--customer", ada, "--pending-items", "include",
               "--collection-method", "send_invoice", "--days-until-due", "30")  # fmt: skip
    invoice = ok("invoices", "finalize", draft["id"])
    return {"ada": ada, "invoice": invoice}


ROWS = ("VAT 20% (inclusive)", "$2.00", "Sales tax 8.5%", "$0.85", "Total excluding tax",
        "$20.00", "$22.85")  # fmt: skip


def test_the_terminal_shows_each_rates_tax_under_its_name(billcli, taxed) -> None:
    shown = billcli("invoices", "show", taxed["invoice"]["id"]).out
    for expected in ROWS:
        assert expected in shown, expected
    assert taxed["invoice"]["total"] == 2285 and taxed["invoice"]["tax"] == 285


def test_the_hosted_page_and_the_pdf_show_each_rates_tax(
    client: TestClient, billcli, taxed, tmp_path: Path
) -> None:
    invoice = taxed["invoice"]
    html = client.get(invoice["hosted_invoice_url"].removeprefix(BASE)).text
    for expected in ROWS:
        assert expected in html, expected
    served = client.get(invoice["invoice_pdf"].removeprefix(BASE))
    text = PdfReader(io.BytesIO(served.content)).pages[0].extract_text()
    for expected in ROWS:
        assert expected in text, expected
    target = tmp_path / "invoice.pdf"
    assert billcli("invoices", "pdf", invoice["id"], "-o", str(target)).code == 0
    assert "VAT 20% (inclusive)" in PdfReader(target).pages[0].extract_text()


def test_a_credit_notes_pdf_shows_the_tax_it_takes_back(
    client: TestClient, ok, taxed, checked_ledger
) -> None:
    invoice = taxed["invoice"]
    line = ok("invoices", "lines", invoice["id"])["data"][0]["id"]
    note = ok("credit-notes", "create", "--invoice", invoice["id"], "--line", f"{line}:1200")
    served = client.get(note["pdf"].removeprefix(BASE))
    text = PdfReader(io.BytesIO(served.content)).pages[0].extract_text()
    assert "VAT 20% (inclusive)" in text and "$2.00" in text and "$12.00" in text
    checked_ledger()


def test_the_portal_shows_the_tax_in_each_invoice(client: TestClient, ok, taxed) -> None:
    html = open_portal(client, session_path(ok, taxed["ada"]))
    assert "of which tax" in html
    assert "$22.85" in html and "$2.85" in html
