"""PaymentIntents a caller makes: Stripe's status machine with the test cards (notes
§2), the wrong-state errors, the authentication page of an intent of no invoice, search
on intents and charges."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import ledger_digest
from tests.payments.conftest import csrf, page_path


def intent(ok: Callable[..., Any], *args: str) -> dict[str, Any]:
    return ok("payment-intents", "create", "--amount", "2000", "--currency", "usd", *args)  # type: ignore[no-any-return]


def test_an_intent_waits_for_a_method_then_a_confirmation_then_succeeds(
    ok: Callable[..., Any], customer: Callable[..., str], assert_valid: Any, checked_ledger: Any
) -> None:
    cus = customer()
    bare = intent(ok, "--customer", cus)
    assert (bare["status"], bare["invoice"], bare["amount_received"]) == (
        "requires_payment_method",
        None,
        0,
    )
    paid = ok("payment-intents", "confirm", bare["id"], "--payment-method", "pm_card_visa")
    assert (paid["status"], paid["amount_received"]) == ("succeeded", 2000)
    charge = ok("charges", "show", paid["latest_charge"])
    assert (charge["amount"], charge["customer"], charge["invoice"]) == (2000, cus, None)
    assert_valid(paid)
    assert_valid(charge)
    checked_ledger()


def test_a_decline_answers_402_with_the_intent_and_keeps_the_failed_charge(
    ok: Callable[..., Any], billcli: Any
) -> None:
    result = billcli(
        "payment-intents",
        "create",
        "--amount",
        "2000",
        "--currency",
        "usd",
        "--payment-method",
        "pm_card_chargeCustomerFail",
        "--confirm",
        "--json",
    )
    assert result.code == 4
    error = result.json["error"]
    assert (error["type"], error["code"], error["decline_code"]) == (
        "card_error",
        "card_declined",
        "generic_decline",
    )
    shown = ok("payment-intents", "show", error["payment_intent"]["id"])
    assert shown["status"] == "requires_payment_method"
    assert shown["latest_charge"] == error["charge"]
    assert ok("charges", "show", error["charge"])["status"] == "failed"


def test_off_session_a_card_that_needs_the_customer_declines_as_authentication_required(
    ok: Callable[..., Any], billcli: Any
) -> None:
    result = billcli(
        "payment-intents",
        "create",
        "--amount",
        "2000",
        "--currency",
        "usd",
        "--payment-method",
        "pm_card_authenticationRequired",
        "--confirm",
        "--off-session",
        "--json",
    )
    assert result.code == 4
    assert result.json["error"]["decline_code"] == "authentication_required"
    charge = ok("charges", "show", result.json["error"]["charge"])
    assert charge["outcome"]["reason"] == "authentication_required"


def test_on_session_it_waits_and_the_page_returns_to_the_return_url(
    ok: Callable[..., Any], client: TestClient
) -> None:
    waiting = intent(
        ok,
        "--payment-method",
        "pm_card_authenticationRequired",
        "--confirm",
        "--return-url",
        "https://shop.example/done",
    )
    assert waiting["status"] == "requires_action" and waiting["latest_charge"] is None
    step = waiting["next_action"]["redirect_to_url"]
    assert step["return_url"] == "https://shop.example/done"
    path = page_path(step["url"])
    assert path.startswith("/authenticate/")
    page = client.get(path)
    assert "$20.00" in page.text
    done = client.post(path, data={"csrf": csrf(page.text), "result": "complete"})
    assert "https://shop.example/done?payment_intent=" + waiting["id"] in done.text
    assert "redirect_status=succeeded" in done.text
    assert ok("payment-intents", "show", waiting["id"])["status"] == "succeeded"


def test_wrong_state_calls_are_refused_with_stripes_code_and_write_nothing(
    ok: Callable[..., Any], billcli: Any, ledger_path: Path
) -> None:
    done = intent(ok, "--payment-method", "pm_card_visa", "--confirm")
    dropped = ok("payment-intents", "cancel", intent(ok)["id"], "--reason", "abandoned")
    assert (dropped["status"], dropped["cancellation_reason"]) == ("canceled", "abandoned")
    fresh = intent(ok)
    before = ledger_digest(ledger_path)
    for args, fragment in (
        (("confirm", dropped["id"], "--payment-method", "pm_card_visa"), "status of canceled"),
        (("confirm", done["id"]), "already succeeded"),
        (("cancel", done["id"]), "status of succeeded"),
        (("cancel", dropped["id"]), "status of canceled"),
    ):
        result = billcli("payment-intents", *args, "--json")
        assert result.code == 1, args
        assert result.json["error"]["code"] == "payment_intent_unexpected_state"
        assert fragment in result.err
    missing = billcli("payment-intents", "confirm", fresh["id"])
    assert missing.code == 1 and "missing a payment method" in missing.err
    assert billcli("payment-intents", "show", "pi_" + "0" * 24).code == 6
    assert ledger_digest(ledger_path) == before


def test_search_finds_intents_and_charges_by_status_amount_and_metadata(
    ok: Callable[..., Any], billcli: Any, customer: Callable[..., str]
) -> None:
    cus = customer()
    big = intent(
        ok,
        "--customer",
        cus,
        "--payment-method",
        "pm_card_visa",
        "--confirm",
        "--metadata",
        "order=42",
    )
    billcli(
        "payment-intents",
        "create",
        "--amount",
        "700",
        "--currency",
        "usd",
        "--payment-method",
        "pm_card_chargeCustomerFail",
        "--confirm",
    )
    found = ok("payment-intents", "search", "status:'succeeded' AND amount>1000")["data"]
    assert [p["id"] for p in found] == [big["id"]]
    failed = ok("charges", "search", "status:'failed'")["data"]
    assert [c["amount"] for c in failed] == [700]
    assert ok("payment-intents", "search", "metadata['order']:'42'")["data"][0]["id"] == big["id"]
    ok("refunds", "create", "--charge", big["latest_charge"])
    refunded = ok("charges", "search", "refunded:'true'")["data"]
    assert [c["id"] for c in refunded] == [big["latest_charge"]]
    mine = ok("charges", "search", f"customer:'{cus}'")["data"]
    assert [c["id"] for c in mine] == [big["latest_charge"]]


def test_an_intent_below_the_minimum_charge_is_refused_in_stripes_words(
    refused: Any, at_start: int
) -> None:
    """Stripe's minimum charge for usd is $0.50: `amount_too_small`, "Amount must be at
    least $0.50 usd", naming the parameter (never in bare minor units); zero-decimal yen
    alike; an amount of nothing is no charge either."""
    done = refused(["payment-intents", "create", "--amount", "0.49", "--currency", "usd"], 1,
                   "Amount must be at least $0.50 usd")  # fmt: skip
    assert (done.json["error"]["param"], done.json["error"]["code"]) == (
        "amount",
        "amount_too_small",
    )
    refused(["payment-intents", "create", "--amount", "49", "--currency", "jpy"], 1,
            "Amount must be at least ¥50 jpy")  # fmt: skip
    refused(["payment-intents", "create", "--amount", "0", "--currency", "usd"], 1,
            "Amount must be at least $0.50 usd")  # fmt: skip


def test_listing_intents_by_an_unknown_status_is_refused_naming_it(
    ok: Callable[..., Any], billcli: Any
) -> None:
    """`--status bogus` is no status an intent can have: exit 1 naming `status` and
    the statuses there are, not an empty list."""
    intent(ok)
    done = billcli("payment-intents", "list", "--status", "bogus", "--json")
    assert done.code == 1 and done.json["error"]["param"] == "status"
    assert "Invalid status: 'bogus'" in done.err and "requires_action" in done.err
    listed = ok("payment-intents", "list", "--status", "requires_payment_method")["data"]
    assert len(listed) == 1
