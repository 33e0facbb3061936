"""Setup mode: the session saves a card through a SetupIntent, charges nothing, and
with `customer_creation=always` makes a customer who owns the card."""

from __future__ import annotations

import pytest

from tests.conftest import ledger_digest
from tests.payments.conftest import event_types
from tests.tick_helpers import freeze_clock
from tests.web.conftest import csrf


def test_a_setup_session_saves_the_card_for_a_new_customer_and_charges_nothing(
    ok, at_start, fill_in, checked_ledger
):
    made = ok("checkout", "sessions", "create", "--mode", "setup", "--customer-creation",
              "always", "--success-url", "https://shop.example/saved")  # fmt: skip
    assert (made["amount_total"], made["payment_status"], made["currency"]) == (
        0, "no_payment_required", None,
    )  # fmt: skip
    assert fill_in(made["url"], email="grace@example.com").status_code == 200
    done = ok("checkout", "sessions", "show", made["id"])
    assert (done["status"], done["payment_status"]) == ("complete", "no_payment_required")
    si = ok("setup-intents", "show", done["setup_intent"])
    assert (si["status"], si["usage"]) == ("succeeded", "off_session")
    card = ok("payment-methods", "show", si["payment_method"])
    assert card["customer"] == done["customer"]
    assert ok("customers", "show", done["customer"])["email"] == "grace@example.com"
    assert ok("charges", "list")["data"] == []
    assert "checkout.session.completed" in event_types(ok)
    checked_ledger()


def test_a_3ds_card_saved_in_setup_mode_completes_after_the_challenge(
    ok, at_start, fill_in, client, checked_ledger
):
    made = ok("checkout", "sessions", "create", "--mode", "setup",
              "--success-url", "https://shop.example/saved")  # fmt: skip
    answer = fill_in(made["url"], card="pm_card_authenticationRequiredOnSetup")
    assert answer.status_code == 303
    challenge = answer.headers["location"].removeprefix("http://127.0.0.1:4242")
    page = client.get(challenge)
    back = client.post(challenge, data={"csrf": csrf(page.text), "result": "complete"})
    assert "/return?" in back.text
    returned = back.text.split("url=")[1].split('"')[0].replace("&amp;", "&")
    done = client.get(returned.removeprefix("http://127.0.0.1:4242"))
    assert "https://shop.example/saved" in done.text
    assert ok("checkout", "sessions", "show", made["id"])["status"] == "complete"
    checked_ledger()


def _at_the_challenge(ok, fill_in) -> tuple[dict, str, str]:
    """A setup session whose card waits for the bank's challenge: the session, the
    challenge's path and the SetupIntent."""
    made = ok("checkout", "sessions", "create", "--mode", "setup",
              "--success-url", "https://shop.example/saved")  # fmt: skip
    answer = fill_in(made["url"], card="pm_card_authenticationRequiredOnSetup")
    assert answer.status_code == 303
    challenge = answer.headers["location"].removeprefix("http://127.0.0.1:4242")
    si = ok("checkout", "sessions", "show", made["id"])["setup_intent"]
    assert ok("setup-intents", "show", si)["status"] == "requires_action"
    return made, challenge, si


def test_an_expired_setup_session_cancels_the_setup_intent_waiting_for_its_challenge(
    ok, at_start, fill_in, checked_ledger
):
    """Stripe: a Checkout Session's SetupIntent is canceled by expiring the session."""
    made, _, si = _at_the_challenge(ok, fill_in)
    assert ok("checkout", "sessions", "expire", made["id"])["status"] == "expired"
    canceled = ok("setup-intents", "show", si)
    assert (canceled["status"], canceled["cancellation_reason"]) == ("canceled", "abandoned")
    assert "setup_intent.canceled" in event_types(ok)
    checked_ledger()


def test_a_challenge_passed_after_the_setup_session_expired_expires_it_and_saves_no_card(
    ok, at_start, fill_in, client, ledger_path, checked_ledger
):
    made, challenge, si = _at_the_challenge(ok, fill_in)
    page = client.get(challenge)
    freeze_clock(ledger_path, made["expires_at"])  # no tick has expired it yet
    answer = client.post(challenge, data={"csrf": csrf(page.text), "result": "complete"})
    assert "expired" in answer.text
    assert ok("checkout", "sessions", "show", made["id"])["status"] == "expired"
    assert ok("setup-intents", "show", si)["status"] == "canceled"
    assert all(card["customer"] is None for card in ok("payment-methods", "list")["data"])
    assert ok("customers", "list")["data"] == []
    checked_ledger()


@pytest.mark.parametrize("doing", ["confirm", "cancel"])
def test_a_setup_sessions_setup_intent_cannot_be_confirmed_or_canceled_directly(
    ok, at_start, fill_in, ledger_path, billcli, checked_ledger, doing
):
    """Stripe: "You can't confirm or cancel the SetupIntent for a Checkout Session"."""
    made, _, si = _at_the_challenge(ok, fill_in)
    before = ledger_digest(ledger_path)
    extra = ("--payment-method", "pm_card_visa") if doing == "confirm" else ()
    refused = billcli("setup-intents", doing, si, *extra)
    assert refused.code == 1
    assert refused.err.strip().splitlines() == [
        f"error: Invalid setup_intent: you cannot {doing} {si} directly; it belongs to "
        f"Checkout Session {made['id']} ("
        + ("expire the session instead" if doing == "cancel"
           else "its buyer pays on the session's page")
        + ")"
    ]  # fmt: skip
    assert ledger_digest(ledger_path) == before
    checked_ledger()
