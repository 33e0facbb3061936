"""Which discount a Checkout Session's money is net of, and when it is redeemed.

Stripe's rules: a coupon on a customer applies to every subscription of that customer,
including ones added later, unless the subscription has a discount of its own; coupons
never discount a one-time payment (a PaymentIntent) unless given to the session. So a
subscription session for a customer with a coupon shows, and its first invoice charges,
the price less the customer's coupon; a payment session does not take it. A coupon or
promotion code given to a payment session is redeemed when its payment succeeds: a
discount naming the session (`checkout_session`), counted against `max_redemptions`.
Amounts are computed here from the prices.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.services.discounts.applicable import show
from billcli.store.ledger import Ledger
from tests.payments.conftest import page_path

SUCCESS = "https://shop.example/done"


def _open(ok: Callable[..., Any], *args: str) -> dict[str, Any]:
    return ok("checkout", "sessions", "create", "--success-url", SUCCESS, *args)  # type: ignore[no-any-return]


def _customer_with(ok: Callable[..., Any], coupon: str) -> str:
    return str(ok("customers", "create", "--email", "ada@example.com", "--coupon", coupon)["id"])


def _shown_and_charged(
    ok: Callable[..., Any], fill_in: Callable[..., Any], made: dict[str, Any]
) -> tuple[int, int, int]:
    """The session's total and discount as shown, and what its first invoice charged
    once its page was paid."""
    assert fill_in(made["url"]).status_code == 200
    done = ok("checkout", "sessions", "show", made["id"])
    paid = ok("invoices", "show", done["invoice"])["amount_paid"]
    return made["amount_total"], made["total_details"]["amount_discount"], paid


def test_a_customers_coupon_is_shown_and_charged_alike_on_a_subscription_session(
    ok, monthly, client, fill_in, checked_ledger
):
    ok("coupons", "create", "--id", "HALF", "--percent-off", "50", "--duration", "forever")
    cus = _customer_with(ok, "HALF")
    made = _open(ok, "--mode", "subscription", "--price", f"{monthly}:2", "--customer", cus)
    # 2 × 20.00 = 40.00; the customer's 50% off = 20.00; 20.00 due today.
    assert (made["amount_subtotal"], made["amount_total"]) == (4000, 2000)
    assert made["total_details"]["amount_discount"] == 2000
    page = client.get(page_path(made["url"]))
    assert 'id="discount">-$20.00<' in page.text and "HALF" in page.text

    assert fill_in(made["url"]).status_code == 200
    done = ok("checkout", "sessions", "show", made["id"])
    invoice = ok("invoices", "show", done["invoice"])
    assert (invoice["subtotal"], invoice["total"], invoice["amount_paid"]) == (4000, 2000, 2000)
    pi = ok("payment-intents", "show", invoice["payment_intent"])
    assert pi["amount"] == done["amount_total"] == 2000
    assert ok("coupons", "show", "HALF")["times_redeemed"] == 1  # the customer's, only
    checked_ledger()


def test_a_sessions_own_coupon_overrides_the_customers_as_on_its_subscription(
    ok, monthly, fill_in, checked_ledger
):
    ok("coupons", "create", "--id", "HALF", "--percent-off", "50", "--duration", "forever")
    ok("coupons", "create", "--id", "TENOFF", "--amount-off", "1000", "--currency", "usd")
    cus = _customer_with(ok, "HALF")
    made = _open(ok, "--mode", "subscription", "--price", f"{monthly}:2", "--customer", cus,
                 "--coupon", "TENOFF")  # fmt: skip
    # 40.00 less the session's 10.00 off (not the customer's 50%) = 30.00.
    assert _shown_and_charged(ok, fill_in, made) == (3000, 1000, 3000)
    checked_ledger()


def test_a_customer_coupon_restricted_to_other_products_leaves_the_session_whole(
    ok, monthly, fill_in, checked_ledger
):
    ok("products", "create", "--name", "Other", "--id", "other")
    ok("coupons", "create", "--id", "OTHERS", "--percent-off", "50", "--duration", "forever",
       "--applies-to", "other")  # fmt: skip
    cus = _customer_with(ok, "OTHERS")
    made = _open(ok, "--mode", "subscription", "--price", monthly, "--customer", cus)
    assert _shown_and_charged(ok, fill_in, made) == (2000, 0, 2000)
    checked_ledger()


def test_a_customers_coupon_does_not_discount_a_one_time_payment(
    ok, one_time, fill_in, checked_ledger
):
    ok("coupons", "create", "--id", "HALF", "--percent-off", "50", "--duration", "forever")
    cus = _customer_with(ok, "HALF")
    made = _open(ok, "--mode", "payment", "--price", f"{one_time}:2", "--customer", cus)
    assert (made["amount_total"], made["total_details"]["amount_discount"]) == (3000, 0)
    assert fill_in(made["url"]).status_code == 200
    done = ok("checkout", "sessions", "show", made["id"])
    assert ok("payment-intents", "show", done["payment_intent"])["amount"] == 3000
    assert ok("coupons", "show", "HALF")["times_redeemed"] == 1
    checked_ledger()


def _session_discounts(ledger_path: Any) -> list[dict[str, Any]]:
    with Ledger(ledger_path) as ledger:
        with ledger.read() as tx:
            ids = [d.id for d in tx.discounts.all() if d.checkout_session is not None]
        return [show(ledger, i) for i in ids]


def test_a_payment_sessions_promotion_code_is_redeemed_when_it_is_paid_and_only_then(
    ok, one_time, fill_in, checked_ledger, ledger_path, assert_valid
):
    ok("coupons", "create", "--id", "FIVE", "--amount-off", "500", "--currency", "usd")
    promo = ok("promotion-codes", "create", "--coupon", "FIVE", "--code", "ONCE",
               "--max-redemptions", "1")["id"]  # fmt: skip
    first = _open(ok, "--mode", "payment", "--price", one_time, "--promotion-code", "ONCE")
    second = _open(ok, "--mode", "payment", "--price", one_time, "--promotion-code", "ONCE")
    assert first["amount_total"] == second["amount_total"] == 1500 - 500
    assert ok("promotion-codes", "show", promo)["times_redeemed"] == 0  # offered, not used

    assert fill_in(first["url"]).status_code == 200
    assert ok("promotion-codes", "show", promo)["times_redeemed"] == 1
    assert ok("coupons", "show", "FIVE")["times_redeemed"] == 1
    [discount] = _session_discounts(ledger_path)
    assert_valid(discount)
    assert (discount["checkout_session"], discount["promotion_code"]) == (first["id"], promo)
    assert discount["coupon"]["id"] == "FIVE" and discount["customer"] is None
    paid = ok("checkout", "sessions", "show", first["id"])
    assert ok("payment-intents", "show", paid["payment_intent"])["amount"] == 1000

    # The code's one redemption is used: the other session cannot be paid with it.
    refused = fill_in(second["url"])
    assert refused.status_code == 400
    assert "redeemed the maximum number of times" in refused.text
    still = ok("checkout", "sessions", "show", second["id"])
    assert (still["status"], still["payment_intent"]) == ("open", None)
    assert ok("promotion-codes", "show", promo)["times_redeemed"] == 1
    checked_ledger()


def test_a_payment_sessions_coupon_counts_against_its_max_redemptions(
    ok, one_time, fill_in, refused, checked_ledger
):
    ok("coupons", "create", "--id", "FIRST", "--percent-off", "10", "--max-redemptions", "1")
    made = _open(ok, "--mode", "payment", "--price", f"{one_time}:2", "--coupon", "FIRST",
                 "--customer-creation", "always")  # fmt: skip
    assert made["amount_total"] == 3000 - 300
    assert fill_in(made["url"]).status_code == 200
    assert ok("coupons", "show", "FIRST")["times_redeemed"] == 1
    args = ["checkout", "sessions", "create", "--success-url", SUCCESS, "--mode", "payment",
            "--price", one_time, "--coupon", "FIRST"]  # fmt: skip
    refused(args, 1, "FIRST")
    checked_ledger()
