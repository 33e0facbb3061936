"""Money where Checkout meets the per-currency minimum charge: a `payment` session's
total is what its PaymentIntent charges, and no card can be charged less than the
currency's minimum (Stripe refuses such a session: "The Checkout Session's total amount
due must add up to at least $0.50 usd", and such a charge: `amount_too_small`). A free
order (total 0) needs no charge and stays allowed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.payments.conftest import page_path
from tests.web.conftest import csrf

SUCCESS = "https://shop.example/done"


def _priced(ok: Callable[..., Any], currency: str, amount: str) -> str:
    return str(ok("prices", "create", "--product", "manual", "--currency", currency,
                  "--unit-amount", amount)["id"])  # fmt: skip


def test_a_payment_session_totalling_less_than_the_minimum_is_refused(
    ok: Callable[..., Any], at_start: int, refused: Callable[..., Any],
    checked_ledger: Callable[[], None],
) -> None:  # fmt: skip
    ok("products", "create", "--name", "Engine manual", "--id", "manual")
    dollars, yen40, yen50 = (
        _priced(ok, "usd", "1000"),
        _priced(ok, "jpy", "40"),
        _priced(ok, "jpy", "50"),
    )
    ok("coupons", "create", "--id", "ALMOST", "--amount-off", "970", "--currency", "usd")
    ok("coupons", "create", "--id", "FREE", "--percent-off", "100")
    base = ["checkout", "sessions", "create", "--mode", "payment", "--success-url", SUCCESS]
    # $10.00 less $9.70: a $0.30 charge
    result = refused([*base, "--price", dollars, "--coupon", "ALMOST"], 1,
                     "must add up to at least $0.50 usd")  # fmt: skip
    assert result.json["error"]["code"] == "amount_too_small"
    refused([*base, "--price", yen40], 1, "must add up to at least ¥50 jpy")
    assert ok(*base, "--price", yen50)["amount_total"] == 50
    assert ok(*base, "--price", dollars, "--coupon", "FREE")["amount_total"] == 0  # no-cost
    checked_ledger()


def test_a_code_typed_on_the_page_cannot_bring_a_payment_below_the_minimum(
    ok: Callable[..., Any], at_start: int, client: Any, fill_in: Callable[..., Any],
    checked_ledger: Callable[[], None],
) -> None:  # fmt: skip
    ok("products", "create", "--name", "Engine manual", "--id", "manual")
    dollars = _priced(ok, "usd", "1000")
    ok("coupons", "create", "--id", "ALMOST", "--amount-off", "970", "--currency", "usd")
    ok("promotion-codes", "create", "--coupon", "ALMOST", "--code", "ALMOST")
    made = ok("checkout", "sessions", "create", "--mode", "payment", "--price", dollars,
              "--success-url", SUCCESS, "--allow-promotion-codes")  # fmt: skip
    path = page_path(made["url"])
    form = {"csrf": csrf(client.get(path).text), "promotion_code": "ALMOST"}
    client.post(f"{path}/promotion_code", data=form)
    paid = fill_in(made["url"])
    assert paid.status_code == 400 and "at least $0.50 usd" in paid.text
    assert ok("charges", "list", "--all")["data"] == []
    shown = ok("checkout", "sessions", "show", made["id"])
    assert shown["status"] == "open"
    checked_ledger()
