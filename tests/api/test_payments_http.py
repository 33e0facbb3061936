"""Payments over the API: a declined payment answers 402 with its attempt committed (and
replays once under its key), and every new object keeps its shape in each API version:
the 2023 schema in 2023-08-16, the current field set from basil on, validated against
the 2023 schema for the fields both have (billcli-decisions, Payments)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import httpx2 as httpx
import pytest

from tests.conftest import ABSENT_WHEN_NOT_APPLICABLE

VERSIONS = ("2023-08-16", "2025-03-31.basil", "2026-10-28.endive")


def test_a_declined_invoice_payment_answers_402_and_keeps_its_attempt(
    http: httpx.Client, ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    ada = http.post(
        "/v1/customers",
        data={
            "name": "Ada",
            "email": "ada@example.com",
            "payment_method": "pm_card_chargeCustomerFail",
        },
    ).json()
    http.post("/v1/invoiceitems", data={"customer": ada["id"], "amount": "1500", "currency": "usd"})
    draft = http.post(
        "/v1/invoices",
        data={
            "customer": ada["id"],
            "auto_advance": "true",
            "pending_invoice_items_behavior": "include",
        },
    ).json()
    final = http.post(f"/v1/invoices/{draft['id']}/finalize").json()
    scheduled = final["next_payment_attempt"]
    headers = {"Idempotency-Key": "pay-once"}
    declined = http.post(f"/v1/invoices/{draft['id']}/pay", headers=headers)
    assert declined.status_code == 402
    error = declined.json()["error"]
    assert (error["type"], error["code"], error["decline_code"]) == (
        "card_error",
        "card_declined",
        "generic_decline",
    )
    shown = ok("invoices", "show", draft["id"])
    assert (shown["attempt_count"], shown["attempted"], shown["status"]) == (1, True, "open")
    # this first attempt starts the schedule: the clock retries a day later, not at once
    assert shown["next_payment_attempt"] == scheduled + 86_400
    assert ok("charges", "show", error["charge"])["status"] == "failed"
    assert len(ok("events", "list", "--type", "invoice.payment_failed")["data"]) == 1
    replayed = http.post(f"/v1/invoices/{draft['id']}/pay", headers=headers)
    assert replayed.status_code == 402 and replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.json() == declined.json()
    assert len(ok("charges", "list")["data"]) == 1  # the replay charged nothing
    checked_ledger()


def _shared_validator(extract: dict[str, Any], name: str) -> Any:
    """The 2023 schema of `name` required only in the fields the current version kept."""
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    current = set(extract["x-current-fixtures"]["resources"][name])

    def nullable(node: Any) -> Any:
        if isinstance(node, dict):
            node = {k: nullable(v) for k, v in node.items()}
            return {"anyOf": [node, {"type": "null"}]} if node.pop("nullable", False) else node
        return [nullable(v) for v in node] if isinstance(node, list) else node

    components = copy.deepcopy(extract["components"])
    schema = components["schemas"][name]
    schema["required"] = [f for f in schema.get("required", []) if f in current]
    registry = Registry().with_resource(
        "urn:x",
        Resource.from_contents(nullable({"components": components}), default_specification=DRAFT7),
    )
    return jsonschema.Draft7Validator(
        {"$ref": f"urn:x#/components/schemas/{name}"}, registry=registry
    )


def _objects(http: httpx.Client, version: str) -> dict[str, dict[str, Any]]:
    """One of each new object (and the invoice that has payments), read in `version`."""
    head = {"Stripe-Version": version}
    cus = http.post("/v1/customers", data={"name": "V", "email": "v@example.com"}).json()["id"]
    method = http.post(
        "/v1/payment_methods",
        data={"type": "card", "card[token]": "tok_visa", "customer": cus},
        headers=head,
    ).json()
    http.post("/v1/invoiceitems", data={"customer": cus, "amount": "2500", "currency": "usd"})
    draft = http.post(
        "/v1/invoices", data={"customer": cus, "pending_invoice_items_behavior": "include"}
    ).json()
    http.post(f"/v1/invoices/{draft['id']}/finalize")
    http.post(f"/v1/invoices/{draft['id']}/pay", data={"payment_method": method["id"]})
    invoice = http.get(f"/v1/invoices/{draft['id']}", headers=head).json()
    intent_id = http.get(f"/v1/invoices/{draft['id']}").json()["payment_intent"]
    intent = http.get(f"/v1/payment_intents/{intent_id}", headers=head).json()
    charge = http.get(f"/v1/charges/{intent['latest_charge']}", headers=head).json()
    refund = http.post(
        "/v1/refunds", data={"charge": charge["id"], "amount": "500"}, headers=head
    ).json()
    setup = http.post(
        "/v1/setup_intents",
        data={"customer": cus, "payment_method": "pm_card_visa", "confirm": "true"},
        headers=head,
    ).json()
    objects = {
        "payment_method": method,
        "payment_intent": intent,
        "charge": charge,
        "refund": refund,
        "setup_intent": setup,
        "invoice": invoice,
    }
    if version != "2023-08-16":
        objects["invoice_payment"] = http.get(
            "/v1/invoice_payments", params={"invoice": draft["id"]}, headers=head
        ).json()["data"][0]
    return objects


@pytest.mark.parametrize("version", VERSIONS)
def test_every_new_object_has_its_shape_in_each_version(
    http: httpx.Client, extract: dict[str, Any], schemas: Any, assert_valid: Any, version: str
) -> None:
    found = _objects(http, version)
    fixtures = extract["x-current-fixtures"]["resources"]
    for name, obj in found.items():
        assert obj["object"] == name
        if version == "2023-08-16":
            assert_valid(obj)  # the 2023 schema, every property it lists
            continue
        if name == "invoice":  # not new: its own versions are tests/api/test_http.py's
            continue
        fixture = set(fixtures[name])
        absent = ABSENT_WHEN_NOT_APPLICABLE.get(name, set()) | {"payments", "confirmation_secret"}
        missing = fixture - set(obj) - absent
        assert not missing, f"{version} {name} lacks {sorted(missing)}"
        if name in extract["components"]["schemas"]:
            gone = schemas.properties(name) - fixture
            assert not gone & set(obj), f"{version} {name} keeps {sorted(gone & set(obj))}"
            errors = list(_shared_validator(extract, name).iter_errors(obj))
            assert not errors, [e.message for e in errors[:3]]
    paid = found["invoice"]
    if version == "2023-08-16":
        assert paid["payment_intent"].startswith("pi_") and paid["charge"].startswith("ch_")
        assert "payments" not in paid and "confirmation_secret" not in paid
    else:
        (payment,) = paid["payments"]["data"]
        assert (payment["status"], payment["amount_paid"]) == ("paid", 2500)
        assert payment["payment"]["payment_intent"] == found["payment_intent"]["id"]
        assert payment["id"] == found["invoice_payment"]["id"]
        assert paid["confirmation_secret"] == {
            "client_secret": found["payment_intent"]["client_secret"],
            "type": "payment_intent",
        }
        assert "payment_intent" not in paid and "charge" not in paid and "paid" not in paid


def test_invoice_payment_events_show_in_the_versions_that_have_them(
    http: httpx.Client, ok: Callable[..., Any]
) -> None:
    cus = http.post("/v1/customers", data={"name": "E", "payment_method": "pm_card_visa"}).json()
    http.post("/v1/invoiceitems", data={"customer": cus["id"], "amount": "900", "currency": "usd"})
    draft = http.post(
        "/v1/invoices", data={"customer": cus["id"], "pending_invoice_items_behavior": "include"}
    ).json()
    http.post(f"/v1/invoices/{draft['id']}/finalize")
    http.post(f"/v1/invoices/{draft['id']}/pay")
    (recorded,) = ok("events", "list", "--type", "invoice_payment.paid")["data"]

    def listed(version: str) -> set[str]:
        found = http.get("/v1/events", params={"limit": "100"}, headers={"Stripe-Version": version})
        return {e["id"] for e in found.json()["data"]}

    # The event came with 2025-05-28.basil's partial payments (Stripe's changelog).
    assert recorded["id"] not in listed("2023-08-16") | listed("2025-04-30.basil")
    assert recorded["id"] in listed("2025-05-28.basil")
    assert http.get(f"/v1/events/{recorded['id']}").status_code == 404


def test_an_intent_keeps_its_shipping_and_refuses_fields_it_does_not_know(
    http: httpx.Client, assert_valid: Any
) -> None:
    shipping = {
        "shipping[name]": "Jenny Rosen",
        "shipping[address][line1]": "510 Townsend St",
        "shipping[address][city]": "San Francisco",
        "shipping[address][country]": "US",
    }
    made = http.post(
        "/v1/payment_intents",
        data={
            "amount": "2000",
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": "true",
            **shipping,
        },
    ).json()
    assert made["status"] == "succeeded" and made["shipping"]["name"] == "Jenny Rosen"
    assert made["shipping"]["address"]["postal_code"] is None
    assert_valid(made)
    refused = http.post(
        "/v1/payment_intents",
        data={"amount": "2000", "currency": "usd", "shipping[name]": "J", "shipping[hat]": "x"},
    )
    assert (refused.status_code, refused.json()["error"]["param"]) == (400, "shipping[hat]")


def test_an_intent_updated_below_the_minimum_charge_is_refused_in_stripes_words(
    http: httpx.Client, checked_ledger: Callable[[], None]
) -> None:
    """An update is held to the minimum charge as a creation is: `amount_too_small`,
    "Amount must be at least $0.50 usd" (not bare minor units), the intent unchanged."""
    made = http.post("/v1/payment_intents", data={"amount": "1000", "currency": "usd"}).json()
    answer = http.post(f"/v1/payment_intents/{made['id']}", data={"amount": "30"})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert (error["code"], error["param"]) == ("amount_too_small", "amount")
    assert error["message"] == "Amount must be at least $0.50 usd"
    assert http.get(f"/v1/payment_intents/{made['id']}").json()["amount"] == 1000
    checked_ledger()
