"""Manual capture over the API: the new states keep their shape in each API version
(an intent `requires_capture`, an uncaptured charge, then both captured), the capture's
parameters as Stripe documents them, and invoices that always capture at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2 as httpx
import pytest

from tests.api.test_payments_http import VERSIONS, _shared_validator

HOLD = {
    "amount": "2000",
    "currency": "usd",
    "payment_method": "pm_card_visa",
    "capture_method": "manual",
    "confirm": "true",
}


def _states(http: httpx.Client, version: str) -> list[dict[str, Any]]:
    """An authorization held (intent and charge), then captured in part (both again)."""
    head = {"Stripe-Version": version}
    held = http.post("/v1/payment_intents", data=HOLD, headers=head).json()
    charge = http.get(f"/v1/charges/{held['latest_charge']}", headers=head).json()
    done = http.post(
        f"/v1/payment_intents/{held['id']}/capture",
        data={"amount_to_capture": "1500"},
        headers=head,
    ).json()
    captured = http.get(f"/v1/charges/{held['latest_charge']}", headers=head).json()
    return [held, charge, done, captured]


@pytest.mark.parametrize("version", VERSIONS)
def test_an_authorization_and_its_capture_keep_their_shape_in_each_version(
    http: httpx.Client, extract: dict[str, Any], assert_valid: Any, version: str
) -> None:
    held, charge, done, captured = _states(http, version)
    assert (held["status"], held["amount_capturable"]) == ("requires_capture", 2000)
    assert (charge["captured"], charge["amount_captured"]) == (False, 0)
    assert (done["status"], done["amount_received"]) == ("succeeded", 1500)
    assert captured["amount_captured"] == 1500
    if version == "2023-08-16":  # later versions: docs/design.md, "Releases in basil"
        assert captured["amount_refunded"] == 500
    for obj in (held, charge, done, captured):
        if version == "2023-08-16":
            assert_valid(obj)
            continue
        errors = list(_shared_validator(extract, obj["object"]).iter_errors(obj))
        assert not errors, [e.message for e in errors[:3]]


def test_the_capture_takes_stripes_parameters_and_refuses_what_billcli_does_not_model(
    http: httpx.Client, checked_ledger: Callable[[], None]
) -> None:
    held = http.post("/v1/payment_intents", data=HOLD).json()
    path = f"/v1/payment_intents/{held['id']}/capture"
    for data, param in (
        ({"final_capture": "false"}, "final_capture"),
        ({"application_fee_amount": "100"}, "application_fee_amount"),
        ({"transfer_data[destination]": "acct_1"}, "transfer_data"),
        ({"amount_to_capture": "2001"}, "amount_to_capture"),
    ):
        refused = http.post(path, data=data)
        assert refused.status_code == 400, data
        assert refused.json()["error"]["param"].startswith(param)
    assert http.get(f"/v1/payment_intents/{held['id']}").json()["status"] == "requires_capture"
    done = http.post(
        path,
        data={
            "final_capture": "true",
            "metadata[order]": "7",
            "statement_descriptor_suffix": "ORDER 7",
        },
    ).json()
    assert (done["status"], done["metadata"], done["statement_descriptor_suffix"]) == (
        "succeeded",
        {"order": "7"},
        "ORDER 7",
    )
    again = http.post(path)
    assert (again.status_code, again.json()["error"]["code"]) == (
        400,
        "payment_intent_unexpected_state",
    )
    checked_ledger()


def test_automatic_async_captures_at_once_and_the_method_is_chosen_before_confirming(
    http: httpx.Client,
) -> None:
    paid = http.post("/v1/payment_intents", data=HOLD | {"capture_method": "automatic_async"})
    assert (paid.json()["status"], paid.json()["capture_method"]) == (
        "succeeded",
        "automatic_async",
    )
    draft = http.post("/v1/payment_intents", data={"amount": "900", "currency": "usd"}).json()
    chosen = http.post(f"/v1/payment_intents/{draft['id']}", data={"capture_method": "manual"})
    assert chosen.json()["capture_method"] == "manual"
    held = http.post(
        f"/v1/payment_intents/{draft['id']}/confirm", data={"payment_method": "pm_card_visa"}
    ).json()
    assert held["status"] == "requires_capture"
    late = http.post(f"/v1/payment_intents/{draft['id']}", data={"capture_method": "automatic"})
    assert (late.status_code, late.json()["error"]["param"]) == (400, "capture_method")


def test_an_invoice_always_captures_at_once(http: httpx.Client) -> None:
    cus = http.post("/v1/customers", data={"name": "I"}).json()["id"]
    http.post("/v1/invoiceitems", data={"customer": cus, "amount": "2500", "currency": "usd"})
    draft = http.post(
        "/v1/invoices", data={"customer": cus, "pending_invoice_items_behavior": "include"}
    ).json()
    intent = http.post(f"/v1/invoices/{draft['id']}/finalize").json()["payment_intent"]
    refused = http.post(
        f"/v1/payment_intents/{intent}/confirm",
        data={"payment_method": "pm_card_visa", "capture_method": "manual"},
    )
    assert (refused.status_code, refused.json()["error"]["param"]) == (400, "capture_method")
    assert "always captured at once" in refused.json()["error"]["message"]
    paid = http.post(
        f"/v1/payment_intents/{intent}/confirm", data={"payment_method": "pm_card_visa"}
    ).json()
    assert (paid["status"], paid["capture_method"]) == ("succeeded", "automatic")


def test_a_held_authorization_keeps_its_amount_currency_customer_and_card(
    http: httpx.Client, checked_ledger: Callable[[], None]
) -> None:
    """What the card authorized is what a capture may take: an update that would change
    it is refused by name (Stripe raises a hold only by incremental authorization), and
    the hold stays as it was."""
    held = http.post("/v1/payment_intents", data=HOLD).json()
    customer = http.post("/v1/customers", data={"name": "Held"}).json()["id"]
    for param, value in (
        ("amount", "5000"),
        ("currency", "eur"),
        ("customer", customer),
        ("payment_method", "pm_card_mastercard"),
    ):
        refused = http.post(f"/v1/payment_intents/{held['id']}", data={param: value})
        error = refused.json()["error"]
        assert (refused.status_code, error["code"], error["param"]) == (
            400,
            "payment_intent_unexpected_state",
            param,
        )
    still = http.get(f"/v1/payment_intents/{held['id']}").json()
    assert (still["status"], still["amount"], still["amount_capturable"], still["customer"]) == (
        "requires_capture",
        2000,
        2000,
        None,
    )
    described = http.post(f"/v1/payment_intents/{held['id']}", data={"description": "kept"})
    assert described.json()["description"] == "kept"
    checked_ledger()
