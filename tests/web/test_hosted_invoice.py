"""The hosted invoice page, its Pay button, and the invoice PDF (page and CLI)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from tests.conftest import ledger_digest
from tests.pdf_text import glyph_lines, subset_glyph_names
from tests.web.conftest import BASE, csrf


@pytest.fixture
def invoice(ok: Callable[..., Any]) -> dict[str, Any]:
    """An open send_invoice invoice of two lines, for a customer whose card works."""
    customer = ok("customers", "create", "--name", "Grace", "--email", "grace@example.com",
                  "--payment-method", "pm_card_visa", "--invoice-prefix", "GRACE")  # fmt: skip
    ok("invoices", "items", "create", "--customer", customer["id"], "--unit-amount", "1250",
       "--quantity", "4", "--description", "Widgets")  # fmt: skip
    ok("invoices", "items", "create", "--customer", customer["id"], "--amount", "999",
       "--description", "Shipping & <handling>")  # fmt: skip
    draft = ok("invoices", "create", "--customer", customer["id"], "--pending-items", "include",
               "--collection-method", "send_invoice", "--days-until-due", "14")  # fmt: skip
    return ok("invoices", "finalize", draft["id"])  # type: ignore[no-any-return]


def page_path(invoice: dict[str, Any]) -> str:
    return invoice["hosted_invoice_url"].removeprefix(BASE)


def test_the_hosted_page_shows_lines_totals_status_and_a_pay_button(
    client: TestClient, invoice: dict[str, Any]
) -> None:
    html = client.get(page_path(invoice)).text
    assert "GRACE-0001" in html
    assert "Widgets" in html and "$12.50" in html and "$50.00" in html
    assert "Shipping &amp; &lt;handling&gt;" in html
    assert "$59.99" in html
    assert 'id="status">open<' in html
    assert "Pay $59.99" in html
    assert "Card on file: Visa •••• 4242" in html


def test_paying_with_the_card_on_file_marks_the_invoice_paid(
    client: TestClient, invoice: dict[str, Any], ok: Callable[..., Any], checked_ledger: Any
) -> None:
    html = client.get(page_path(invoice)).text
    paid = client.post(page_path(invoice) + "/pay", data={"csrf": csrf(html), "payment_method": ""})
    assert paid.status_code == 200
    assert "Thank you: this invoice is paid." in paid.text
    assert "Pay $" not in paid.text
    shown = ok("invoices", "show", invoice["id"])
    assert (shown["status"], shown["amount_paid"]) == ("paid", 5999)
    checked_ledger()


def test_a_declining_test_card_shows_the_card_error_and_records_the_attempt(
    client: TestClient, invoice: dict[str, Any], ok: Callable[..., Any], checked_ledger: Any
) -> None:
    html = client.get(page_path(invoice)).text
    response = client.post(
        page_path(invoice) + "/pay",
        data={"csrf": csrf(html), "payment_method": "pm_card_chargeDeclinedInsufficientFunds"},
    )
    assert response.status_code == 402
    assert "Your card has insufficient funds." in response.text
    shown = ok("invoices", "show", invoice["id"])
    assert (shown["status"], shown["attempt_count"]) == ("open", 1)
    checked_ledger()


def test_paying_without_the_csrf_token_changes_nothing(
    client: TestClient, invoice: dict[str, Any], ledger_path: Path
) -> None:
    before = ledger_digest(ledger_path)
    response = client.post(page_path(invoice) + "/pay", data={"payment_method": ""})
    assert response.status_code == 403
    assert ledger_digest(ledger_path) == before


def test_a_paid_invoice_has_no_pay_button_and_refuses_a_second_payment(
    client: TestClient, invoice: dict[str, Any], ok: Callable[..., Any], ledger_path: Path
) -> None:
    html = client.get(page_path(invoice)).text
    ok("invoices", "pay", invoice["id"])
    assert "Pay $" not in client.get(page_path(invoice)).text
    before = ledger_digest(ledger_path)
    again = client.post(page_path(invoice) + "/pay", data={"csrf": csrf(html)})
    assert again.status_code == 400
    assert ledger_digest(ledger_path) == before


def test_an_unknown_invoice_link_shows_nothing(client: TestClient) -> None:
    for path in ("/i/nope", "/i/nope/pdf"):
        response = client.get(path)
        assert response.status_code == 404
        assert "not valid" in response.text


def test_the_pdf_link_serves_the_invoice_as_a_pdf(
    client: TestClient, invoice: dict[str, Any]
) -> None:
    response = client.get(invoice["invoice_pdf"].removeprefix(BASE))
    assert response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "GRACE-0001" in text and "Widgets" in text and "$59.99" in text


def test_invoices_pdf_writes_a_pdf_with_number_lines_and_total(
    invoice: dict[str, Any], billcli: Callable[..., Any], tmp_path: Path
) -> None:
    target = tmp_path / "invoice.pdf"
    result = billcli("invoices", "pdf", invoice["id"], "-o", str(target))
    assert result.code == 0, result.err
    reader = PdfReader(target)
    assert reader.metadata is not None and reader.metadata.title == "Invoice GRACE-0001"
    text = reader.pages[0].extract_text()
    for expected in ("GRACE-0001", "Widgets", "Shipping & <handling>", "$50.00", "$9.99",
                     "Total", "$59.99", "open"):  # fmt: skip
        assert expected in text, expected


def test_invoices_pdf_of_an_unknown_invoice_is_not_found(
    billcli: Callable[..., Any], tmp_path: Path, made_ledger: Path
) -> None:
    result = billcli("invoices", "pdf", "in_missing", "-o", str(tmp_path / "x.pdf"))
    assert result.code == 6
    assert "No such invoice" in result.err
    assert not (tmp_path / "x.pdf").exists()


SCRIPTS = {
    "Chinese": "松本行弘",
    "Japanese": "株式会社テスト",
    "Korean": "한국어 이름",
    "Latin": "Ünïcödé façade",
    "Greek": "Ελληνικά",
    "Cyrillic": "Кириллица",
    "Arabic": "مرحبا بالعالم",
    "Hebrew": "שלום עולם",
    "symbols": "€ ¥ ₹",
}


@pytest.fixture
def no_system_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fontconfig that finds no font at all, as on a fresh machine or in a container."""
    from billcli.render import pdf_fonts

    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?><fontconfig><dir>/nonexistent</dir></fontconfig>')
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    monkeypatch.setenv("FONTCONFIG_PATH", str(tmp_path))
    pdf_fonts._system_font_with.cache_clear()
    assert pdf_fonts._system_font_with("松") is None


@pytest.fixture
def every_script(ok: Callable[..., Any], billcli: Callable[..., Any], tmp_path: Path) -> Path:
    """The PDF of an invoice to 株式会社テスト with a line in each script."""
    customer = ok("customers", "create", "--name", SCRIPTS["Japanese"],
                  "--email", "info@test.example.jp")["id"]  # fmt: skip
    for description in SCRIPTS.values():
        ok("invoices", "items", "create", "--customer", customer, "--amount", "1000",
           "--description", description)  # fmt: skip
    draft = ok("invoices", "create", "--customer", customer, "--pending-items", "include",
               "--description", "Merci, ありがとう, شكرا")["id"]  # fmt: skip
    ok("invoices", "finalize", draft)
    target = tmp_path / "invoice.pdf"
    done = billcli("invoices", "pdf", draft, "-o", str(target))
    assert done.code == 0 and "warning" not in done.err, done.err
    return target


def test_the_pdf_prints_every_script_with_no_system_font(no_system_fonts, every_script) -> None:
    text = "".join(page.extract_text() for page in PdfReader(every_script).pages)
    for script, written in SCRIPTS.items():
        assert written in text, script
    assert f"Bill to {SCRIPTS['Japanese']}" in text and "Merci, ありがとう" in text
    assert "\ufffd" not in text and "????" not in text


def test_right_to_left_scripts_run_right_to_left_and_arabic_letters_join(
    no_system_fonts, every_script
) -> None:
    drawn = glyph_lines(every_script)
    for script in ("Hebrew", "Arabic"):
        logical = SCRIPTS[script]
        assert any(logical[::-1] in line for line in drawn), (script, drawn)
        assert not any(logical in line for line in drawn), script
    # Arabic is drawn in its joined forms (initial, medial, final), which only shaping
    # picks: مرحبا starts with MEEM in its initial form, U+FEE3.
    glyphs = subset_glyph_names(every_script)
    assert {"uniFEE3", "uniFE8E"} <= glyphs, sorted(g for g in glyphs if g.startswith("uniFE"))


def test_fonts_are_subset_so_a_pdf_in_every_script_stays_small(every_script) -> None:
    """DejaVu Sans and Droid Sans Fallback weigh 4.9 MB; the PDF embeds only the glyphs
    it uses."""
    assert every_script.stat().st_size < 80_000


def test_a_character_no_font_has_prints_visibly_and_the_command_names_it(
    ok: Callable[..., Any], billcli: Callable[..., Any], tmp_path: Path
) -> None:
    customer = ok("customers", "create", "--name", "Scribe")["id"]
    ok("invoices", "items", "create", "--customer", customer, "--amount", "1000",
       "--description", "Papyrus \U00013000 roll")  # fmt: skip
    draft = ok("invoices", "create", "--customer", customer, "--pending-items", "include")["id"]
    ok("invoices", "finalize", draft)
    target = tmp_path / "invoice.pdf"
    done = billcli("invoices", "pdf", draft, "-o", str(target))
    assert done.code == 0
    assert "warning: no font here has \U00013000 (U+13000 EGYPTIAN HIEROGLYPH A001)" in done.err
    assert "Papyrus \ufffd roll" in PdfReader(target).pages[0].extract_text()
