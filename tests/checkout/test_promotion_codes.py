"""Promotion codes on Checkout: typed on the hosted page of a session that allows them,
or given at creation (`discounts[0][promotion_code]`). A code the session may redeem
reprices it and goes to the subscription it makes; a code it may not (unknown, expired,
used up, for another customer, for first purchases only, under its minimum) shows
Stripe's message and changes nothing. Amounts are computed here from the prices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.payments.conftest import page_path
from tests.web.conftest import csrf

SUCCESS = "https://shop.example/done?session={CHECKOUT_SESSION_ID}"
HOUR_S = 3600


@pytest.fixture
def type_code(client: TestClient) -> Callable[..., Any]:
    """Type a code into a session's page and press Apply: the page that follows."""

    def typed(url: str, code: str) -> Any:
        path = page_path(url)
        form = {"csrf": csrf(client.get(path).text), "promotion_code": code}
        answer = client.post(f"{path}/promotion_code", data=form, follow_redirects=False)
        if answer.status_code == 303:
            return client.get(answer.headers["location"])
        return answer

    return typed


def _open(ok: Callable[..., Any], *args: str) -> dict[str, Any]:
    return ok("checkout", "sessions", "create", "--success-url", SUCCESS, *args)  # type: ignore[no-any-return]


def test_a_code_typed_on_the_page_discounts_the_session_and_its_subscription(
    ok, monthly, client, type_code, fill_in, checked_ledger
):
    ok("coupons", "create", "--id", "QUARTER", "--percent-off", "25", "--duration", "forever")
    promo = ok("promotion-codes", "create", "--coupon", "QUARTER", "--code", "SPRING")["id"]
    made = _open(ok, "--mode", "subscription", "--price", f"{monthly}:3", "--allow-promotion-codes")
    page = client.get(page_path(made["url"]))
    assert 'id="promotion-code-input"' in page.text

    shown = type_code(made["url"], "spring")  # codes are matched regardless of case
    assert shown.status_code == 200
    # 3 × 20.00 = 60.00; 25% off = 15.00; 45.00 due today.
    session = ok("checkout", "sessions", "show", made["id"])
    assert (session["amount_subtotal"], session["amount_total"]) == (6000, 4500)
    assert session["total_details"]["amount_discount"] == 1500
    assert session["discounts"] == [{"coupon": None, "promotion_code": promo}]
    assert session["line_items"]["data"][0]["amount_discount"] == 1500
    assert 'id="applied-code">SPRING<' in shown.text and "$15.00" in shown.text

    assert fill_in(made["url"]).status_code == 200
    done = ok("checkout", "sessions", "show", made["id"])
    sub = ok("subscriptions", "show", done["subscription"])
    assert (sub["discount"]["coupon"]["id"], sub["discount"]["promotion_code"]) == (
        "QUARTER", promo,
    )  # fmt: skip
    invoice = ok("invoices", "show", done["invoice"])
    assert (invoice["subtotal"], invoice["amount_paid"]) == (6000, 4500)
    assert ok("promotion-codes", "show", promo)["times_redeemed"] == 1
    checked_ledger()


def test_the_page_removes_an_applied_code_and_charges_the_full_price(
    ok, monthly, client, type_code, fill_in, checked_ledger
):
    ok("coupons", "create", "--id", "FIVE", "--amount-off", "500", "--currency", "usd")
    ok("promotion-codes", "create", "--coupon", "FIVE", "--code", "FIVEOFF")
    made = _open(ok, "--mode", "subscription", "--price", monthly, "--allow-promotion-codes")
    type_code(made["url"], "FIVEOFF")
    assert ok("checkout", "sessions", "show", made["id"])["amount_total"] == 2000 - 500
    path = page_path(made["url"])
    form = {"csrf": csrf(client.get(path).text), "remove": "1"}
    assert client.post(f"{path}/promotion_code", data=form).status_code == 200
    session = ok("checkout", "sessions", "show", made["id"])
    assert (session["amount_total"], session["discounts"]) == (2000, [])
    assert fill_in(made["url"]).status_code == 200
    assert (
        ok("invoices", "show", ok("checkout", "sessions", "show", made["id"])["invoice"])[
            "amount_paid"
        ]
        == 2000
    )
    checked_ledger()


def test_codes_the_session_may_not_redeem_show_why_and_change_nothing(
    ok, monthly, customer, fill_in, type_code, at_start, checked_ledger
):
    ok("coupons", "create", "--id", "HALF", "--percent-off", "50", "--duration", "forever")
    ada = customer()
    promo = ok("promotion-codes", "create", "--coupon", "HALF", "--code", "WELCOME",
               "--first-time-transaction")["id"]  # fmt: skip
    ok("promotion-codes", "create", "--coupon", "HALF", "--code", "BIGSPEND",
       "--minimum-amount", "5000", "--minimum-amount-currency", "usd")  # fmt: skip
    ok("promotion-codes", "create", "--coupon", "HALF", "--code", "ADAONLY", "--customer", ada)
    ok("promotion-codes", "create", "--coupon", "HALF", "--code", "SOON",
       "--expires-at", str(at_start + HOUR_S))  # fmt: skip
    ok("promotion-codes", "create", "--coupon", "HALF", "--code", "ONCE",
       "--max-redemptions", "1")  # fmt: skip
    first = _open(ok, "--mode", "subscription", "--price", monthly, "--allow-promotion-codes")
    type_code(first["url"], "ONCE")
    assert fill_in(first["url"]).status_code == 200  # ONCE is now used up
    ok("invoices", "tick", "--to", str(at_start + 2 * HOUR_S))  # SOON has expired

    paying = _open(ok, "--mode", "subscription", "--price", monthly, "--customer", ada,
                   "--allow-promotion-codes")  # fmt: skip
    guest = _open(ok, "--mode", "subscription", "--price", monthly, "--allow-promotion-codes")
    # Ada paid her first invoice: she has a prior transaction.
    ok("subscriptions", "create", "--customer", ada, "--price", monthly)
    cases = [
        (guest, "NOSUCHCODE", "This code is invalid."),
        (guest, "BIGSPEND", "requires a minimum amount of $50.00"),
        (guest, "ADAONLY", "This code is invalid."),  # not offered to anyone else
        (guest, "SOON", "This promotion code has expired"),
        (guest, "ONCE", "redeemed the maximum number of times"),
        (paying, "WELCOME", "the associated customer has prior transactions"),
    ]
    for session, code, message in cases:
        before = ok("checkout", "sessions", "show", session["id"])
        answer = type_code(session["url"], code)
        assert answer.status_code == 400, code
        assert message in answer.text.replace("&#39;", "'"), (code, answer.text[:400])
        assert ok("checkout", "sessions", "show", session["id"]) == before
    assert ok("promotion-codes", "show", promo)["times_redeemed"] == 0
    checked_ledger()


def test_a_code_restricted_to_the_sessions_customer_applies_on_its_page(
    ok, monthly, customer, type_code, fill_in, checked_ledger
):
    ok("coupons", "create", "--id", "TEN", "--percent-off", "10", "--duration", "once")
    ada = customer()
    ok("promotion-codes", "create", "--coupon", "TEN", "--code", "ADA10", "--customer", ada)
    made = _open(ok, "--mode", "subscription", "--price", f"{monthly}:2", "--customer", ada,
                 "--allow-promotion-codes")  # fmt: skip
    assert type_code(made["url"], "ADA10").status_code == 200
    # 2 × 20.00 = 40.00; 10% = 4.00.
    assert ok("checkout", "sessions", "show", made["id"])["amount_total"] == 3600
    assert fill_in(made["url"]).status_code == 200
    checked_ledger()


def test_a_promotion_code_given_at_creation_prices_the_session(
    ok, monthly, refused, checked_ledger
):
    ok("coupons", "create", "--id", "THIRD", "--percent-off", "33.5", "--duration", "forever")
    promo = ok("promotion-codes", "create", "--coupon", "THIRD", "--code", "LAUNCH")["id"]
    made = _open(ok, "--mode", "subscription", "--price", f"{monthly}:3",
                 "--promotion-code", "LAUNCH")  # fmt: skip
    # 60.00 × 33.5% = 20.10 off: 39.90.
    assert (made["total_details"]["amount_discount"], made["amount_total"]) == (2010, 3990)
    assert made["discounts"] == [{"coupon": None, "promotion_code": promo}]
    base = ["checkout", "sessions", "create", "--success-url", SUCCESS, "--mode",
            "subscription", "--price", monthly]  # fmt: skip
    exclusive = "You may only specify one of these parameters: allow_promotion_codes, discounts."
    refused([*base, "--promotion-code", "LAUNCH", "--allow-promotion-codes"], 1, exclusive)
    refused([*base, "--promotion-code", "LAUNCH", "--coupon", "THIRD"], 1,
            "only up to one may be specified")  # fmt: skip
    refused([*base, "--promotion-code", "NOPE"], 6, "No such promotion code")
    assert len(ok("checkout", "sessions", "list")["data"]) == 1
    checked_ledger()
