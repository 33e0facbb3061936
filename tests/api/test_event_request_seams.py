"""Seams of events and the API requests that cause them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def test_every_event_of_an_api_request_with_an_idempotency_key_names_it(
    http: Any, checked_ledger: Callable[[], None]
) -> None:
    """The same through the API's Idempotency-Key header."""
    customer = http.post("/v1/customers", data={"name": "Ada", "payment_method": "pm_card_visa",
                         "invoice_settings[default_payment_method]": "pm_card_visa"})  # fmt: skip
    assert customer.status_code == 200, customer.text
    price = http.post("/v1/prices", data={"currency": "usd", "unit_amount": "1500",
                      "recurring[interval]": "month", "product_data[name]": "Plan"})  # fmt: skip
    assert price.status_code == 200, price.text
    made = http.post(
        "/v1/subscriptions",
        data={"customer": customer.json()["id"], "items[0][price]": price.json()["id"]},
        headers={"Idempotency-Key": "api-sub-1"},
    )
    assert made.status_code == 200, made.text
    events = http.get("/v1/events", params={"limit": "100"}).json()["data"]
    keyed = {e["type"] for e in events if e["request"]["idempotency_key"] == "api-sub-1"}
    assert {"customer.subscription.created", "invoice.created", "invoice.paid"} <= keyed
    assert all(
        e["request"]["idempotency_key"] is None
        for e in events
        if e["type"] in ("customer.created", "price.created", "product.created")
    )
    checked_ledger()


def test_every_event_of_an_api_request_names_its_request_id_and_a_commands_none(
    http: Any, ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    """Stripe's `event.request.id` is the `Request-Id` of the API request that caused the
    event (every event of it); a command's events come from no API request. A replay
    under the same key makes no event, so the events keep the first request's id."""
    customer = http.post(
        "/v1/customers", data={"name": "Ada", "payment_method": "pm_card_visa"},
        headers={"Idempotency-Key": "ada-1"},
    )  # fmt: skip
    assert customer.status_code == 200, customer.text
    replayed = http.post(
        "/v1/customers", data={"name": "Ada", "payment_method": "pm_card_visa"},
        headers={"Idempotency-Key": "ada-1"},
    )  # fmt: skip
    assert replayed.headers["Idempotent-Replayed"] == "true"
    first = customer.headers["Request-Id"]
    assert first.startswith("req_") and replayed.headers["Request-Id"] != first
    ok("customers", "create", "--name", "Bob")
    events = http.get("/v1/events", params={"limit": "100"}).json()["data"]
    mine = [e for e in events if e["data"]["object"].get("customer", e["data"]["object"]["id"])
            == customer.json()["id"]]  # fmt: skip
    assert {e["type"] for e in mine} >= {"customer.created", "payment_method.attached"}
    assert {e["request"]["id"] for e in mine} == {first}
    [bob] = [e for e in events if e["data"]["object"].get("name") == "Bob"]
    assert bob["request"] == {"id": None, "idempotency_key": None}
    checked_ledger()
