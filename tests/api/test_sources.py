"""Card sources and tokens, from Stripe's reference for cards, tokens and the customer's
`source`/`default_source`: a token is used once, a test token any number of times; the
default source is charged when no default payment method is set; a subscription's card
cannot be deleted from under it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2 as httpx

from tests.api.conftest import recurring_price
from tests.conftest import ledger_digest


def test_a_token_of_a_test_card_number_becomes_a_card_source_once(
    http: httpx.Client,
    ledger_path: Path,
    assert_valid: Callable[..., None],
    checked_ledger: Callable[[], None],
) -> None:
    token = http.post(
        "/v1/tokens",
        data={
            "card[number]": "5555555555554444",
            "card[exp_month]": "7",
            "card[exp_year]": "2040",
            "card[cvc]": "123",
            "card[name]": "Ada Lovelace",
            "card[address_zip]": "94107",
        },
    ).json()
    assert_valid(token)
    assert_valid(token["card"])
    assert (token["used"], token["card"]["brand"], token["card"]["last4"]) == (
        False,
        "MasterCard",
        "4444",
    )
    cus = http.post("/v1/customers", data={"source": token["id"]}).json()
    assert cus["default_source"] == token["card"]["id"]
    card = http.get(f"/v1/customers/{cus['id']}/sources/{token['card']['id']}").json()
    assert_valid(card)
    assert (card["name"], card["address_zip"], card["exp_month"], card["customer"]) == (
        "Ada Lovelace",
        "94107",
        7,
        cus["id"],
    )
    assert http.get(f"/v1/tokens/{token['id']}").json()["used"] is True
    before = ledger_digest(ledger_path)
    again = http.post(f"/v1/customers/{cus['id']}/sources", data={"source": token["id"]})
    error = again.json()["error"]
    assert (again.status_code, error["code"], error["param"]) == (
        400,
        "token_already_used",
        "source",
    )
    assert error["message"] == f"You cannot use a Stripe token more than once: {token['id']}."
    assert ledger_digest(ledger_path) == before
    checked_ledger()


def test_sources_and_cards_list_create_update_and_delete_a_customers_cards(
    http: httpx.Client, assert_valid: Callable[..., None], checked_ledger: Callable[[], None]
) -> None:
    cus = http.post("/v1/customers", data={"name": "Bo"}).json()["id"]
    visa = http.post(f"/v1/customers/{cus}/sources", data={"source": "tok_visa"}).json()
    amex = http.post(f"/v1/customers/{cus}/cards", data={"card": "tok_amex"}).json()
    assert (visa["brand"], amex["brand"]) == ("Visa", "American Express")
    listed = http.get(f"/v1/customers/{cus}/sources", params={"object": "card"}).json()
    assert [c["id"] for c in listed["data"]] == [amex["id"], visa["id"]]  # newest first
    assert (
        http.get(f"/v1/customers/{cus}/sources", params={"object": "bank_account"}).json()["data"]
        == []
    )
    assert http.get(f"/v1/customers/{cus}").json()["default_source"] == visa["id"]  # the first
    updated = http.post(
        f"/v1/customers/{cus}/sources/{visa['id']}",
        data={"name": "Bo B", "exp_year": "2041", "metadata[use]": "office"},
    ).json()
    assert (updated["name"], updated["exp_year"], updated["metadata"]) == (
        "Bo B",
        2041,
        {"use": "office"},
    )
    (event,) = http.get("/v1/events", params={"type": "customer.source.updated"}).json()["data"]
    assert event["data"]["previous_attributes"]["name"] is None
    deleted = http.delete(f"/v1/customers/{cus}/sources/{visa['id']}").json()
    assert_valid(deleted)
    assert http.get(f"/v1/customers/{cus}").json()["default_source"] == amex["id"]
    kinds = {
        e["type"]
        for e in http.get("/v1/events", params={"type": "customer.source.*"}).json()["data"]
    }
    assert kinds == {
        "customer.source.created",
        "customer.source.updated",
        "customer.source.deleted",
    }
    checked_ledger()


def test_the_default_source_is_charged_when_no_default_payment_method_is_set(
    http: httpx.Client, checked_ledger: Callable[[], None]
) -> None:
    cus = http.post("/v1/customers", data={"source": "tok_visa"}).json()
    sub = http.post(
        "/v1/subscriptions",
        data={"customer": cus["id"], "items[0][price]": recurring_price(http, 1500)},
    ).json()
    assert sub["status"] == "active"
    invoice = http.get(f"/v1/invoices/{sub['latest_invoice']}").json()
    assert (invoice["status"], invoice["amount_paid"]) == ("paid", 1500)
    charge = http.get(f"/v1/charges/{invoice['charge']}").json()
    assert charge["payment_method"] == cus["default_source"]  # the card_ pays as a method
    as_method = http.get(f"/v1/payment_methods/{cus['default_source']}").json()
    assert (as_method["object"], as_method["card"]["last4"]) == ("payment_method", "4242")
    checked_ledger()


def test_a_subscriptions_card_cannot_be_deleted_and_a_decline_token_cannot_be_saved(
    http: httpx.Client, ledger_path: Path
) -> None:
    cus = http.post("/v1/customers", data={"source": "tok_mastercard"}).json()
    card = cus["default_source"]
    http.post(
        "/v1/subscriptions",
        data={
            "customer": cus["id"],
            "items[0][price]": recurring_price(http, 900),
            "default_payment_method": card,
        },
    )
    before = ledger_digest(ledger_path)
    refused = http.delete(f"/v1/customers/{cus['id']}/sources/{card}")
    assert refused.status_code == 400 and refused.json()["error"]["param"] == "source"
    declined = http.post(
        f"/v1/customers/{cus['id']}/sources", data={"source": "tok_chargeDeclined"}
    )
    assert (declined.status_code, declined.json()["error"]["type"]) == (402, "card_error")
    wrong = http.post("/v1/tokens", data={"card[number]": "4111111111111112"})
    assert wrong.json()["error"]["code"] == "incorrect_number"
    assert ledger_digest(ledger_path) == before


def test_source_on_update_replaces_the_default_card_which_is_deleted(
    http: httpx.Client, checked_ledger: Callable[[], None]
) -> None:
    cus = http.post("/v1/customers", data={"source": "tok_visa"}).json()
    old = cus["default_source"]
    changed = http.post(f"/v1/customers/{cus['id']}", data={"source": "tok_mastercard"}).json()
    assert changed["default_source"] not in (None, old)
    gone = http.get(f"/v1/customers/{cus['id']}/sources/{old}")
    assert gone.status_code == 404
    expanded = http.get(
        f"/v1/customers/{cus['id']}", params={"expand[]": ["sources", "default_source"]}
    ).json()
    listed: list[dict[str, Any]] = expanded["sources"]["data"]
    assert [c["id"] for c in listed] == [changed["default_source"]]
    assert expanded["default_source"]["last4"] == "4444"
    checked_ledger()
