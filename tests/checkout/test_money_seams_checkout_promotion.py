"""Money where promotion codes meet Checkout: a code the session accepted against its
lines' amount (one-time lines included) is the code its subscription takes, held to the
same purchase, so a buyer shown the discount can pay for it (Stripe: `minimum_amount`
is the purchase a code needs, "a purchase must be $100 or more to work")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.services.checkout import completion, sessions
from billcli.store.ledger import Ledger

SUCCESS = "https://shop.example/done"


def test_a_subscription_session_with_a_one_time_line_pays_with_the_code_it_accepted(
    ok: Callable[..., Any], at_start: int, ledger_path: Any, checked_ledger: Callable[[], None]
) -> None:
    ok("products", "create", "--name", "Pro plan", "--id", "pro")
    monthly = ok("prices", "create", "--product", "pro", "--currency", "usd",
                 "--unit-amount", "2000", "--recurring-interval", "month")["id"]  # fmt: skip
    setup = ok("prices", "create", "--product", "pro", "--currency", "usd",
               "--unit-amount", "1000")["id"]  # fmt: skip
    ok("coupons", "create", "--id", "TEN", "--percent-off", "10", "--duration", "once")
    code = ok("promotion-codes", "create", "--coupon", "TEN", "--code", "BIG",
              "--minimum-amount", "2500", "--minimum-amount-currency", "usd")["id"]  # fmt: skip
    with Ledger(ledger_path) as ledger:
        data = sessions.SessionInput(mode="subscription", success_url=SUCCESS,
                                     line_items=((monthly, 1), (setup, 1)),
                                     promotion_codes=(code,))  # fmt: skip
        made = sessions.create(ledger, data)
    # $20.00 a month and a $10.00 fee: a $30.00 purchase, over the $25.00 minimum
    assert (made["amount_subtotal"], made["amount_total"]) == (3000, 2700)
    with Ledger(ledger_path) as ledger:
        secret = made["url"].rsplit("/c/", 1)[1]
        assert completion.pay(ledger, secret, "pm_card_visa", "ada@example.com").completed
    done = ok("checkout", "sessions", "show", made["id"])
    sub = ok("subscriptions", "show", done["subscription"])
    invoice = ok("invoices", "show", sub["latest_invoice"])
    assert invoice["discount"]["promotion_code"] == code  # a `once` code, used up by it
    assert (invoice["subtotal"], invoice["total"], invoice["amount_paid"]) == (3000, 2700, 2700)
    assert ok("promotion-codes", "show", code)["times_redeemed"] == 1
    checked_ledger()
