"""`expand[]` through objects nested in an answer whose fields name other objects, as
Stripe's spec marks them expandable: a customer's `invoice_settings.default_payment_method`,
each `discount` of an invoice's `total_discount_amounts` and of a line's
`discount_amounts`, and a revision's `from_invoice.invoice`."""

from __future__ import annotations

from typing import Any

import httpx2 as httpx

from tests.api.conftest import half_off_invoice


def _customer_with_a_card(http: httpx.Client) -> dict[str, Any]:
    """A customer whose invoices are paid by the Visa test card."""
    made: dict[str, Any] = http.post(
        "/v1/customers",
        data={
            "payment_method": "pm_card_visa",
            "invoice_settings[default_payment_method]": "pm_card_visa",
        },
    ).json()
    return made


def test_a_customers_default_payment_method_expands_inside_invoice_settings(
    http: httpx.Client,
) -> None:
    cus = _customer_with_a_card(http)
    method = cus["invoice_settings"]["default_payment_method"]
    assert method.startswith("pm_")
    expanded = http.get(
        f"/v1/customers/{cus['id']}",
        params={"expand[]": "invoice_settings.default_payment_method"},
    )
    assert expanded.status_code == 200, expanded.json()
    shown = expanded.json()["invoice_settings"]["default_payment_method"]
    assert (shown["id"], shown["object"], shown["customer"]) == (
        method,
        "payment_method",
        cus["id"],
    )
    listed = http.get(
        "/v1/customers", params={"expand[]": "data.invoice_settings.default_payment_method"}
    )
    assert listed.json()["data"][0]["invoice_settings"]["default_payment_method"]["id"] == method


def test_the_discount_of_each_discount_amount_expands_on_invoices_and_their_lines(
    http: httpx.Client,
) -> None:
    invoice = half_off_invoice(http)
    (discount,) = invoice["discounts"]
    answer = http.get(
        f"/v1/invoices/{invoice['id']}",
        params={
            "expand[]": [
                "total_discount_amounts.discount",
                "lines.data.discount_amounts.discount",
            ]
        },
    )
    assert answer.status_code == 200, answer.json()
    (total,) = answer.json()["total_discount_amounts"]
    assert (total["amount"], total["discount"]["id"], total["discount"]["object"]) == (
        400,
        discount,
        "discount",
    )
    assert total["discount"]["coupon"]["id"] == "HALF"
    (line,) = answer.json()["lines"]["data"]
    (amount,) = line["discount_amounts"]
    assert (amount["amount"], amount["discount"]["id"]) == (400, discount)


def test_a_revisions_from_invoice_expands_to_the_invoice_it_revises(http: httpx.Client) -> None:
    cus = http.post("/v1/customers", data={"email": "r@example.com"}).json()["id"]
    http.post("/v1/invoiceitems", data={"customer": cus, "amount": "800", "currency": "usd"})
    first = http.post(
        "/v1/invoices",
        data={
            "customer": cus,
            "pending_invoice_items_behavior": "include",
            "collection_method": "send_invoice",
            "days_until_due": "30",
        },
    ).json()["id"]
    http.post(f"/v1/invoices/{first}/finalize")
    revision = http.post(
        "/v1/invoices",
        data={
            "customer": cus,
            "from_invoice[action]": "revision",
            "from_invoice[invoice]": first,
        },
    ).json()
    assert revision["from_invoice"] == {"action": "revision", "invoice": first}
    answer = http.get(f"/v1/invoices/{revision['id']}", params={"expand[]": "from_invoice.invoice"})
    assert answer.status_code == 200, answer.json()
    shown = answer.json()["from_invoice"]["invoice"]
    assert (shown["id"], shown["object"], shown["status"]) == (first, "invoice", "open")


BASIL = "2025-03-31.basil"


def test_from_basil_an_invoices_parent_subscription_and_payment_intent_expand(
    http: httpx.Client,
) -> None:
    cus = _customer_with_a_card(http)["id"]
    product = http.post("/v1/products", data={"name": "Plan"}).json()["id"]
    price = http.post(
        "/v1/prices",
        data={
            "product": product,
            "currency": "usd",
            "unit_amount": "700",
            "recurring[interval]": "month",
        },
    ).json()["id"]
    sub = http.post("/v1/subscriptions", data={"customer": cus, "items[0][price]": price}).json()
    answer = http.get(
        f"/v1/invoices/{sub['latest_invoice']}",
        params={
            "expand[]": [
                "parent.subscription_details.subscription",
                "payments.data.payment.payment_intent",
                "lines.data.pricing",
            ]
        },
        headers={"Stripe-Version": BASIL},
    )
    assert answer.status_code == 200, answer.json()
    invoice = answer.json()
    shown = invoice["parent"]["subscription_details"]["subscription"]
    assert (shown["id"], shown["object"]) == (sub["id"], "subscription")
    (payment,) = invoice["payments"]["data"]
    intent = payment["payment"]["payment_intent"]
    assert (intent["object"], intent["status"], intent["amount"]) == (
        "payment_intent",
        "succeeded",
        700,
    )
    before = http.get(
        f"/v1/invoices/{sub['latest_invoice']}/lines",
        params={"expand[]": "data.pricing.price_details.price"},
        headers={"Stripe-Version": BASIL},
    ).json()["error"]
    assert before == {
        "type": "invalid_request_error",
        "message": "This property cannot be expanded (data.pricing.price_details.price).",
        "param": "expand",
    }


def test_from_2025_12_15_clover_an_items_or_lines_price_details_price_expands(
    http: httpx.Client,
) -> None:
    cus = http.post("/v1/customers", data={"email": "p@example.com"}).json()["id"]
    product = http.post("/v1/products", data={"name": "Seat"}).json()["id"]
    once = http.post(
        "/v1/prices", data={"product": product, "currency": "usd", "unit_amount": "300"}
    ).json()["id"]
    item = http.post(
        "/v1/invoiceitems", data={"customer": cus, "price": once, "quantity": "2"}
    ).json()["id"]
    invoice = http.post(
        "/v1/invoices", data={"customer": cus, "pending_invoice_items_behavior": "include"}
    ).json()["id"]
    clover = {"Stripe-Version": "2025-12-15.clover"}
    shown_item = http.get(
        f"/v1/invoiceitems/{item}",
        params={"expand[]": "pricing.price_details.price"},
        headers=clover,
    ).json()
    assert shown_item["pricing"]["price_details"]["price"]["id"] == once
    (line,) = http.get(
        f"/v1/invoices/{invoice}/lines",
        params={"expand[]": "data.pricing.price_details.price"},
        headers=clover,
    ).json()["data"]
    assert (line["pricing"]["price_details"]["price"]["object"], line["quantity"]) == ("price", 2)
    refused = http.get(
        f"/v1/invoiceitems/{item}",
        params={"expand[]": "pricing.price_details.price"},
        headers={"Stripe-Version": "2025-11-17.clover"},
    )
    assert refused.status_code == 400


def test_a_subscriptions_schedule_and_a_schedules_phase_prices_and_methods_expand(
    http: httpx.Client,
) -> None:
    cus = _customer_with_a_card(http)
    method = cus["invoice_settings"]["default_payment_method"]
    product = http.post("/v1/products", data={"name": "Plan", "id": "plan_product"}).json()["id"]
    price = http.post(
        "/v1/prices",
        data={
            "product": product,
            "currency": "usd",
            "unit_amount": "900",
            "recurring[interval]": "month",
        },
    ).json()["id"]
    http.post("/v1/coupons", data={"id": "TEN", "percent_off": "10", "duration": "forever"})
    schedule = http.post(
        "/v1/subscription_schedules",
        data={
            "customer": cus["id"],
            "start_date": "now",
            "default_settings[default_payment_method]": method,
            "phases[0][items][0][price]": price,
            "phases[0][default_payment_method]": method,
            "phases[0][discounts][0][coupon]": "TEN",
            "phases[0][iterations]": "2",
        },
    ).json()
    sub = http.get(
        f"/v1/subscriptions/{schedule['subscription']}", params={"expand[]": "schedule"}
    ).json()
    assert (sub["schedule"]["id"], sub["schedule"]["object"]) == (
        schedule["id"],
        "subscription_schedule",
    )
    answer = http.get(
        f"/v1/subscription_schedules/{schedule['id']}",
        params={
            "expand[]": [
                "phases.items.price.product",
                "phases.items.plan",
                "phases.default_payment_method",
                "phases.discounts.coupon",
                "default_settings.default_payment_method",
            ]
        },
    )
    assert answer.status_code == 200, answer.json()
    shown = answer.json()
    (phase,) = shown["phases"]
    (item,) = phase["items"]
    assert (item["price"]["id"], item["price"]["product"]["id"]) == (price, "plan_product")
    assert (item["plan"]["object"], item["plan"]["id"]) == ("plan", price)
    assert phase["default_payment_method"]["id"] == method
    assert phase["discounts"][0]["coupon"]["id"] == "TEN"
    assert shown["default_settings"]["default_payment_method"]["object"] == "payment_method"
