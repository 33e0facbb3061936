"""A Checkout Session's PaymentIntent is paid on the session's page only: Stripe does
not let a server confirm it, and billcli refuses it (`payment_intent`), nothing
written, so a paid intent never leaves its session open."""

from __future__ import annotations

import pytest

from tests.conftest import ledger_digest

SUCCESS = "https://shop.example/ok"


def test_the_api_refuses_to_confirm_a_checkout_sessions_payment_intent(
    stripe, http, ledger_path, checked_ledger
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
        stripe.PaymentIntent.confirm(intent, payment_method="pm_card_visa")
    assert refused.value.param == "payment_intent"
    assert ledger_digest(ledger_path) == before
    assert stripe.checkout.Session.retrieve(session.id).status == "open"
    checked_ledger()
