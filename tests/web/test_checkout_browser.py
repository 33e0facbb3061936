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


def test_a_customer_applies_a_code_and_fills_address_phone_and_terms_in_chromium(
    server: str,  # noqa: F811
    browser: Any,  # noqa: F811
    shop_url: str,  # noqa: F811
    monthly: str,  # noqa: F811
    ok: Callable[..., Any],
    checked_ledger: Callable[[], None],
) -> None:
    ok("coupons", "create", "--id", "QUARTER", "--percent-off", "25", "--duration", "forever")
    promo = ok("promotion-codes", "create", "--coupon", "QUARTER", "--code", "SPRING")["id"]
    rate = ok("tax-rates", "create", "--display-name", "Sales tax", "--percentage", "10")["id"]
    made = ok("checkout", "sessions", "create", "--mode", "subscription",
              "--price", f"{monthly}:2", "--allow-promotion-codes", "--default-tax-rate", rate,
              "--billing-address-collection", "required", "--phone-number-collection",
              "--consent-terms-of-service", "--success-url", shop_url)  # fmt: skip
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(made["url"])
    # 2 × $20.00 = $40.00, 10% tax: $44.00 before any code.
    assert (page.locator("#tax").inner_text(), page.locator("#total").inner_text()) == (
        "$4.00", "$44.00",
    )  # fmt: skip

    page.fill("#promotion-code-input", "WINTER")
    page.click("#apply-code")
    assert page.locator("#checkout-error").inner_text() == "This code is invalid."
    assert page.locator("#total").inner_text() == "$44.00"
    page.fill("#promotion-code-input", "spring")
    page.click("#apply-code")
    page.wait_for_selector("#applied-code")
    # 25% off $40.00 = $10.00; 10% tax on $30.00 = $3.00; $33.00 due.
    assert [page.locator(f"#{i}").inner_text() for i in ("discount", "tax", "total")] == [
        "-$10.00", "$3.00", "$33.00",
    ]  # fmt: skip

    fields = {
        "#email": "ada@example.com", "#name": "Ada Lovelace",
        "#address-line1": "12 St James's Square", "#address-city": "London",
        "#address-postal-code": "SW1Y 4JH", "#address-country": "GB",
        "#phone": "+44 20 7946 0000",
    }  # fmt: skip
    for selector, value in fields.items():
        page.fill(selector, value)
    page.select_option("#card", "pm_card_visa")
    page.click("#submit")
    assert "Accept the terms of service" in page.locator("#checkout-error").inner_text()
    for selector, value in fields.items():  # the page shown again keeps no field
        page.fill(selector, value)
    page.check("#terms input")
    page.click("#submit")
    page.wait_for_url(shop_url)

    done = ok("checkout", "sessions", "show", made["id"])
    assert (done["status"], done["amount_total"]) == ("complete", 3300)
    assert done["consent"]["terms_of_service"] == "accepted"
    customer = ok("customers", "show", done["customer"])
    assert customer["phone"] == "+44 20 7946 0000"
    assert (customer["address"]["line1"], customer["address"]["city"]) == (
        "12 St James's Square", "London",
    )  # fmt: skip
    sub = ok("subscriptions", "show", done["subscription"])
    assert sub["discount"]["promotion_code"] == promo
    invoice = ok("invoices", "show", done["invoice"])
    assert (invoice["tax"], invoice["amount_paid"]) == (300, 3300)
    checked_ledger()
