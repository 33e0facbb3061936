"""The documented parameters of Checkout Sessions and subscription schedules that billcli
models (their effect on the session, its page, the customer, the subscription), and
those it refuses by name with nothing written."""

from __future__ import annotations

from typing import Any

import pytest


def _catalog(stripe: Any) -> tuple[Any, Any]:
    customer = stripe.Customer.create(email="ada@example.com", payment_method="pm_card_visa")
    product = stripe.Product.create(name="Pro")
    price = stripe.Price.create(product=product.id, unit_amount=1500, currency="usd",
                                recurring={"interval": "month"})  # fmt: skip
    return customer, price


def test_a_schedules_default_settings_bill_the_subscription_its_phases_start(
    stripe, checked_ledger
):
    customer, price = _catalog(stripe)
    schedule = stripe.SubscriptionSchedule.create(
        customer=customer.id,
        start_date="now",
        default_settings={
            "collection_method": "send_invoice",
            "invoice_settings": {"days_until_due": 14},
            "description": "Annual plan",
        },
        phases=[{"items": [{"price": price.id}], "iterations": 1}],
    )
    shown = schedule.default_settings
    assert (shown.collection_method, shown.invoice_settings.days_until_due) == ("send_invoice", 14)
    assert shown.description == "Annual plan"
    sub = stripe.Subscription.retrieve(schedule.subscription)
    assert (sub.collection_method, sub.days_until_due, sub.description) == (
        "send_invoice", 14, "Annual plan",
    )  # fmt: skip
    checked_ledger()


def test_a_phases_own_settings_win_over_the_defaults(stripe, checked_ledger):
    customer, price = _catalog(stripe)
    schedule = stripe.SubscriptionSchedule.create(
        customer=customer.id,
        start_date="now",
        default_settings={"description": "Default"},
        phases=[{"items": [{"price": price.id}], "iterations": 1, "description": "Launch"}],
    )
    assert schedule.phases[0].description == "Launch"
    assert stripe.Subscription.retrieve(schedule.subscription).description == "Launch"
    checked_ledger()


def test_schedules_are_listed_by_whether_they_started_and_when_they_were_released(
    stripe, checked_ledger
):
    customer, price = _catalog(stripe)
    later = stripe.SubscriptionSchedule.create(
        customer=customer.id,
        start_date=int(stripe.test_helpers.TestClock.retrieve("clock_ledger").frozen_time) + 86_400,
        phases=[{"items": [{"price": price.id}], "iterations": 1}],
    )
    now = stripe.SubscriptionSchedule.create(
        customer=customer.id, start_date="now",
        phases=[{"items": [{"price": price.id}], "iterations": 1}],
    )  # fmt: skip
    released = stripe.SubscriptionSchedule.release(now.id)
    assert [s.id for s in stripe.SubscriptionSchedule.list(scheduled=True).data] == [later.id]
    assert [s.id for s in stripe.SubscriptionSchedule.list(scheduled=False).data] == [now.id]
    by_release = stripe.SubscriptionSchedule.list(released_at={"gte": released.released_at})
    assert [s.id for s in by_release.data] == [now.id]
    assert stripe.SubscriptionSchedule.list(canceled_at={"gte": 0}).data == []
    checked_ledger()


def test_a_sessions_page_settings_are_shown_on_the_session(stripe, checked_ledger):
    customer, price = _catalog(stripe)
    session = stripe.checkout.Session.create(
        mode="subscription",
        customer=customer.id,
        line_items=[{"price": price.id, "metadata": {"seat": "lead"}}],
        success_url="https://shop.example/ok",
        locale="fr",
        billing_address_collection="required",
        phone_number_collection={"enabled": True},
        custom_text={"submit": {"message": "Billed monthly"}},
        submit_type="subscribe",
        consent_collection={"terms_of_service": "required"},
        customer_update={"address": "auto"},
        subscription_data={"description": "Pro seats"},
        ui_mode="hosted",
    )
    assert (session.locale, session.billing_address_collection) == ("fr", "required")
    assert session.phone_number_collection.enabled is True
    assert session.custom_text.submit.message == "Billed monthly"
    assert session.submit_type == "subscribe"
    assert session.consent_collection.terms_of_service == "required"
    items = stripe.checkout.Session.list_line_items(session.id)
    assert items.data[0].metadata.to_dict() == {"seat": "lead"}
    checked_ledger()


REFUSED = [
    ({"shipping_options": [{"shipping_rate": "shr_1"}]}, "shipping_options", "shipping"),
    ({"ui_mode": "embedded"}, "ui_mode", "ui_mode"),
    ({"return_url": "https://shop.example/back"}, "return_url", "embedded"),
    ({"redirect_on_completion": "never"}, "redirect_on_completion", "embedded"),
    ({"setup_intent_data": {"description": "x"}}, "setup_intent_data", "setup mode"),
    ({"automatic_tax": {"enabled": True}}, "automatic_tax[enabled]", "Stripe Tax"),
    ({"payment_intent_data": {"application_fee_amount": 10}},
     "payment_intent_data[application_fee_amount]", "Connect"),
    ({"optional_items": [{"price": "price_x", "quantity": 1}]}, "optional_items", "optional"),
    ({"invoice_creation": {"enabled": True, "invoice_data": {"account_tax_ids": ["txi_1"]}}},
     "invoice_creation[invoice_data][account_tax_ids]", "account tax IDs"),
    ({"success_url": None}, "success_url", "success_url"),
]  # fmt: skip


@pytest.mark.parametrize(("extra", "param", "fragment"), REFUSED)
def test_unmodelled_session_parameters_are_refused_by_name_with_nothing_written(
    stripe, checked_ledger, extra, param, fragment
):
    _, product = stripe.Customer.create(), stripe.Product.create(name="Manual")
    price = stripe.Price.create(product=product.id, unit_amount=900, currency="usd")
    body = {
        "mode": "payment",
        "line_items": [{"price": price.id}],
        "success_url": "https://shop.example/ok",
        **extra,
    }
    with pytest.raises(stripe.InvalidRequestError) as refused:
        stripe.checkout.Session.create(**{k: v for k, v in body.items() if v is not None})
    assert refused.value.param == param and fragment in str(refused.value)
    assert stripe.checkout.Session.list().data == []
    checked_ledger()


@pytest.mark.parametrize(
    ("extra", "param"),
    [
        ({"pause_schedules": [{"key": "p"}]}, "pause_schedules"),
        ({"billing_mode": {"type": "flexible"}}, "billing_mode"),
        ({"default_settings": {"on_behalf_of": "acct_1"}}, "default_settings[on_behalf_of]"),
        ({"default_settings": {"billing_cycle_anchor": "phase_start"}},
         "default_settings[billing_cycle_anchor]"),
    ],
)  # fmt: skip
def test_unmodelled_schedule_parameters_are_refused_by_name_with_nothing_written(
    stripe, checked_ledger, extra, param
):
    customer, price = _catalog(stripe)
    with pytest.raises(stripe.InvalidRequestError) as refused:
        stripe.SubscriptionSchedule.create(
            customer=customer.id, start_date="now",
            phases=[{"items": [{"price": price.id}], "iterations": 1}], **extra,
        )  # fmt: skip
    assert refused.value.param == param and "billcli" in str(refused.value)
    assert stripe.SubscriptionSchedule.list().data == []
    checked_ledger()
