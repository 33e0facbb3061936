"""A Checkout Session's PaymentIntent is paid on the session's page only: Stripe does
not let a server confirm, update or cancel it ("Expire the Checkout Session instead"),
and billcli refuses each (`payment_intent`), nothing written, so a paid, repriced or
canceled intent never sits under an open session."""

from __future__ import annotations

import pytest

from tests.conftest import ledger_digest

SUCCESS = "https://shop.example/ok"


@pytest.mark.parametrize(
    "doing, call",
    [
        ("confirm", lambda s, pi: s.PaymentIntent.confirm(pi, payment_method="pm_card_visa")),
        ("update", lambda s, pi: s.PaymentIntent.modify(pi, amount=100)),
        ("update", lambda s, pi: s.PaymentIntent.modify(pi, description="changed")),
        ("cancel", lambda s, pi: s.PaymentIntent.cancel(pi)),
    ],
)
def test_the_api_refuses_to_confirm_update_or_cancel_a_checkout_sessions_payment_intent(
    stripe, http, ledger_path, checked_ledger, doing, call
):
    price = stripe.Price.create(currency="usd", unit_amount=1500, product_data={"name": "Mug"})
    session = stripe.checkout.Session.create(
        mode="payment", success_url=SUCCESS, line_items=[{"price": price.id, "quantity": 1}]
    )
    declined = http.post(
        f"/v1/payment_pages/{session.id}/confirm",
        data={"payment_method": "pm_card_chargeDeclined", "expected_amount": "1500"},
    )
    assert declined.status_code == 402, declined.text
    intent = stripe.checkout.Session.retrieve(session.id).payment_intent
    before = ledger_digest(ledger_path)
    with pytest.raises(stripe.error.InvalidRequestError) as refused:
        call(stripe, intent)
    assert refused.value.param == "payment_intent"
    assert f"you cannot {doing} {intent} directly" in str(refused.value)
    assert ledger_digest(ledger_path) == before
    assert stripe.checkout.Session.retrieve(session.id).status == "open"
    checked_ledger()
