"""What `ledger check` finds wrong with a Checkout Session: a first invoice that charged
other than the session showed, a payment session's coupon not redeemed exactly once (or
redeemed as another coupon), a discount of a session that redeems nothing."""

from __future__ import annotations

from dataclasses import replace

from billcli.core.checkout import RULES
from billcli.core.checkout_checks import Made, check_session
from billcli.core.records.checkout import CheckoutSession
from billcli.core.records.discounts import Discount
from billcli.core.records.invoices import Invoice
from billcli.core.records.payments import PaymentIntent

PAID = CheckoutSession(
    id="cs_1", created=0, mode="payment", status="complete", currency="usd",
    expires_at=10, secret="s", amount_subtotal=1500, amount_discount=500, amount_total=1000,
    coupon="FIVE", payment_intent="pi_1", completed_at=5, completed_under=RULES,
)  # fmt: skip
INTENT = PaymentIntent(id="pi_1", created=5, amount=1000, currency="usd", status="succeeded",
                       client_secret="x")  # fmt: skip
OWN = Discount(id="di_1", coupon="FIVE", start=5, customer=None, checkout_session="cs_1")


def _problems(session: CheckoutSession, *, discounts=(), invoices=None) -> list[str]:
    made = Made({"pi_1": INTENT}, invoices or {}, {"cs_1": list(discounts)})
    return [p.message for p in check_session(session, made)]


def test_a_paid_session_whose_coupon_was_redeemed_once_is_sound():
    assert _problems(PAID, discounts=[OWN]) == []


def test_a_paid_sessions_coupon_not_redeemed_or_redeemed_twice_is_reported():
    assert _problems(PAID) == ["coupon FIVE redeemed 0 times, not once"]
    assert _problems(PAID, discounts=[OWN, replace(OWN, id="di_2")]) == [
        "coupon FIVE redeemed 2 times, not once"
    ]


def test_a_discount_of_another_coupon_or_of_an_open_session_is_reported():
    other = replace(OWN, coupon="TEN")
    assert _problems(PAID, discounts=[other]) == [
        "discount di_1 is of TEN, not of the session's FIVE"
    ]
    still_open = replace(PAID, status="open", payment_intent=None, completed_at=None)
    assert _problems(still_open, discounts=[OWN]) == ["open payment session has discount di_1"]


def test_a_subscription_session_whose_first_invoice_charged_another_total_is_reported():
    session = replace(PAID, mode="subscription", coupon=None, amount_discount=0,
                      amount_total=1500, customer="cus_1", subscription="sub_1",
                      invoice="in_1", payment_intent=None)  # fmt: skip
    invoice = Invoice(id="in_1", customer="cus_1", created=5, currency="usd", total=750)
    assert _problems(session, invoices={"in_1": invoice}) == [
        "total 1500 shown, its first invoice in_1 totals 750"
    ]
    assert _problems(session, invoices={"in_1": replace(invoice, total=1500)}) == []


def test_sessions_completed_under_older_rules_are_not_held_to_the_newer_ones():
    older = replace(PAID, completed_under=0)
    assert _problems(older) == []  # its coupon was not counted then
    session = replace(older, mode="subscription", coupon=None, amount_discount=0,
                      amount_total=1500, customer="cus_1", subscription="sub_1",
                      invoice="in_1", payment_intent=None)  # fmt: skip
    invoice = Invoice(id="in_1", customer="cus_1", created=5, currency="usd", total=750)
    assert _problems(session, invoices={"in_1": invoice}) == []
    assert _problems(replace(older, amount_total=999)) != []  # its own sums still add up


def test_an_open_or_expired_session_whose_payment_succeeded_is_reported():
    for status in ("open", "expired"):
        unfinished = replace(PAID, status=status, coupon=None, amount_discount=0,
                             amount_subtotal=1000, completed_at=None)  # fmt: skip
        assert _problems(unfinished) == [
            f"{status} session holds pi_1, which succeeded: the buyer paid for a session "
            "that never completed"
        ]
        waiting = replace(INTENT, status="requires_action")
        made = Made({"pi_1": waiting}, {}, {})
        assert check_session(unfinished, made) == []
