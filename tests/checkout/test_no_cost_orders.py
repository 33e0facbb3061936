"""No-cost orders: a `payment` session whose total is 0 (a 100%-off coupon, or a
promotion code typed on the page) completes without a charge, as Stripe's "No-cost
orders" guide has it (API 2023-08-16 on): Checkout collects no payment method, makes
no PaymentIntent, and makes a customer when the session names none; the session is
`no_payment_required`, its coupon or code is redeemed, and a post-payment invoice is
paid at 0. Amounts: the one-time price is 15.00."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import raw_connection
from tests.payments.conftest import page_path
from tests.web.conftest import csrf

SUCCESS = "https://shop.example/done"


def _free_session(ok: Callable[..., Any], one_time: str, *args: str) -> dict[str, Any]:
    ok("coupons", "create", "--id", "FREE", "--percent-off", "100")
    made: dict[str, Any] = ok("checkout", "sessions", "create", "--mode", "payment",
                              "--price", one_time, "--success-url", SUCCESS, *args)  # fmt: skip
    return made


def _completed_free(ok: Callable[..., Any], session_id: str) -> dict[str, Any]:
    shown: dict[str, Any] = ok("checkout", "sessions", "show", session_id)
    assert (shown["status"], shown["payment_status"]) == ("complete", "no_payment_required")
    assert (shown["amount_total"], shown["payment_intent"]) == (0, None)
    assert shown["customer"] is not None  # Stripe: "automatically creates a new Customer"
    assert ok("charges", "list", "--all")["data"] == []
    assert ok("payment-intents", "list", "--all")["data"] == []
    return shown


@pytest.mark.parametrize("card", [None, "pm_card_visa"])
def test_a_session_free_with_a_full_coupon_completes_without_a_charge(
    ok, one_time, client, fill_in, events, checked_ledger, card
):
    """The page asks for no card; one sent anyway is not collected or charged."""
    made = _free_session(ok, one_time, "--coupon", "FREE")
    assert made["amount_total"] == 0
    page = client.get(page_path(made["url"]))
    assert page.status_code == 200 and 'name="payment_method"' not in page.text
    answer = fill_in(made["url"], card=card)
    assert answer.status_code == 200, answer.text
    shown = _completed_free(ok, made["id"])
    assert shown["invoice"] is None
    assert ok("coupons", "show", "FREE")["times_redeemed"] == 1
    [completed] = events("checkout.session.completed")
    assert completed["data"]["object"]["payment_status"] == "no_payment_required"
    checked_ledger()


def test_a_free_session_with_invoice_creation_makes_an_invoice_paid_at_zero(
    ok, one_time, fill_in, events, checked_ledger
):
    made = _free_session(ok, one_time, "--coupon", "FREE", "--invoice-creation")
    assert fill_in(made["url"], card=None).status_code == 200
    shown = _completed_free(ok, made["id"])
    invoice = ok("invoices", "show", shown["invoice"])
    assert (invoice["status"], invoice["customer"]) == ("paid", shown["customer"])
    assert (invoice["subtotal"], invoice["total"], invoice["amount_paid"]) == (1500, 0, 0)
    assert (invoice["payment_intent"], invoice["charge"]) == (None, None)
    assert invoice["total_discount_amounts"][0]["amount"] == 1500
    assert [e["data"]["object"]["id"] for e in events("invoice.paid")] == [invoice["id"]]
    assert ok("coupons", "show", "FREE")["times_redeemed"] == 1
    checked_ledger()


def test_a_promotion_code_typed_after_a_decline_frees_the_session_and_cancels_its_intent(
    ok, one_time, client, fill_in, checked_ledger
):
    """The buyer's card was declined (the session holds a PaymentIntent waiting for a
    card); a 100%-off code then makes the order free: it completes without a charge and
    the intent it no longer needs is canceled, as expiry would."""
    made = _free_session(ok, one_time, "--allow-promotion-codes", "--invoice-creation")
    promo = ok("promotion-codes", "create", "--coupon", "FREE", "--code", "GIFT")["id"]
    assert fill_in(made["url"], card="pm_card_chargeDeclined").status_code == 402
    waiting = ok("checkout", "sessions", "show", made["id"])["payment_intent"]
    assert waiting is not None
    path = page_path(made["url"])
    form = {"csrf": csrf(client.get(path).text), "promotion_code": "GIFT"}
    assert client.post(f"{path}/promotion_code", data=form).status_code == 200
    assert fill_in(made["url"], card=None).status_code == 200
    shown = ok("checkout", "sessions", "show", made["id"])
    assert (shown["status"], shown["payment_status"], shown["amount_total"]) == (
        "complete", "no_payment_required", 0,
    )  # fmt: skip
    assert ok("payment-intents", "show", waiting)["status"] == "canceled"
    assert ok("promotion-codes", "show", promo)["times_redeemed"] == 1
    invoice = ok("invoices", "show", shown["invoice"])
    assert (invoice["status"], invoice["total"], invoice["payment_intent"]) == ("paid", 0, None)
    assert [c["status"] for c in ok("charges", "list", "--all")["data"]] == ["failed"]
    checked_ledger()


def test_a_free_session_for_a_named_customer_completes_for_them(
    ok, one_time, customer, fill_in, checked_ledger
):
    cus = customer()
    made = _free_session(ok, one_time, "--coupon", "FREE", "--customer", cus)
    assert fill_in(made["url"], card=None).status_code == 200
    assert _completed_free(ok, made["id"])["customer"] == cus
    assert len(ok("customers", "list", "--all")["data"]) == 1
    checked_ledger()


def test_ledger_check_reports_a_no_cost_session_shown_as_paid(
    ok, one_time, fill_in, billcli, ledger_path
):
    made = _free_session(ok, one_time, "--coupon", "FREE")
    assert fill_in(made["url"], card=None).status_code == 200
    conn = raw_connection(ledger_path)
    try:
        conn.execute("UPDATE checkout_sessions SET payment_status = 'paid' WHERE id = ?",
                     (made["id"],))  # fmt: skip
        conn.commit()
    finally:
        conn.close()
    result = billcli("ledger", "check")
    assert result.code != 0 and "only a total of 0 needs no payment" in result.out, result.out


def test_an_amount_off_of_more_than_the_total_makes_the_order_free(
    ok, one_time, fill_in, checked_ledger
):
    """Stripe: "a coupon for an amount equal to or exceeding the Checkout Session total"."""
    ok("coupons", "create", "--id", "BIG", "--amount-off", "2000", "--currency", "usd")
    made = ok("checkout", "sessions", "create", "--mode", "payment", "--price", one_time,
              "--coupon", "BIG", "--success-url", SUCCESS)  # fmt: skip
    assert (made["amount_subtotal"], made["amount_total"]) == (1500, 0)
    assert fill_in(made["url"], card=None).status_code == 200
    _completed_free(ok, made["id"])
    assert ok("coupons", "show", "BIG")["times_redeemed"] == 1
    checked_ledger()
