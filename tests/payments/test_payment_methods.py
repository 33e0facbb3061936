"""Payment methods made from Stripe's test tokens: their cards, attaching and detaching,
the customer's default, and the refusals (notes §1, §5; billcli-decisions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.payments.conftest import event_types

# Stripe's testing page: token, brand, last four digits of the number, funding, country.
CARDS = [
    ("pm_card_visa", "visa", "4242", "credit", "US"),
    ("tok_visa", "visa", "4242", "credit", "US"),
    ("pm_card_visa_debit", "visa", "5556", "debit", "US"),
    ("pm_card_mastercard", "mastercard", "4444", "credit", "US"),
    ("tok_mastercard_prepaid", "mastercard", "5100", "prepaid", "US"),
    ("pm_card_amex", "amex", "8431", "credit", "US"),  # billcli-decisions: 8431
    ("pm_card_jcb", "jcb", "0505", "credit", "JP"),
    ("pm_card_authenticationRequired", "visa", "3184", "credit", "DE"),
    ("pm_card_authenticationRequiredOnSetup", "visa", "3155", "credit", "FR"),
    ("pm_card_threeDSecure2Required", "visa", "3220", "credit", "US"),
    ("pm_card_chargeCustomerFail", "visa", "0341", "credit", "US"),
]


@pytest.mark.parametrize(("token", "brand", "last4", "funding", "country"), CARDS)
def test_a_test_token_makes_a_card_with_its_brand_last4_expiry_and_country(
    ok: Callable[..., Any],
    assert_valid: Any,
    token: str,
    brand: str,
    last4: str,
    funding: str,
    country: str,
) -> None:
    made = ok("payment-methods", "create", "--token", token)
    assert made["id"].startswith("pm_") and made["id"] != token
    card = made["card"]
    assert (card["brand"], card["last4"], card["funding"], card["country"]) == (
        brand,
        last4,
        funding,
        country,
    )
    assert card["exp_year"] > 2026 and 1 <= card["exp_month"] <= 12
    assert made["customer"] is None and made["type"] == "card"
    assert_valid(made)


def test_every_use_of_a_token_is_a_new_method_with_the_cards_fingerprint(
    ok: Callable[..., Any],
) -> None:
    first = ok("payment-methods", "create", "--token", "pm_card_visa")
    second = ok("payment-methods", "create", "--token", "tok_visa")
    other = ok("payment-methods", "create", "--token", "pm_card_mastercard")
    assert first["id"] != second["id"]
    assert first["card"]["fingerprint"] == second["card"]["fingerprint"]
    assert first["card"]["fingerprint"] != other["card"]["fingerprint"]
    assert len(first["card"]["fingerprint"]) == 16 and first["card"]["fingerprint"].isalnum()


def test_create_with_a_customer_attaches_with_exactly_one_event(
    ok: Callable[..., Any], customer: Callable[..., str], checked_ledger: Any
) -> None:
    cus = customer(card=None)
    mark = ok("events", "list", "--limit", "1")["data"][0]["id"]
    made = ok("payment-methods", "create", "--token", "pm_card_visa", "--customer", cus)
    assert made["customer"] == cus
    assert event_types(ok, after=mark) == ["payment_method.attached"]
    listed = ok("payment-methods", "list", "--customer", cus)["data"]
    assert [m["id"] for m in listed] == [made["id"]]
    assert ok("payment-methods", "show", made["id"]) == made
    assert ok("customers", "show", cus)["invoice_settings"]["default_payment_method"] is None
    checked_ledger()


def test_attach_detach_and_the_default_follow_stripe(
    ok: Callable[..., Any], customer: Callable[..., str], events: Any, checked_ledger: Any
) -> None:
    cus = customer(card=None)
    loose = ok("payment-methods", "create", "--token", "pm_card_mastercard")
    attached = ok("payment-methods", "attach", loose["id"], "--customer", cus)
    assert attached["customer"] == cus
    assert events("payment_method.attached")[-1]["data"]["object"]["id"] == loose["id"]
    defaulted = ok("customers", "update", cus, "--default-payment-method", loose["id"])
    assert defaulted["invoice_settings"]["default_payment_method"] == loose["id"]
    detached = ok("payment-methods", "detach", loose["id"])
    assert detached["customer"] is None
    assert events("payment_method.detached")[-1]["data"]["object"]["customer"] is None
    cleared = ok("customers", "show", cus)
    assert cleared["invoice_settings"]["default_payment_method"] is None
    updated = events("customer.updated")[-1]["data"]
    assert (
        updated["previous_attributes"]["invoice_settings"]["default_payment_method"]
        == (loose["id"])
    )
    assert ok("payment-methods", "list", "--customer", cus)["data"] == []
    checked_ledger()


def test_an_update_records_what_changed(
    ok: Callable[..., Any], customer: Callable[..., str], events: Any
) -> None:
    cus = customer(card=None)
    made = ok("payment-methods", "create", "--token", "pm_card_visa", "--customer", cus)
    changed = ok(
        "payment-methods",
        "update",
        made["id"],
        "--billing-name",
        "Ada L.",
        "--metadata",
        "wallet=main",
    )
    assert changed["billing_details"]["name"] == "Ada L." and changed["metadata"] == {
        "wallet": "main"
    }
    event = events("payment_method.updated")[-1]["data"]
    assert event["previous_attributes"]["metadata"] == {}
    assert event["previous_attributes"]["billing_details"]["name"] is None


BAD = [
    # An unknown token names nothing: exit 6 (billcli-decisions).
    (["payment-methods", "create", "--token", "tok_nonsense"], 6, "No such PaymentMethod"),
    (["payment-methods", "show", "pm_" + "0" * 24], 6, "No such PaymentMethod"),
    (["payment-methods", "show", "cus_123"], 1, "not a payment method id"),
    # A card source is a payment method (issue 35): an unknown card_ id names nothing.
    (["payment-methods", "show", "card_123"], 6, "No such PaymentMethod"),
    # A decline card cannot be saved: a card error, exit 4.
    (
        [
            "payment-methods",
            "create",
            "--token",
            "pm_card_visa_chargeDeclined",
            "--customer",
            "{cus}",
        ],
        4,
        "Your card was declined.",
    ),
    (
        ["payment-methods", "attach", "pm_card_chargeDeclinedExpiredCard", "--customer", "{cus}"],
        4,
        "Your card has expired.",
    ),
    # Attached to another customer: names something that cannot be used, exit 1.
    (
        ["payment-methods", "attach", "{other_pm}", "--customer", "{cus}"],
        1,
        "already been attached to a customer",
    ),
    (
        ["customers", "update", "{cus}", "--default-payment-method", "{other_pm}"],
        1,
        "does not have a payment method",
    ),
    (
        ["invoices", "pay", "{invoice}", "--payment-method", "{other_pm}"],
        1,
        "attached to another customer",
    ),
    (["payment-methods", "detach", "{loose_pm}"], 1, "is not attached to a customer"),
    (["payment-methods", "detach", "{sub_pm}"], 1, "default payment method of subscription"),
    (
        ["payment-methods", "attach", "{detached_pm}", "--customer", "{cus}"],
        1,
        "may not be used again",
    ),
    (["payment-methods", "list", "--type", "sepa_debit"], 1, "Invalid type"),
]


@pytest.fixture
def states(
    ok: Callable[..., Any],
    customer: Callable[..., str],
    monthly: str,
    open_invoice: Callable[..., dict[str, Any]],
) -> dict[str, str]:
    cus, other = customer(), customer(name="Bob")
    other_pm = ok("customers", "show", other)["invoice_settings"]["default_payment_method"]
    sub_owner = customer(card=None, name="Cy")
    sub = ok(
        "subscriptions",
        "create",
        "--customer",
        sub_owner,
        "--price",
        monthly,
        "--default-payment-method",
        "pm_card_visa",
    )
    gone = ok("payment-methods", "create", "--token", "pm_card_visa", "--customer", cus)["id"]
    ok("payment-methods", "detach", gone)
    return {
        "{cus}": cus,
        "{other_pm}": other_pm,
        "{invoice}": open_invoice(cus)["id"],
        "{loose_pm}": ok("payment-methods", "create", "--token", "pm_card_visa")["id"],
        "{sub_pm}": sub["default_payment_method"],
        "{detached_pm}": gone,
    }


@pytest.mark.parametrize(("args", "code", "fragment"), BAD, ids=[" ".join(b[0])[:60] for b in BAD])
def test_bad_payment_method_input_is_one_line_with_its_code_and_writes_nothing(
    refused: Any, states: dict[str, str], args: list[str], code: int, fragment: str
) -> None:
    refused([states.get(a, a) for a in args], code, fragment)
