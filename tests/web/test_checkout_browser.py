"""Checkout end to end in real headless Chromium, against `billcli portal serve`: a
customer signs up on the hosted checkout page with a card that asks for 3-D Secure,
completes the challenge, lands on the merchant's success URL with the session's id, and
the merchant's webhook receives `checkout.session.completed`, verified by the stripe
library. The subscription is active, its first invoice paid with the card saved.

Runs where the portal's browser test runs (BILLCLI_REQUIRE_BROWSER fails it instead of
skipping when Chromium is missing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.payments.conftest import at_start, monthly  # noqa: F401  (the fixtures)
from tests.web.test_portal_browser import browser, server, shop_url  # noqa: F401
from tests.webhooks.receiver import Receiver, running_receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def test_a_customer_subscribes_through_checkout_with_3ds_and_the_webhook_arrives(
    server: str,  # noqa: F811
    browser: Any,  # noqa: F811
    shop_url: str,  # noqa: F811
    monthly: str,  # noqa: F811
    receiver: Receiver,
    ok: Callable[..., Any],
    checked_ledger: Callable[[], None],
) -> None:
    endpoint = ok(
        "webhooks", "create", "--url", receiver.url, "--events", "checkout.session.completed"
    )
    receiver.secrets.append(endpoint["secret"])
    made = ok(
        "checkout",
        "sessions",
        "create",
        "--mode",
        "subscription",
        "--price",
        f"{monthly}:3",
        "--success-url",
        f"{shop_url}?session={{CHECKOUT_SESSION_ID}}",
        "--cancel-url",
        shop_url,
    )
    # Three seats of $20.00 a month, due today in full.
    assert (made["amount_subtotal"], made["amount_total"]) == (6000, 6000)

    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(made["url"])
    assert page.locator("#total").inner_text() == "$60.00"
    page.fill("#email", "ada@example.com")
    page.select_option("#card", "pm_card_authenticationRequired")
    page.click("#submit")
    page.wait_for_selector("#challenge")
    page.click("#test-source-authorize-3ds")
    page.wait_for_url(f"{shop_url}?session={made['id']}")
    assert "Back at Acme" in page.content()

    done = ok("checkout", "sessions", "show", made["id"])
    assert (done["status"], done["payment_status"], done["url"]) == ("complete", "paid", None)
    sub = ok("subscriptions", "show", done["subscription"])
    assert sub["status"] == "active" and sub["customer"] == done["customer"]
    assert [(i["price"]["id"], i["quantity"]) for i in sub["items"]["data"]] == [(monthly, 3)]
    invoice = ok("invoices", "show", done["invoice"])
    assert (invoice["status"], invoice["amount_paid"]) == ("paid", 6000)
    customer = ok("customers", "show", done["customer"])
    assert customer["email"] == "ada@example.com"
    card = ok("payment-methods", "show", sub["default_payment_method"])
    assert (card["customer"], card["card"]["last4"]) == (customer["id"], "3184")

    ok("invoices", "tick", "--by", "1s")  # delivers the queued events
    completed = [r for r in receiver.received if r.type == "checkout.session.completed"]
    assert [r.body["data"]["object"]["id"] for r in completed] == [made["id"]]
    assert receiver.rejected == []
    page.goto(made["url"])
    assert "no longer available" in page.content()  # the page is gone once complete
    checked_ledger()
