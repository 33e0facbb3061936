"""SetupIntents: a card saved at once, after the customer authenticates, or refused
(notes §4; SAVE's table), and the portal's "add a card" through one."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape as html_unescape
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import ledger_digest
from tests.payments.conftest import csrf, event_types, page_path
from tests.web.test_portal_pages import open_portal, session_path


def confirmed(ok: Callable[..., Any], customer: str, card: str, *usage: str) -> dict[str, Any]:
    return ok(
        "setup-intents",
        "create",
        "--customer",
        customer,
        "--payment-method",
        card,  # type: ignore[no-any-return]
        "--confirm",
        *usage,
    )


def test_a_plain_card_is_saved_at_once_and_attached(
    ok: Callable[..., Any], customer: Callable[..., str], assert_valid: Any, checked_ledger: Any
) -> None:
    cus = customer(card=None)
    mark = ok("events", "list", "--limit", "1")["data"][0]["id"]
    made = confirmed(ok, cus, "pm_card_visa")
    assert (made["status"], made["usage"], made["next_action"]) == (
        "succeeded",
        "off_session",
        None,
    )
    method = ok("payment-methods", "show", made["payment_method"])
    assert (method["customer"], method["card"]["last4"]) == (cus, "4242")
    assert event_types(ok, after=mark) == [
        "setup_intent.created",
        "payment_method.attached",
        "setup_intent.succeeded",
    ]
    assert_valid(made)
    checked_ledger()


def test_a_card_that_authenticates_on_setup_waits_then_is_saved(
    ok: Callable[..., Any], customer: Callable[..., str], client: TestClient
) -> None:
    cus = customer(card=None)
    made = confirmed(ok, cus, "pm_card_authenticationRequiredOnSetup")
    assert made["status"] == "requires_action"
    assert ok("payment-methods", "list", "--customer", cus)["data"] == []
    url = page_path(made["next_action"]["redirect_to_url"]["url"])
    assert url.startswith("/authenticate/")
    page = client.get(url)
    assert "that your card may be saved" in page.text
    done = client.post(url, data={"csrf": csrf(page.text), "result": "complete"})
    assert done.status_code == 200 and "Authentication complete" in done.text
    saved = ok("setup-intents", "show", made["id"])
    assert saved["status"] == "succeeded"
    assert ok("payment-methods", "show", saved["payment_method"])["customer"] == cus


def test_a_failed_setup_authentication_saves_nothing(
    ok: Callable[..., Any], customer: Callable[..., str], client: TestClient
) -> None:
    cus = customer(card=None)
    made = confirmed(ok, cus, "pm_card_authenticationRequired")
    url = page_path(made["next_action"]["redirect_to_url"]["url"])
    client.post(url, data={"csrf": csrf(client.get(url).text), "result": "fail"})
    failed = ok("setup-intents", "show", made["id"])
    assert (failed["status"], failed["last_setup_error"]["code"]) == (
        "requires_payment_method",
        "setup_intent_authentication_failure",
    )
    assert ok("payment-methods", "list", "--customer", cus)["data"] == []
    assert "setup_intent.setup_failed" in event_types(ok)


def test_a_decline_card_is_refused_at_setup_with_the_attempt_recorded(
    ok: Callable[..., Any], billcli: Any, customer: Callable[..., str]
) -> None:
    cus = customer(card=None)
    made = ok("setup-intents", "create", "--customer", cus)
    result = billcli(
        "setup-intents",
        "confirm",
        made["id"],
        "--payment-method",
        "pm_card_visa_chargeDeclinedInsufficientFunds",
        "--json",
    )
    assert result.code == 4
    error = result.json["error"]
    assert (error["code"], error["decline_code"]) == ("card_declined", "insufficient_funds")
    assert error["setup_intent"]["id"] == made["id"]
    shown = ok("setup-intents", "show", made["id"])
    assert shown["last_setup_error"]["decline_code"] == "insufficient_funds"
    assert shown["status"] == "requires_payment_method"


def test_a_canceled_setup_intent_cannot_be_confirmed(
    ok: Callable[..., Any], billcli: Any, customer: Callable[..., str], ledger_path: Path
) -> None:
    made = ok("setup-intents", "create", "--customer", customer(card=None))
    canceled = ok("setup-intents", "cancel", made["id"], "--reason", "abandoned")
    assert (canceled["status"], canceled["cancellation_reason"]) == ("canceled", "abandoned")
    before = ledger_digest(ledger_path)
    result = billcli(
        "setup-intents", "confirm", made["id"], "--payment-method", "pm_card_visa", "--json"
    )
    assert result.code == 1
    assert result.json["error"]["code"] == "setup_intent_unexpected_state"
    assert ledger_digest(ledger_path) == before


def test_the_portal_adds_a_card_through_a_setup_intent_even_one_that_authenticates(
    ok: Callable[..., Any], customer: Callable[..., str], client: TestClient, checked_ledger: Any
) -> None:
    cus = customer()
    ok("portal", "configurations", "create")
    html = open_portal(client, session_path(ok, cus))
    saved = client.post(
        "/p/portal/payment-method",
        data={"csrf": csrf(html), "payment_method": "pm_card_mastercard"},
    )
    assert "Your card was saved." in saved.text
    (first,) = ok("setup-intents", "list", "--customer", cus)["data"]
    default = ok("customers", "show", cus)["invoice_settings"]["default_payment_method"]
    assert first["status"] == "succeeded" and first["payment_method"] == default
    challenge = client.post(
        "/p/portal/payment-method",
        follow_redirects=False,
        data={"csrf": csrf(html), "payment_method": "pm_card_authenticationRequired"},
    )
    assert challenge.status_code == 303
    path = page_path(challenge.headers["location"])
    page = client.get(path)
    done = client.post(path, data={"csrf": csrf(page.text), "result": "complete"})
    onward = re.search(r'<a href="([^"]+)">Continue', done.text)
    assert onward, done.text
    back = client.get(page_path(html_unescape(onward.group(1))))
    assert back.status_code == 200 and "Your card was saved." in back.text
    now = ok("customers", "show", cus)["invoice_settings"]["default_payment_method"]
    assert ok("payment-methods", "show", now)["card"]["last4"] == "3184"
    checked_ledger()


def test_a_card_set_up_for_off_session_stays_so_after_a_payment_saving_it_on_session(
    ok: Callable[..., Any],
    billcli: Any,
    customer: Callable[..., str],
    client: TestClient,
    ledger_path: Path,
    checked_ledger: Any,
) -> None:
    """Card 3155 set up off-session by a SetupIntent of no customer, then saved to a
    customer by a payment with `setup_future_usage=on_session`: it stays set up (what a
    succeeded off-session setup did, no later intent undoes), so an off-session payment
    with it goes through without the customer."""
    from billcli.services.payments.payment_intents import IntentInput, create
    from billcli.store.ledger import Ledger

    made = ok("setup-intents", "create", "--payment-method",
              "pm_card_authenticationRequiredOnSetup", "--confirm")  # fmt: skip
    url = page_path(made["next_action"]["redirect_to_url"]["url"])
    page = client.get(url)
    client.post(url, data={"csrf": csrf(page.text), "result": "complete"})
    card = ok("setup-intents", "show", made["id"])["payment_method"]
    cus = customer(card=None)
    with Ledger(ledger_path) as ledger:
        paid = create(ledger, IntentInput(amount="2000", currency="usd", customer=cus,
                                          payment_method=card, confirm=True,
                                          setup_future_usage="on_session"))  # fmt: skip
    assert paid["status"] == "requires_action"  # on-session, 3155 asks every time
    url = page_path(paid["next_action"]["redirect_to_url"]["url"])
    page = client.get(url)
    client.post(url, data={"csrf": csrf(page.text), "result": "complete"})
    assert ok("payment-methods", "show", card)["customer"] == cus
    away = ok("payment-intents", "create", "--amount", "2000", "--currency", "usd", "--customer",
              cus, "--payment-method", card, "--confirm", "--off-session")  # fmt: skip
    assert away["status"] == "succeeded"
    checked_ledger()
