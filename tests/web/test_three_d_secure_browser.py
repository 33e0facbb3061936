"""3-D Secure end to end in real headless Chromium, against `billcli portal serve`: a
subscription's first invoice waits for the customer, who completes Stripe's simulated
challenge from the hosted invoice page; another fails it after paying from the page.

Runs where the portal's browser test runs (BILLCLI_REQUIRE_BROWSER fails it instead of
skipping when Chromium is missing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.payments.conftest import at_start, monthly  # noqa: F401  (the fixtures)
from tests.web.test_portal_browser import browser, server  # noqa: F401  (the fixtures)


def test_a_customer_completes_3ds_on_the_hosted_page_and_the_subscription_starts(
    server: str,  # noqa: F811
    browser: Any,  # noqa: F811
    monthly: str,  # noqa: F811
    ok: Callable[..., Any],
    checked_ledger: Callable[[], None],
) -> None:
    ada = ok(
        "customers",
        "create",
        "--name",
        "Ada",
        "--email",
        "ada@example.com",
        "--payment-method",
        "pm_card_authenticationRequired",
    )["id"]
    sub = ok("subscriptions", "create", "--customer", ada, "--price", monthly)
    assert sub["status"] == "incomplete"
    invoice = ok("invoices", "show", sub["latest_invoice"])

    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(invoice["hosted_invoice_url"])
    assert page.locator("#status").inner_text() == "open"
    assert "waits for your confirmation" in page.locator("#authenticate").inner_text()
    page.click("#confirm-payment")
    page.wait_for_selector("#test-source-authorize-3ds")
    assert "$20.00" in page.locator("#challenge").inner_text()
    assert invoice["id"] not in page.url and page.url.startswith(invoice["hosted_invoice_url"])
    page.click("#test-source-authorize-3ds")
    page.wait_for_selector(".notice")
    assert page.locator("#status").inner_text() == "paid"
    assert ok("subscriptions", "show", sub["id"])["status"] == "active"
    paid = ok("invoices", "show", invoice["id"])
    charge = ok("charges", "show", paid["charge"])
    assert charge["payment_method_details"]["card"]["three_d_secure"]["result"] == "authenticated"

    page.go_back()
    page.reload()
    assert page.locator("#test-source-authorize-3ds").count() == 0  # used: it expired
    assert "expired or was already used" in page.content()
    checked_ledger()


def test_a_customer_fails_3ds_after_paying_from_the_page_and_nothing_is_charged(
    server: str,  # noqa: F811
    browser: Any,  # noqa: F811
    ok: Callable[..., Any],
    checked_ledger: Callable[[], None],
) -> None:
    bob = ok("customers", "create", "--name", "Bob", "--email", "bob@example.com")["id"]
    ok("invoices", "items", "create", "--customer", bob, "--amount", "4200")
    draft = ok(
        "invoices",
        "create",
        "--customer",
        bob,
        "--pending-items",
        "include",
        "--collection-method",
        "send_invoice",
        "--days-until-due",
        "30",
    )
    invoice = ok("invoices", "finalize", draft["id"])

    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(invoice["hosted_invoice_url"])
    page.select_option("#pay-with", "pm_card_threeDSecure2Required")
    page.click("#pay button")
    page.wait_for_selector("#test-source-fail-3ds")
    page.click("#test-source-fail-3ds")
    page.wait_for_selector(".error")
    assert "Authentication failed" in page.locator(".error").inner_text()
    assert page.locator("#status").inner_text() == "open"
    pi = ok("payment-intents", "show", invoice["payment_intent"])
    assert pi["last_payment_error"]["code"] == "payment_intent_authentication_failure"
    assert ok("charges", "list", "--customer", bob)["data"] == []

    page.select_option("#pay-with", "pm_card_visa")
    page.click("#pay button")
    page.wait_for_selector(".notice")
    assert page.locator("#status").inner_text() == "paid"
    checked_ledger()
