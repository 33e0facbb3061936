"""Checkout Sessions per rule: what a session costs (computed here from the prices and
the coupon), what completing it makes in each mode, when it expires, and the bad inputs
Stripe refuses, each with nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.payments.conftest import event_types

DAY_S = 86_400
SUCCESS = "https://shop.example/done?session={CHECKOUT_SESSION_ID}"


def _session(ok: Callable[..., Any], *args: str) -> dict[str, Any]:
    return ok("checkout", "sessions", "create", "--success-url", SUCCESS, *args)  # type: ignore[no-any-return]


def test_a_payment_session_charges_its_total_once_and_sends_the_customer_to_success(
    ok, one_time, fill_in, checked_ledger
):
    made = _session(ok, "--mode", "payment", "--price", f"{one_time}:2")
    assert (made["amount_subtotal"], made["amount_total"], made["status"]) == (3000, 3000, "open")
    assert made["payment_status"] == "unpaid" and made["customer_creation"] == "if_required"

    answer = fill_in(made["url"])
    assert answer.status_code == 200
    assert f"https://shop.example/done?session={made['id']}" in answer.text

    done = ok("checkout", "sessions", "show", made["id"])
    assert (done["status"], done["payment_status"], done["url"]) == ("complete", "paid", None)
    assert done["customer"] is None  # a guest: customer_creation if_required
    pi = ok("payment-intents", "show", done["payment_intent"])
    assert (pi["status"], pi["amount"], pi["amount_received"]) == ("succeeded", 3000, 3000)
    assert event_types(ok).count("checkout.session.completed") == 1
    assert fill_in(made["url"]).status_code == 404  # the page is gone: paid once
    checked_ledger()


def test_a_subscription_session_with_a_coupon_charges_the_discounted_first_period(
    ok, monthly, fill_in, checked_ledger
):
    ok("coupons", "create", "--id", "QUARTER", "--percent-off", "25", "--duration", "forever")
    made = _session(ok, "--mode", "subscription", "--price", f"{monthly}:2", "--coupon", "QUARTER")
    # 2 × 20.00 = 40.00, 25% off = 10.00: 30.00 due today.
    assert (made["amount_subtotal"], made["total_details"]["amount_discount"]) == (4000, 1000)
    assert made["amount_total"] == 3000
    items = ok("checkout", "sessions", "show", made["id"])["line_items"]["data"]
    assert [(i["quantity"], i["amount_subtotal"], i["amount_discount"]) for i in items] == [
        (2, 4000, 1000)
    ]

    assert fill_in(made["url"]).status_code == 200
    done = ok("checkout", "sessions", "show", made["id"])
    assert (done["status"], done["payment_status"]) == ("complete", "paid")
    invoice = ok("invoices", "show", done["invoice"])
    assert (invoice["status"], invoice["subtotal"], invoice["amount_paid"]) == ("paid", 4000, 3000)
    sub = ok("subscriptions", "show", done["subscription"])
    assert (sub["status"], sub["discount"]["coupon"]["id"]) == ("active", "QUARTER")
    assert ok("customers", "show", done["customer"])["email"] == "ada@example.com"
    checked_ledger()


def test_a_trial_session_charges_nothing_today_and_starts_a_trialing_subscription(
    ok, monthly, fill_in, at_start, checked_ledger
):
    made = _session(ok, "--mode", "subscription", "--price", monthly, "--trial-days", "14")
    assert (made["amount_subtotal"], made["amount_total"]) == (0, 0)
    assert fill_in(made["url"]).status_code == 200
    done = ok("checkout", "sessions", "show", made["id"])
    assert (done["status"], done["payment_status"]) == ("complete", "no_payment_required")
    sub = ok("subscriptions", "show", done["subscription"])
    assert (sub["status"], sub["trial_end"]) == ("trialing", at_start + 14 * DAY_S)
    assert sub["default_payment_method"] is not None  # the card is saved for the renewal
    checked_ledger()


def test_a_declined_card_completes_nothing_and_the_page_stays_open(
    ok, monthly, fill_in, checked_ledger
):
    made = _session(ok, "--mode", "subscription", "--price", monthly)
    answer = fill_in(made["url"], card="pm_card_chargeCustomerFail")
    assert "declined" in answer.text
    assert ok("subscriptions", "list")["data"] == []
    assert ok("customers", "list")["data"] == []
    assert ok("checkout", "sessions", "show", made["id"])["status"] == "open"
    assert fill_in(made["url"]).status_code == 200  # another card goes through
    assert ok("checkout", "sessions", "show", made["id"])["status"] == "complete"
    checked_ledger()


def test_an_open_session_expires_on_the_clock_once_with_its_event(
    ok, one_time, at_start, fill_in, checked_ledger
):
    made = _session(ok, "--mode", "payment", "--price", one_time, "--expires-at",
                    str(at_start + 3600))  # fmt: skip
    assert made["expires_at"] == at_start + 3600
    ok("invoices", "tick", "--by", "59m")
    assert ok("checkout", "sessions", "show", made["id"])["status"] == "open"
    ok("invoices", "tick", "--by", "1m")
    expired = ok("checkout", "sessions", "show", made["id"])
    assert (expired["status"], expired["url"]) == ("expired", None)
    ok("invoices", "tick", "--by", "1d")
    assert event_types(ok).count("checkout.session.expired") == 1
    assert fill_in(made["url"]).status_code == 404
    checked_ledger()


def test_expiring_a_session_twice_is_stripes_error(ok, one_time, refused, checked_ledger):
    made = _session(ok, "--mode", "payment", "--price", one_time)
    assert ok("checkout", "sessions", "expire", made["id"])["status"] == "expired"
    refused(
        ["checkout", "sessions", "expire", made["id"]],
        1,
        'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout '
        "Session has a status of `expired`.",
    )
    refused(["checkout", "open", made["id"]], 1, "has expired")
    checked_ledger()


def test_checkout_open_prints_the_hosted_page_url(billcli, ok, one_time):
    made = _session(ok, "--mode", "payment", "--price", one_time)
    result = billcli("checkout", "open", made["id"])
    assert (result.code, result.out) == (0, made["url"] + "\n")


def test_bad_sessions_are_refused_with_stripes_errors_and_nothing_written(
    ok, monthly, one_time, refused, at_start
):
    ok("products", "create", "--name", "Euro plan", "--id", "euro")
    euro = ok("prices", "create", "--product", "euro", "--currency", "eur", "--unit-amount",
              "900", "--recurring-interval", "month")["id"]  # fmt: skip
    yearly = ok("prices", "create", "--product", "euro", "--currency", "usd", "--unit-amount",
                "9900", "--recurring-interval", "year")["id"]  # fmt: skip
    ok("coupons", "create", "--id", "TEN", "--percent-off", "10")
    cases = [
        (["--mode", "subscription", "--price", monthly, "--price", euro],
         "all line items must use one currency"),
        (["--mode", "subscription", "--price", monthly, "--price", yearly],
         "all recurring prices must share one interval"),
        (["--mode", "payment", "--price", monthly], "You specified `payment` mode but passed a "
         "recurring price. Either switch to `subscription` mode or use only one-time prices."),
        (["--mode", "subscription", "--price", one_time],
         "You must provide at least one recurring price in `subscription` mode"),
        (["--mode", "subscription", "--price", monthly, "--coupon", "TEN",
          "--allow-promotion-codes"], "You may only specify one of these parameters: "
         "allow_promotion_codes, discounts."),
        (["--mode", "payment", "--price", one_time, "--expires-at", str(at_start + 25 * 3600)],
         "The expires_at timestamp must be less than 24 hours from Checkout Session creation."),
        (["--mode", "payment", "--price", one_time, "--expires-at", str(at_start + 600)],
         "must be at least 30 minutes"),
        (["--mode", "payment", "--price", one_time, "--payment-method-collection", "always"],
         "can only be set in `subscription` mode"),
        (["--mode", "bogus", "--price", one_time], "Invalid mode"),
    ]  # fmt: skip
    for args, fragment in cases:
        refused(["checkout", "sessions", "create", "--success-url", SUCCESS, *args], 1, fragment)
    paying = ["checkout", "sessions", "create", "--mode", "payment", "--price", one_time]
    no_scheme = "An explicit scheme (such as https) must be provided"
    for url in ("ftp://shop.example/ok", "shop.example/ok", "javascript:alert(1)"):
        refused([*paying, "--success-url", url], 1, no_scheme)
    refused([*paying, "--success-url", "https://"], 1, "Not a valid URL")
