"""Stripe's text limits: one table in core, the same as the extract's request schemas."""

from __future__ import annotations

import json
from typing import Any

import pytest

from billcli.core.limits import DEFAULT_MAX_LENGTH, MAX_LENGTH, max_length
from tests.conftest import spec_dir

# The create endpoint whose request schema gives each object's limits.
ENDPOINTS = {
    "customer": "/v1/customers",
    "customer_balance_transaction": "/v1/customers/{customer}/balance_transactions",
    "invoiceitem": "/v1/invoiceitems",
    "invoice": "/v1/invoices",
    "billing_portal.configuration": "/v1/billing_portal/configurations",
    "webhook_endpoint": "/v1/webhook_endpoints",
    "product": "/v1/products",
    "price": "/v1/prices",
    "subscription": "/v1/subscriptions",
    "coupon": "/v1/coupons",
    "credit_note": "/v1/credit_notes",
}
# billcli's parameter names where Stripe nests them.
NESTED = {
    ("billing_portal.configuration", "headline"): ("business_profile", "headline"),
    ("customer", "custom_fields[name]"): ("invoice_settings", "custom_fields", "[]", "name"),
    ("customer", "custom_fields[value]"): ("invoice_settings", "custom_fields", "[]", "value"),
    ("invoice", "custom_fields[name]"): ("custom_fields", "[]", "name"),
    ("invoice", "custom_fields[value]"): ("custom_fields", "[]", "value"),
}


def _request_schema() -> dict[str, Any]:
    found = spec_dir()
    if found is None:
        pytest.skip("the Stripe schema extract is absent (set BILLCLI_SPEC_DIR to its folder)")
    return json.loads((found / "stripe-openapi-extract.json").read_text())  # type: ignore[no-any-return]


def _limit(schema: dict[str, Any], path: tuple[str, ...]) -> int | None:
    for name in path:
        schema = schema["items"] if name == "[]" else schema["properties"][name]
        schema = next(
            (alt for alt in schema.get("anyOf", []) if "properties" in alt or "items" in alt),
            schema,
        )
    lengths = [schema.get("maxLength")] + [alt.get("maxLength") for alt in schema.get("anyOf", [])]
    return next((n for n in lengths if n is not None), None)


@pytest.mark.parametrize(
    ("kind", "param"), [(k, p) for k, params in MAX_LENGTH.items() for p in params]
)
def test_each_limit_is_the_one_stripes_request_schema_gives(kind: str, param: str) -> None:
    operation = _request_schema()["paths"][ENDPOINTS[kind]]["post"]
    schema = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert _limit(schema, NESTED.get((kind, param), (param,))) == MAX_LENGTH[kind][param]


def test_a_parameter_the_table_does_not_name_takes_stripes_default() -> None:
    assert max_length("customer", "address") == DEFAULT_MAX_LENGTH == 5000
