"""`expand[]` as Stripe documents it: by field, whatever an id looks like; lists of ids
item by item; fields included only when asked for; four levels at most."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2 as httpx

from tests.api.conftest import half_off_invoice


def _tiered_price(http: httpx.Client) -> dict[str, Any]:
    http.post("/v1/products", data={"name": "Pro", "id": "pro"})
    return http.post(  # type: ignore[no-any-return]
        "/v1/prices",
        data={
            "product": "pro",
            "currency": "usd",
            "billing_scheme": "tiered",
            "tiers_mode": "graduated",
            "tiers[0][up_to]": "5",
            "tiers[0][unit_amount]": "1000",
            "tiers[1][up_to]": "inf",
            "tiers[1][unit_amount]": "800",
            "recurring[interval]": "month",
        },
    ).json()


def test_a_product_with_its_own_id_expands_from_a_price_and_tiers_only_when_asked(
    http: httpx.Client,
) -> None:
    price = _tiered_price(http)
    assert "tiers" not in price and "currency_options" not in price
    listed = http.get(
        "/v1/prices", params={"expand[]": ["data.product", "data.tiers", "data.currency_options"]}
    ).json()["data"][0]
    assert listed["product"]["id"] == "pro" and listed["product"]["object"] == "product"
    assert [t["up_to"] for t in listed["tiers"]] == [5, None]
    assert listed["currency_options"]["usd"]["tiers"] == listed["tiers"]
    as_plan = http.get(f"/v1/plans/{price['id']}", params={"expand[]": "tiers"}).json()
    assert as_plan["tiers"] == listed["tiers"]


def test_lists_of_discount_ids_expand_item_by_item_and_empty_lists_stay_empty(
    http: httpx.Client,
) -> None:
    invoice = half_off_invoice(http)
    listed = http.get(
        "/v1/invoices", params={"expand[]": ["data.discounts", "data.lines.data.discounts"]}
    ).json()["data"][0]
    (discount,) = listed["discounts"]
    assert discount["id"] == invoice["discounts"][0] and discount["coupon"]["id"] == "HALF"
    assert listed["lines"]["data"][0]["discounts"] == []
    expanded = http.get(
        f"/v1/invoices/{invoice['id']}", params={"expand[]": "customer.default_source"}
    ).json()
    assert expanded["customer"]["id"] == invoice["customer"]
    assert expanded["customer"]["default_source"] is None


def test_a_customers_sources_and_subscriptions_are_shown_when_expanded(http: httpx.Client) -> None:
    cus = http.post("/v1/customers", data={"source": "tok_visa"}).json()
    assert "sources" not in cus and "subscriptions" not in cus and "tax_ids" not in cus
    expanded = http.get(
        f"/v1/customers/{cus['id']}",
        params={"expand[]": ["sources", "subscriptions", "tax_ids", "default_source"]},
    ).json()
    assert [c["id"] for c in expanded["sources"]["data"]] == [cus["default_source"]]
    assert expanded["subscriptions"]["data"] == []
    assert expanded["tax_ids"]["url"] == f"/v1/customers/{cus['id']}/tax_ids"
    assert expanded["default_source"]["object"] == "card"


def test_paths_deeper_than_four_levels_or_through_nothing_are_refused_as_stripe_refuses_them(
    http: httpx.Client, ok: Callable[..., Any]
) -> None:
    deep = "data.items.data.price.product"
    refused = http.get("/v1/subscriptions", params={"expand[]": deep}).json()["error"]
    assert refused["message"] == (
        f"You cannot expand more than 4 levels of a property. Property: {deep}"
    )
    assert refused["param"] == "expand"
    product = http.post("/v1/products", data={"name": "P"}).json()["id"]
    for path in ("name", "nothing", "data"):
        bad = http.get(f"/v1/products/{product}", params={"expand[]": path}).json()["error"]
        assert bad["message"] == f"This property cannot be expanded ({path})."
    fine = http.get(f"/v1/products/{product}", params={"expand[]": "default_price"}).json()
    assert fine["default_price"] is None  # null stays null


def test_a_checkout_session_expands_what_it_made_and_a_schedule_its_customer_and_subscription(
    http: httpx.Client, ok: Callable[..., Any]
) -> None:
    """Stripe's `checkout.session` expands its customer, invoice, PaymentIntent,
    SetupIntent and subscription; a subscription schedule its customer and subscription."""
    price = http.post(
        "/v1/prices", data={"currency": "usd", "unit_amount": 1500, "product_data[name]": "Mug"}
    ).json()["id"]
    session = http.post(
        "/v1/checkout/sessions",
        data={"mode": "payment", "success_url": "https://shop.example/ok",
              "line_items[0][price]": price, "line_items[0][quantity]": 1,
              "invoice_creation[enabled]": "true", "customer_email": "ada@example.com"},
    ).json()  # fmt: skip
    paid = http.post(
        f"/v1/payment_pages/{session['id']}/confirm",
        data={"payment_method": "pm_card_visa", "expected_amount": 1500},
    )
    assert paid.status_code == 200, paid.text
    fields = ["customer", "invoice", "payment_intent", "setup_intent", "subscription"]
    expanded = http.get(
        f"/v1/checkout/sessions/{session['id']}", params={"expand[]": fields}
    ).json()
    assert expanded["customer"]["object"] == "customer"
    assert expanded["invoice"]["object"] == "invoice" and expanded["invoice"]["status"] == "paid"
    assert expanded["payment_intent"]["invoice"] == expanded["invoice"]["id"]
    assert expanded["setup_intent"] is None and expanded["subscription"] is None
    monthly = http.post(
        "/v1/prices",
        data={"currency": "usd", "unit_amount": 1000, "recurring[interval]": "month",
              "product_data[name]": "Plan"},
    ).json()["id"]  # fmt: skip
    customer = http.post("/v1/customers", data={"email": "bo@example.com"}).json()["id"]
    schedule = http.post(
        "/v1/subscription_schedules",
        data={"customer": customer, "start_date": "now",
              "phases[0][items][0][price]": monthly, "phases[0][iterations]": 2},
    ).json()  # fmt: skip
    shown = http.get(
        f"/v1/subscription_schedules/{schedule['id']}",
        params={"expand[]": ["customer", "subscription"]},
    ).json()
    assert shown["customer"]["id"] == customer
    assert shown["subscription"]["id"] == schedule["subscription"]
