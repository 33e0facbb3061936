"""Stripe's empty value unsets the parameters its API types as clearable (`Literal['']`
in its libraries): a customer's `tax_exempt` (back to `none`), `business_name` and
`individual_name`, a webhook endpoint's `description`, an invoice item's `discounts`."""

from __future__ import annotations

import httpx2 as httpx

CLOVER = {"Stripe-Version": "2025-09-30.clover"}


def test_an_empty_tax_exempt_or_name_unsets_it_on_a_customer(http: httpx.Client) -> None:
    made = http.post(
        "/v1/customers",
        data={"tax_exempt": "exempt", "business_name": "Acme", "individual_name": "Ada"},
        headers=CLOVER,
    ).json()
    assert (made["tax_exempt"], made["business_name"]) == ("exempt", "Acme")
    cleared = http.post(
        f"/v1/customers/{made['id']}",
        data={"tax_exempt": "", "business_name": "", "individual_name": ""},
        headers=CLOVER,
    )
    assert cleared.status_code == 200, cleared.json()
    shown = cleared.json()
    assert (shown["tax_exempt"], shown["business_name"], shown["individual_name"]) == (
        "none",
        None,
        None,
    )
    fresh = http.post("/v1/customers", data={"tax_exempt": ""})
    assert fresh.status_code == 200 and fresh.json()["tax_exempt"] == "none"


def test_an_empty_description_unsets_a_webhook_endpoints(http: httpx.Client) -> None:
    hook = http.post(
        "/v1/webhook_endpoints",
        data={"url": "https://example.com/hook", "enabled_events[]": "*", "description": "CRM"},
    ).json()
    cleared = http.post(f"/v1/webhook_endpoints/{hook['id']}", data={"description": ""})
    assert cleared.status_code == 200, cleared.json()
    assert cleared.json()["description"] is None


def test_empty_discounts_remove_an_invoice_items_own_discounts(http: httpx.Client) -> None:
    http.post("/v1/coupons", data={"id": "TEN", "percent_off": "10", "duration": "forever"})
    cus = http.post("/v1/customers", data={"email": "a@example.com"}).json()["id"]
    item = http.post(
        "/v1/invoiceitems",
        data={
            "customer": cus,
            "amount": "1000",
            "currency": "usd",
            "discounts[0][coupon]": "TEN",
        },
    ).json()
    assert len(item["discounts"]) == 1
    cleared = http.post(f"/v1/invoiceitems/{item['id']}", data={"discounts": ""})
    assert cleared.status_code == 200, cleared.json()
    assert cleared.json()["discounts"] == []
