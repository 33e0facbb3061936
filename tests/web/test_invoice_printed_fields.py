"""What a customer's postal and invoicing details put on their invoices: the address,
the shipping details, custom fields and footer that Stripe prints on the hosted page
and the PDF, inherited by each new invoice and frozen once it is finalized."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from tests.conftest import ledger_digest
from tests.web.conftest import BASE

ADDRESS = ("line1=1 Analytical Way", "city=London", "postal_code=N1 9GU", "country=gb")
SHIPPING = ("name=Ada at the lab", "phone=+44 20 7946 0000", "line1=2 Engine Yard",
            "city=Leeds", "country=GB")  # fmt: skip


@pytest.fixture
def ada(ok: Callable[..., Any], assert_valid: Callable[..., None]) -> dict[str, Any]:
    """A customer with an address, shipping details, locales and invoice settings."""
    args = ["customers", "create", "--name", "Ada", "--email", "ada@example.com",
            "--payment-method", "pm_card_visa", "--preferred-locale", "en-GB",
            "--preferred-locale", "fr", "--invoice-footer", "Thank you for your custom.",
            "--invoice-custom-field", "PO=4711", "--invoice-custom-field", "VAT=GB123"]  # fmt: skip
    for pair in ADDRESS:
        args += ["--address", pair]
    for pair in SHIPPING:
        args += ["--shipping", pair]
    created = ok(*args)
    assert_valid(created)
    return created  # type: ignore[no-any-return]


def finalized(ok: Callable[..., Any], customer: str, *extra: str) -> dict[str, Any]:
    ok("invoices", "items", "create", "--customer", customer, "--amount", "4200",
       "--description", "Difference engine")  # fmt: skip
    draft = ok("invoices", "create", "--customer", customer, "--pending-items", "include",
               "--collection-method", "send_invoice", "--days-until-due", "30", *extra)  # fmt: skip
    return ok("invoices", "finalize", draft["id"])  # type: ignore[no-any-return]


def test_a_customer_keeps_the_address_shipping_locales_and_invoice_settings_given(
    ada: dict[str, Any], ok: Callable[..., Any], billcli: Callable[..., Any], checked_ledger: Any
) -> None:
    assert ada["address"] == {"line1": "1 Analytical Way", "line2": None, "city": "London",
                              "state": None, "postal_code": "N1 9GU", "country": "GB"}  # fmt: skip
    assert ada["shipping"]["name"] == "Ada at the lab"
    assert ada["shipping"]["address"]["city"] == "Leeds"
    assert ada["preferred_locales"] == ["en-GB", "fr"]
    assert ada["invoice_settings"]["custom_fields"] == [
        {"name": "PO", "value": "4711"},
        {"name": "VAT", "value": "GB123"},
    ]
    assert ada["invoice_settings"]["footer"] == "Thank you for your custom."
    assert ok("customers", "show", ada["id"]) == ada
    shown = billcli("customers", "show", ada["id"]).out
    for words in ("1 Analytical Way · London N1 9GU · GB", "Ada at the lab", "en-GB, fr",
                  "Invoice field PO", "4711", "Thank you for your custom."):  # fmt: skip
        assert words in shown, words
    cleared = ok("customers", "update", ada["id"], "--address", "", "--shipping", "",
                 "--preferred-locale", "", "--invoice-custom-field", "")  # fmt: skip
    assert (cleared["address"], cleared["shipping"], cleared["preferred_locales"]) == (
        None,
        None,
        [],
    )
    assert cleared["invoice_settings"]["custom_fields"] is None
    assert cleared["invoice_settings"]["footer"] == "Thank you for your custom."
    checked_ledger()


def test_an_invoice_inherits_the_customers_custom_fields_and_footer_and_may_override_them(
    ada: dict[str, Any], ok: Callable[..., Any], assert_valid: Callable[..., None]
) -> None:
    inherited = finalized(ok, ada["id"])
    assert inherited["custom_fields"] == ada["invoice_settings"]["custom_fields"]
    assert inherited["footer"] == "Thank you for your custom."
    assert inherited["customer_address"] == ada["address"]
    assert inherited["customer_shipping"] == ada["shipping"]
    assert_valid(inherited)
    own = finalized(ok, ada["id"], "--footer", "Net 30.", "--custom-field", "Job=Lamps")
    assert own["custom_fields"] == [{"name": "Job", "value": "Lamps"}]
    assert own["footer"] == "Net 30."
    # What an open invoice printed stays: later changes of the customer do not reach it.
    ok("customers", "update", ada["id"], "--invoice-footer", "New footer", "--address", "")
    again = ok("invoices", "show", inherited["id"])
    assert (again["footer"], again["customer_address"]) == (
        "Thank you for your custom.",
        ada["address"],
    )


def test_the_hosted_page_and_the_pdf_print_address_shipping_custom_fields_and_footer(
    client: TestClient, ada: dict[str, Any], ok: Callable[..., Any]
) -> None:
    invoice = finalized(ok, ada["id"])
    html = client.get(invoice["hosted_invoice_url"].removeprefix(BASE)).text
    assert "Ada ada@example.com<br>1 Analytical Way<br>London N1 9GU<br>GB" in html
    assert "Ada at the lab +44 20 7946 0000<br>2 Engine Yard<br>Leeds<br>GB" in html
    assert '<dt class="custom-field">PO</dt><dd>4711</dd>' in html
    assert "<p>Thank you for your custom.</p>" in html
    pdf = client.get(invoice["invoice_pdf"].removeprefix(BASE))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    for words in ("1 Analytical Way", "London N1 9GU", "Ship to", "2 Engine Yard", "PO",
                  "4711", "VAT", "GB123", "Thank you for your custom."):  # fmt: skip
        assert words in text, words


def test_reverse_charge_customers_invoices_say_so_and_others_print_no_footer(
    client: TestClient, ok: Callable[..., Any]
) -> None:
    reverse = ok("customers", "create", "--name", "Rev", "--email", "r@example.com",
                 "--tax-exempt", "reverse")  # fmt: skip
    assert reverse["tax_exempt"] == "reverse"
    plain = ok("customers", "create", "--name", "Plain", "--email", "p@example.com")
    printed = finalized(ok, reverse["id"])
    assert printed["customer_tax_exempt"] == "reverse"
    assert (
        "<p>Reverse charge</p>" in client.get(printed["hosted_invoice_url"].removeprefix(BASE)).text
    )
    bare = finalized(ok, plain["id"])
    html = client.get(bare["hosted_invoice_url"].removeprefix(BASE)).text
    assert 'id="invoice-footer"' not in html and 'id="ship-to"' not in html


def test_the_effective_date_is_the_date_of_issue_printed(
    client: TestClient, ada: dict[str, Any], ok: Callable[..., Any]
) -> None:
    invoice = finalized(ok, ada["id"], "--effective-at", "2026-03-01T00:00:00Z")
    assert invoice["effective_at"] == 1772323200
    html = client.get(invoice["hosted_invoice_url"].removeprefix(BASE)).text
    assert "<dt>Issued</dt><dd>2026-03-01</dd>" in html


@pytest.mark.parametrize(
    ("args", "param", "fragment"),
    [
        (("--address", "country=Britain"), "address[country]", "two-letter country code"),
        (("--address", "planet=Mars"), "address[planet]", "unknown parameter"),
        (("--shipping", "line1=1 Road"), "shipping[name]", "Missing required param"),
        (("--tax-exempt", "sometimes"), "tax_exempt", "must be one of"),
        (("--preferred-locale", "x" * 40), "preferred_locales", "preferred_locales"),
        (("--invoice-footer", "f" * 5001), "invoice_settings[footer]", "at most 5000"),
        (
            ("--invoice-custom-field", "N=" + "v" * 31),
            "invoice_settings[custom_fields]",
            "at most 30",
        ),
        (("--invoice-custom-field", "just-a-name"), "invoice_custom_field", "NAME=VALUE"),
    ],
)
def test_bad_customer_details_are_refused_naming_the_parameter_and_change_nothing(
    billcli: Callable[..., Any], ok: Callable[..., Any], ledger_path: Any,
    args: tuple[str, ...], param: str, fragment: str,
) -> None:  # fmt: skip
    ok("ledger", "init")
    before = ledger_digest(ledger_path)
    result = billcli("customers", "create", "--name", "Ada", *args)
    assert result.code == 1
    assert param in result.err and fragment in result.err, result.err
    assert ledger_digest(ledger_path) == before


def test_the_customers_tax_ids_are_printed_under_the_address_as_finalized(
    client: TestClient, ok: Callable[..., Any], billcli: Callable[..., Any], checked_ledger: Any
) -> None:
    cus = ok("customers", "create", "--name", "Hans", "--email", "h@example.com")["id"]
    vat = ok("customers", "tax-ids", "add", cus, "--type", "eu_vat", "--value", "DE123456789")
    ok("customers", "tax-ids", "add", cus, "--type", "us_ein", "--value", "12-3456789")
    invoice = finalized(ok, cus)
    assert invoice["customer_tax_ids"] == [
        {"type": "eu_vat", "value": "DE123456789"},
        {"type": "us_ein", "value": "12-3456789"},
    ]
    ok("customers", "tax-ids", "delete", cus, vat["id"])  # a finalized invoice keeps it
    html = client.get(invoice["hosted_invoice_url"].removeprefix(BASE)).text
    assert "Hans h@example.com<br>EU VAT DE123456789<br>US EIN 12-3456789</dd>" in html
    pdf = client.get(invoice["invoice_pdf"].removeprefix(BASE))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "EU VAT DE123456789" in text and "US EIN 12-3456789" in text
    shown = billcli("invoices", "show", invoice["id"])
    assert shown.code == 0 and "EU VAT DE123456789 · US EIN 12-3456789" in shown.out
    checked_ledger()
