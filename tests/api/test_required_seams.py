"""A required parameter left out is answered as Stripe answers it, on every create
operation billcli serves: 400, `parameter_missing`, the parameter, "Missing required
param: x.", and nothing written."""

from __future__ import annotations

from pathlib import Path

import httpx2 as httpx
import pytest

from tests.conftest import ledger_digest

CASES = [
    ("/v1/products", {}, "name"),
    ("/v1/tax_rates", {"inclusive": "false", "percentage": "5"}, "display_name"),
    ("/v1/tax_rates", {"display_name": "VAT", "percentage": "5"}, "inclusive"),
    ("/v1/tax_rates", {"display_name": "VAT", "inclusive": "false"}, "percentage"),
    ("/v1/invoiceitems", {"amount": "500", "currency": "usd"}, "customer"),
    ("/v1/invoices", {"description": "x"}, "customer"),
    ("/v1/subscriptions", {"items[0][price]": "price_x"}, "customer"),
    ("/v1/subscriptions", {"customer": "{customer}"}, "items"),
    ("/v1/payment_intents", {"currency": "usd"}, "amount"),
    ("/v1/payment_intents", {"amount": "500"}, "currency"),
    ("/v1/promotion_codes", {"code": "ABC"}, "coupon"),
    ("/v1/plans", {"amount": "500", "currency": "usd", "product[name]": "P"}, "interval"),
    ("/v1/subscription_schedules", {"start_date": "now"}, "customer"),
    ("/v1/webhook_endpoints", {"enabled_events[]": "*"}, "url"),
    ("/v1/webhook_endpoints", {"url": "https://example.com/hook"}, "enabled_events"),
    ("/v1/billing_portal/configurations", {"business_profile[headline]": "Hi"}, "features"),
]


@pytest.mark.parametrize(("path", "data", "param"), CASES)
def test_a_required_parameter_left_out_is_parameter_missing_and_nothing_is_written(
    http: httpx.Client, ledger_path: Path, path: str, data: dict[str, str], param: str
) -> None:
    customer = http.post("/v1/customers", data={"email": "a@example.com"}).json()["id"]
    sent = {key: value.replace("{customer}", customer) for key, value in data.items()}
    before = ledger_digest(ledger_path)
    answer = http.post(path, data=sent)
    assert answer.status_code == 400
    assert answer.json()["error"] == {
        "type": "invalid_request_error",
        "code": "parameter_missing",
        "message": f"Missing required param: {param}.",
        "param": param,
    }
    assert ledger_digest(ledger_path) == before
