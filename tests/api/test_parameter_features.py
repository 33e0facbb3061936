"""Documented parameters through the API: the data-bearing ones stored and returned,
the capabilities billcli does not model refused as such, and bad values answered with
Stripe's error type, code, param and status, the ledger unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2 as httpx

from tests.conftest import ledger_digest


def made(http: httpx.Client, path: str, data: dict[str, Any]) -> dict[str, Any]:
    answer = http.post(path, data=data)
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_bad_values_get_stripes_error_and_change_nothing(
    http: httpx.Client, ledger_path: Path
) -> None:
    cus = made(http, "/v1/customers", {"name": "Ada"})["id"]
    cases: list[tuple[str, dict[str, str], str, str | None]] = [
        # (path, body, param, code): status 400, type invalid_request_error each time.
        ("/v1/customers", {"tax_exempt": "sometimes"}, "tax_exempt", None),
        ("/v1/customers", {"address": "Main St"}, "address", None),
        ("/v1/customers", {"address[line1]": "x" * 5001}, "address[line1]", None),
        ("/v1/customers", {"address[country]": "Britain"}, "address[country]", None),
        (
            "/v1/customers",
            {"shipping[address][city]": "Leeds"},
            "shipping[name]",
            "parameter_missing",
        ),
        (
            "/v1/customers",
            {"next_invoice_sequence": "abc"},
            "next_invoice_sequence",
            "parameter_invalid_integer",
        ),
        (
            "/v1/customers",
            {"invoice_settings[footer]": "f" * 5001},
            "invoice_settings[footer]",
            None,
        ),
        (
            "/v1/customers",
            {"invoice_settings[custom_fields][0][name]": "PO"},
            "invoice_settings[custom_fields][0][value]",
            "parameter_missing",
        ),
        (
            f"/v1/customers/{cus}/balance_transactions",
            {"amount": "-100"},
            "currency",
            "parameter_missing",
        ),
        (
            "/v1/prices",
            {
                "currency": "usd",
                "unit_amount": "100",
                "product_data[name]": "P",
                "transform_quantity[divide_by]": "2",
                "transform_quantity[round]": "sideways",
            },
            "transform_quantity[round]",
            None,
        ),
        (
            "/v1/prices",
            {"currency": "usd", "unit_amount": "1.5", "product_data[name]": "P"},
            "unit_amount",
            "parameter_invalid_integer",
        ),
        (
            "/v1/prices",
            {
                "currency": "usd",
                "unit_amount": "100",
                "product_data[name]": "P",
                "currency_options[eur][unit_amount]": "-5",
            },
            "currency_options[eur][unit_amount]",
            None,
        ),
        (
            "/v1/subscriptions",
            {
                "customer": cus,
                "items[0][price]": "price_x",
                "trial_settings[end_behavior][missing_payment_method]": "boom",
            },
            "trial_settings[end_behavior][missing_payment_method]",
            None,
        ),
        ("/v1/invoices", {"customer": cus, "footer": "f" * 5001}, "footer", None),
        (
            "/v1/invoices",
            {"customer": cus, "effective_at": "tomorrow"},
            "effective_at",
            "parameter_invalid_integer",
        ),
        (
            "/v1/invoices",
            {"customer": cus, "from_invoice[action]": "revision"},
            "from_invoice[invoice]",
            "parameter_missing",
        ),
        (
            "/v1/invoiceitems",
            {
                "customer": cus,
                "amount": "5",
                "currency": "usd",
                "period[start]": "10",
                "period[end]": "5",
            },
            "period[end]",
            None,
        ),
        (
            "/v1/coupons",
            {"percent_off": "10", "applies_to[products][0]": "prod_missing"},
            "applies_to[products][0]",
            "resource_missing",
        ),
    ]
    before = ledger_digest(ledger_path)
    for path, body, param, code in cases:
        answer = http.post(path, data=body)
        error = answer.json()["error"]
        expected_status = 404 if code == "resource_missing" else 400
        assert (answer.status_code, error["type"], error.get("param"), error.get("code")) == (
            expected_status,
            "invalid_request_error",
            param,
            code,
        ), (path, body, error)
    assert ledger_digest(ledger_path) == before


def test_capabilities_billcli_does_not_model_are_refused_by_name(
    http: httpx.Client, ledger_path: Path
) -> None:
    cus = made(http, "/v1/customers", {"name": "Ada"})["id"]
    cases = [
        (
            "/v1/customers",
            {"cash_balance[settings][reconciliation_mode]": "automatic"},
            "cash_balance",
            "cash balances",
        ),
        (
            "/v1/subscriptions",
            {"customer": cus, "transfer_data[destination]": "acct_1"},
            "transfer_data",
            "Connect",
        ),
        (
            "/v1/subscriptions",
            {"customer": cus, "on_behalf_of": "acct_1"},
            "on_behalf_of",
            "Connect",
        ),
        (
            "/v1/subscriptions",
            {"customer": cus, "application_fee_percent": "5"},
            "application_fee_percent",
            "Connect",
        ),
        (
            "/v1/webhook_endpoints",
            {"url": "https://example.com/h", "enabled_events[0]": "*", "connect": "true"},
            "connect",
            "Connect",
        ),
    ]
    before = ledger_digest(ledger_path)
    for path, body, param, capability in cases:
        answer = http.post(path, data=body)
        error = answer.json()["error"]
        assert (answer.status_code, error.get("param")) == (400, param), (path, error)
        assert "billcli does not model" in error["message"] and capability in error["message"]
        assert error.get("code") != "parameter_unknown"
    assert ledger_digest(ledger_path) == before


def test_inline_prices_and_item_metadata_reach_the_subscription_and_its_invoice(
    http: httpx.Client, ok: Any, checked_ledger: Any
) -> None:
    ok("products", "create", "--name", "Pro", "--id", "pro")
    cus = made(http, "/v1/customers", {"name": "Ada", "payment_method": "pm_card_visa",
                                        "invoice_settings[default_payment_method]":
                                        "pm_card_visa"})["id"]  # fmt: skip
    sub = made(http, "/v1/subscriptions", {
        "customer": cus,
        "items[0][price_data][currency]": "usd",
        "items[0][price_data][product]": "pro",
        "items[0][price_data][unit_amount]": "1500",
        "items[0][price_data][recurring][interval]": "month",
        "items[0][quantity]": "2",
        "items[0][metadata][seat]": "front desk",
        "add_invoice_items[0][price_data][currency]": "usd",
        "add_invoice_items[0][price_data][product]": "pro",
        "add_invoice_items[0][price_data][unit_amount]": "999",
    })  # fmt: skip
    (item,) = sub["items"]["data"]
    assert item["metadata"] == {"seat": "front desk"}
    assert (item["price"]["unit_amount"], item["price"]["product"]) == (1500, "pro")
    assert item["price"]["active"] is False  # an inline price sells nothing else
    invoice = http.get(f"/v1/invoices/{sub['latest_invoice']}").json()
    assert sorted(line["amount"] for line in invoice["lines"]["data"]) == [999, 2 * 1500]
    assert invoice["status"] == "paid"
    unset = {"metadata[seat]": "", "metadata[floor]": "2"}
    updated = made(http, f"/v1/subscription_items/{item['id']}", unset)
    assert updated["metadata"] == {"floor": "2"}
    listed = http.get("/v1/invoices", params={"subscription": sub["id"]}).json()["data"]
    assert [i["id"] for i in listed] == [invoice["id"]]
    checked_ledger()


def test_an_invoice_item_priced_inline_bills_its_quantity(http: httpx.Client, ok: Any) -> None:
    ok("products", "create", "--name", "Lamp", "--id", "lamp")
    cus = made(http, "/v1/customers", {"name": "Ada"})["id"]
    item = made(http, "/v1/invoiceitems", {
        "customer": cus,
        "price_data[currency]": "usd",
        "price_data[product]": "lamp",
        "price_data[unit_amount]": "1250",
        "quantity": "3",
        "period[start]": "1800000000",
        "period[end]": "1802592000",
        "discountable": "false",
    })  # fmt: skip
    assert (item["amount"], item["quantity"], item["discountable"]) == (3 * 1250, 3, False)
    assert item["period"] == {"start": 1800000000, "end": 1802592000}
    assert item["price"]["product"] == "lamp" and item["price"]["type"] == "one_time"
