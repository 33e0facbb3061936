"""One PaymentIntent per invoice, whatever path pays it (the clock and its retries,
`invoices pay`, the hosted page, a subscription's first invoice), each attempt at a card a
Charge with Stripe's decline codes; out-of-band payments make no charge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.payments.conftest import csrf, event_types, page_path


def charges_of(ok: Callable[..., Any], intent: str) -> list[dict[str, Any]]:
    """The intent's charges, oldest first."""
    return list(reversed(ok("charges", "list", "--payment-intent", intent, "--all")["data"]))


def test_finalizing_makes_the_invoices_one_intent_for_what_is_due(
    ok: Callable[..., Any], customer: Callable[..., str], open_invoice: Any, assert_valid: Any
) -> None:
    cus = customer()
    mark = ok("events", "list", "--limit", "1")["data"][0]["id"]
    invoice = open_invoice(cus, 2500)
    pi = ok("payment-intents", "show", invoice["payment_intent"])
    assert (pi["amount"], pi["currency"], pi["customer"], pi["invoice"]) == (
        2500,
        "usd",
        cus,
        invoice["id"],
    )
    assert (pi["status"], pi["latest_charge"], pi["description"]) == (
        "requires_payment_method",
        None,
        "Payment for Invoice",
    )
    assert pi["client_secret"].startswith(pi["id"] + "_secret_")
    assert invoice["charge"] is None
    types = event_types(ok, after=mark)
    assert types.index("payment_intent.created") < types.index("invoice.finalized")
    assert_valid(pi)


def test_declines_and_the_payment_are_charges_of_the_same_intent(
    ok: Callable[..., Any],
    billcli: Any,
    customer: Callable[..., str],
    open_invoice: Any,
    assert_valid: Any,
    checked_ledger: Any,
) -> None:
    cus = customer()
    invoice = open_invoice(cus, 2500)
    declined = billcli(
        "invoices",
        "pay",
        invoice["id"],
        "--payment-method",
        "pm_card_visa_chargeDeclinedInsufficientFunds",
        "--json",
    )
    assert declined.code == 4
    error = declined.json["error"]
    assert (error["type"], error["code"], error["decline_code"]) == (
        "card_error",
        "card_declined",
        "insufficient_funds",
    )
    assert (
        error["charge"].startswith("ch_")
        and error["payment_intent"]["id"] == (invoice["payment_intent"])
    )
    failed = ok("charges", "show", error["charge"])
    assert (failed["status"], failed["paid"], failed["amount"], failed["failure_code"]) == (
        "failed",
        False,
        2500,
        "card_declined",
    )
    assert failed["failure_message"] == "Your card has insufficient funds."
    assert failed["outcome"]["type"] == "issuer_declined"
    assert failed["outcome"]["reason"] == "insufficient_funds"
    assert failed["payment_method_details"]["card"]["last4"] == "9995"
    assert failed["invoice"] == invoice["id"]
    waiting = ok("payment-intents", "show", invoice["payment_intent"])
    assert (waiting["status"], waiting["payment_method"], waiting["latest_charge"]) == (
        "requires_payment_method",
        None,
        failed["id"],
    )
    assert waiting["last_payment_error"]["decline_code"] == "insufficient_funds"
    assert waiting["last_payment_error"]["payment_method"]["card"]["last4"] == "9995"
    mark = ok("events", "list", "--limit", "1")["data"][0]["id"]
    paid = ok("invoices", "pay", invoice["id"])
    assert (paid["status"], paid["amount_paid"], paid["payment_intent"]) == (
        "paid",
        2500,
        invoice["payment_intent"],
    )
    done = ok("payment-intents", "show", invoice["payment_intent"])
    assert (done["status"], done["amount_received"]) == ("succeeded", 2500)
    assert paid["charge"] == done["latest_charge"] != failed["id"]
    charges = charges_of(ok, invoice["payment_intent"])
    assert [c["status"] for c in charges] == ["failed", "succeeded"]
    assert charges[1]["outcome"]["seller_message"] == "Payment complete."
    assert (
        charges[1]["payment_method"]
        == ok("customers", "show", cus)["invoice_settings"]["default_payment_method"]
    )
    assert event_types(ok, after=mark)[:5] == [
        "charge.succeeded",
        "payment_intent.succeeded",
        "invoice_payment.paid",
        "invoice.payment_succeeded",
        "invoice.paid",
    ]
    for shown in (*charges, done, failed):
        assert_valid(shown)
    checked_ledger()


# The decline cards (notes §1.3): failure_code and the issuer's reason.
DECLINES = [
    ("pm_card_visa_chargeDeclined", "card_declined", "generic_decline"),
    ("pm_card_visa_chargeDeclinedLostCard", "card_declined", "lost_card"),
    ("pm_card_visa_chargeDeclinedStolenCard", "card_declined", "stolen_card"),
    ("pm_card_chargeDeclinedExpiredCard", "expired_card", None),
    ("pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", None),
    ("pm_card_chargeDeclinedProcessingError", "processing_error", None),
    (
        "pm_card_visa_chargeDeclinedVelocityLimitExceeded",
        "card_declined",
        "card_velocity_exceeded",
    ),
]


@pytest.mark.parametrize(("card", "code", "reason"), DECLINES)
def test_each_decline_card_fails_its_charge_with_stripes_code(
    ok: Callable[..., Any],
    billcli: Any,
    customer: Callable[..., str],
    open_invoice: Any,
    card: str,
    code: str,
    reason: str | None,
) -> None:
    invoice = open_invoice(customer())
    result = billcli("invoices", "pay", invoice["id"], "--payment-method", card, "--json")
    assert result.code == 4
    assert result.json["error"]["code"] == code
    assert result.json["error"].get("decline_code") == reason
    charge = ok("charges", "show", result.json["error"]["charge"])
    assert (charge["failure_code"], charge["outcome"]["reason"]) == (code, reason or code)
    shown = ok("invoices", "show", invoice["id"])
    assert (shown["status"], shown["attempt_count"], shown["attempted"]) == ("open", 1, True)


def test_the_clock_and_its_retries_charge_through_the_same_intent(
    ok: Callable[..., Any], customer: Callable[..., str], checked_ledger: Any
) -> None:
    cus = customer(card="pm_card_chargeCustomerFail")
    ok("invoices", "items", "create", "--customer", cus, "--amount", "4000")
    draft = ok("invoices", "create", "--customer", cus, "--pending-items", "include")
    ok("invoices", "tick", "--by", "15d")  # finalized an hour on, then 8 attempts in 14 days
    invoice = ok("invoices", "show", draft["id"])
    assert invoice["attempt_count"] == 8 and invoice["next_payment_attempt"] is None
    charges = charges_of(ok, invoice["payment_intent"])
    assert len(charges) == 8 and {c["status"] for c in charges} == {"failed"}
    assert {c["outcome"]["reason"] for c in charges} == {"generic_decline"}
    assert [c["id"] for c in ok("payment-intents", "list", "--customer", cus)["data"]] == [
        invoice["payment_intent"]
    ]
    checked_ledger()


def test_the_hosted_page_pays_through_the_invoices_intent(
    ok: Callable[..., Any], client: TestClient, customer: Callable[..., str], open_invoice: Any
) -> None:
    invoice = open_invoice(customer(), 1500)
    path = page_path(invoice["hosted_invoice_url"])
    page = client.get(path).text
    paid = client.post(path + "/pay", data={"csrf": csrf(page), "payment_method": "pm_card_amex"})
    assert "this invoice is paid" in paid.text
    (charge,) = charges_of(ok, invoice["payment_intent"])
    assert charge["payment_method_details"]["card"]["brand"] == "amex"
    assert ok("payment-methods", "show", charge["payment_method"])["customer"] is None


def test_a_subscriptions_first_invoice_is_paid_through_its_intent(
    ok: Callable[..., Any], customer: Callable[..., str], monthly: str
) -> None:
    sub = ok("subscriptions", "create", "--customer", customer(), "--price", monthly)
    first = ok("invoices", "show", sub["latest_invoice"])
    pi = ok("payment-intents", "show", first["payment_intent"])
    assert (pi["status"], pi["amount"], pi["description"]) == (
        "succeeded",
        2000,
        "Subscription creation",
    )
    assert first["charge"] == pi["latest_charge"]


def test_out_of_band_payment_makes_no_charge_and_cancels_the_intent(
    ok: Callable[..., Any], customer: Callable[..., str], open_invoice: Any, checked_ledger: Any
) -> None:
    invoice = open_invoice(customer(), 1800)
    paid = ok("invoices", "pay", invoice["id"], "--paid-out-of-band")
    assert paid["status"] == "paid" and paid["charge"] is None
    pi = ok("payment-intents", "show", invoice["payment_intent"])
    assert (pi["status"], pi["amount_received"]) == ("canceled", 0)
    assert charges_of(ok, pi["id"]) == []
    checked_ledger()


def test_voiding_an_invoice_cancels_its_intent_with_void_invoice(
    ok: Callable[..., Any], billcli: Any, customer: Callable[..., str], open_invoice: Any
) -> None:
    invoice = open_invoice(customer(), 900)
    ok("invoices", "void", invoice["id"])
    pi = ok("payment-intents", "show", invoice["payment_intent"])
    assert (pi["status"], pi["cancellation_reason"]) == ("canceled", "void_invoice")
    again = billcli("payment-intents", "confirm", pi["id"], "--payment-method", "pm_card_visa")
    assert again.code == 1 and "status of canceled" in again.err


def test_an_invoices_intent_is_canceled_only_through_its_invoice(
    ok: Callable[..., Any], billcli: Any, customer: Callable[..., str], open_invoice: Any
) -> None:
    invoice = open_invoice(customer(), 900)
    refused = billcli("payment-intents", "cancel", invoice["payment_intent"])
    assert refused.code == 1 and "belongs to invoice" in refused.err
    confirmed = ok("payment-intents", "confirm", invoice["payment_intent"])
    assert confirmed["status"] == "succeeded"
    assert ok("invoices", "show", invoice["id"])["status"] == "paid"


def test_the_intent_asks_for_what_a_credit_note_leaves_due(
    ok: Callable[..., Any], customer: Callable[..., str], open_invoice: Any
) -> None:
    invoice = open_invoice(customer(), 5000)
    note = ok("credit-notes", "create", "--invoice", invoice["id"], "--amount", "1200")
    assert ok("payment-intents", "show", invoice["payment_intent"])["amount"] == 3800
    ok("credit-notes", "void", note["id"])
    assert ok("payment-intents", "show", invoice["payment_intent"])["amount"] == 5000
    ok("credit-notes", "create", "--invoice", invoice["id"], "--amount", "1200")
    paid = ok("invoices", "pay", invoice["id"])
    assert ok("charges", "show", paid["charge"])["amount"] == paid["amount_paid"] == 3800


def test_paying_a_draft_finalizes_it_first_as_stripes_api_does(
    ok: Callable[..., Any], customer: Callable[..., str], checked_ledger: Any
) -> None:
    cus = customer()
    ok("invoices", "items", "create", "--customer", cus, "--amount", "1900")
    draft = ok(
        "invoices", "create", "--customer", cus, "--pending-items", "include", "--no-auto-advance"
    )
    paid = ok("invoices", "pay", draft["id"])
    assert (paid["status"], paid["amount_paid"], paid["number"] is not None) == ("paid", 1900, True)
    assert ok("payment-intents", "show", paid["payment_intent"])["status"] == "succeeded"
    checked_ledger()
