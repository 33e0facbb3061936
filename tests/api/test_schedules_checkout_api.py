"""Subscription schedules and Checkout Sessions through the stripe library against
`api serve`: the calls an integration makes, and Stripe's errors as its exceptions."""

from __future__ import annotations

from typing import Any

import pytest


def _catalog(stripe: Any) -> tuple[Any, Any, Any]:
    customer = stripe.Customer.create(email="ada@example.com", payment_method="pm_card_visa")
    product = stripe.Product.create(name="Pro")
    price = stripe.Price.create(product=product.id, unit_amount=1500, currency="usd",
                                recurring={"interval": "month"})  # fmt: skip
    return customer, product, price


def test_a_schedule_is_created_updated_and_released_through_the_library(stripe, checked_ledger):
    customer, _, price = _catalog(stripe)
    schedule = stripe.SubscriptionSchedule.create(
        customer=customer.id,
        start_date="now",
        phases=[
            {"items": [{"price": price.id, "quantity": 1}], "iterations": 1},
            {"items": [{"price": price.id, "quantity": 2}], "iterations": 1},
        ],
    )
    assert schedule.status == "active" and schedule.current_phase is not None
    assert schedule.phases[1].items[0].quantity == 2
    assert stripe.Subscription.retrieve(schedule.subscription).schedule == schedule.id
    updated = stripe.SubscriptionSchedule.modify(schedule.id, metadata={"plan": "grow"})
    assert updated.metadata.to_dict() == {"plan": "grow"}
    listed = stripe.SubscriptionSchedule.list(customer=customer.id)
    assert [s.id for s in listed.data] == [schedule.id]
    released = stripe.SubscriptionSchedule.release(schedule.id)
    assert (released.status, released.released_subscription) == ("released", schedule.subscription)
    with pytest.raises(stripe.InvalidRequestError) as refused:
        stripe.SubscriptionSchedule.cancel(schedule.id)
    assert "currently in the `released` status" in str(refused.value)
    checked_ledger()


def test_a_checkout_session_through_the_library(stripe, checked_ledger):
    _, _, price = _catalog(stripe)
    session = stripe.checkout.Session.create(
        mode="subscription",
        line_items=[{"price": price.id, "quantity": 2}],
        success_url="https://shop.example/ok?s={CHECKOUT_SESSION_ID}",
        subscription_data={"trial_period_days": 7, "metadata": {"source": "ads"}},
        client_reference_id="signup-42",
    )
    assert (session.amount_total, session.client_reference_id) == (0, "signup-42")
    expanded = stripe.checkout.Session.retrieve(session.id, expand=["line_items"])
    assert expanded.line_items.data[0].quantity == 2
    assert stripe.checkout.Session.list(status="open").data[0].id == session.id
    with pytest.raises(stripe.InvalidRequestError) as refused:
        stripe.checkout.Session.create(
            mode="subscription", line_items=[{"price": price.id}],
            success_url="https://shop.example/ok", allow_promotion_codes=False,
            discounts=[{"coupon": "ANY"}],
        )  # fmt: skip
    assert refused.value.param == "allow_promotion_codes"
    expired = stripe.checkout.Session.expire(session.id)
    assert (expired.status, expired.url) == ("expired", None)
    checked_ledger()


def test_discounts_with_a_promotion_code_through_the_api(stripe, checked_ledger):
    product = stripe.Product.create(name="Pro")
    price = stripe.Price.create(product=product.id, unit_amount=2500, currency="usd",
                                recurring={"interval": "month"})  # fmt: skip
    coupon = stripe.Coupon.create(amount_off=700, currency="usd", duration="forever")
    promo = stripe.PromotionCode.create(coupon=coupon.id, code="API7")
    session = stripe.checkout.Session.create(
        mode="subscription",
        line_items=[{"price": price.id, "quantity": 2}],
        success_url="https://shop.example/ok",
        discounts=[{"promotion_code": promo.id}],
    )
    # 2 × 25.00 = 50.00, less 7.00.
    assert (session.amount_total, session.total_details.amount_discount) == (4300, 700)
    assert session.discounts[0].promotion_code == promo.id
    with pytest.raises(stripe.InvalidRequestError) as refused:
        stripe.checkout.Session.create(
            mode="subscription", line_items=[{"price": price.id}],
            success_url="https://shop.example/ok", allow_promotion_codes=True,
            discounts=[{"promotion_code": promo.id}],
        )  # fmt: skip
    assert refused.value.param == "allow_promotion_codes"
    with pytest.raises(stripe.InvalidRequestError) as refused:
        stripe.checkout.Session.create(
            mode="subscription", line_items=[{"price": price.id}],
            success_url="https://shop.example/ok",
            discounts=[{"promotion_code": promo.id, "coupon": coupon.id}],
        )  # fmt: skip
    assert refused.value.param == "discounts[0]"
    checked_ledger()


def test_tax_rates_on_a_session_through_the_api(stripe, checked_ledger):
    _, _, price = _catalog(stripe)
    sales = stripe.TaxRate.create(display_name="Sales tax", percentage=6.5, inclusive=False)
    vat = stripe.TaxRate.create(display_name="VAT", percentage=25, inclusive=True)
    session = stripe.checkout.Session.create(
        mode="subscription",
        line_items=[{"price": price.id, "quantity": 2, "tax_rates": [vat.id]}],
        success_url="https://shop.example/ok",
        subscription_data={"default_tax_rates": [sales.id]},
    )
    # 2 × 15.00 = 30.00 with its own rate (VAT 25% inclusive: 30.00 × 25/125 = 6.00); the
    # default rate taxes only lines without rates of their own.
    assert (session.total_details.amount_tax, session.amount_total) == (600, 3000)
    items = stripe.checkout.Session.list_line_items(session.id)
    assert [(t.rate.id, t.amount) for t in items.data[0].taxes] == [(vat.id, 600)]
    with pytest.raises(stripe.InvalidRequestError) as refused:
        stripe.checkout.Session.create(
            mode="subscription", success_url="https://shop.example/ok",
            line_items=[{"price": price.id, "dynamic_tax_rates": [sales.id]}],
        )  # fmt: skip
    assert refused.value.param == "line_items[0][dynamic_tax_rates]"
    checked_ledger()
