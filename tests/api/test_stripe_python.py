"""A whole billing story through the official stripe-python library (16.x, which sends
Stripe-Version 2026-10-28.endive and reads today's fields), against `billcli api serve`;
the CLI then sees the same ledger."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest


def test_customers_balance_and_invoices_through_their_lifecycle(
    stripe: Any, ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    ada = stripe.Customer.create(
        name="Ada Lovelace",
        email="ada@example.com",
        payment_method="pm_card_visa",
        metadata={"plan": "pro"},
    )
    assert (ada.object, ada.email, ada.metadata["plan"]) == ("customer", "ada@example.com", "pro")
    assert ok("customers", "show", ada.id)["email"] == "ada@example.com"
    made = [
        stripe.Customer.create_balance_transaction(
            ada.id, amount=-100 * n, currency="usd", description=f"credit {n}"
        )
        for n in range(1, 6)
    ]
    assert [t.ending_balance for t in made] == [-100, -300, -600, -1000, -1500]
    page = stripe.Customer.list_balance_transactions(ada.id, limit=2)
    assert page.has_more and len(page.data) == 2 and page.url.endswith("/balance_transactions")
    walked = [t.id for t in page.auto_paging_iter()]
    assert walked == [t.id for t in reversed(made)]
    changed = stripe.Customer.modify_balance_transaction(ada.id, made[0].id, description="first")
    assert changed.description == "first"
    assert stripe.Customer.retrieve_balance_transaction(ada.id, made[0].id).description == "first"

    stripe.InvoiceItem.create(customer=ada.id, amount=4000, currency="usd", description="Work")
    draft = stripe.Invoice.create(
        customer=ada.id, pending_invoice_items_behavior="include", metadata={"po": "42"}
    )
    assert (draft.status, draft.total, draft.parent) == ("draft", 4000, None)
    assert draft.lines.data[0].invoice == draft.id and draft.lines.data[0].subtotal == 4000
    final = stripe.Invoice.finalize_invoice(draft.id)
    assert (final.status, final.amount_due, final.starting_balance) == ("open", 2500, -1500)
    paid = stripe.Invoice.pay(final.id)
    assert (paid.status, paid.amount_paid) == ("paid", 2500)
    assert ok("invoices", "show", final.id)["status"] == "paid"
    listed = stripe.Invoice.list(customer=ada.id)
    assert [i.id for i in listed.auto_paging_iter()] == [final.id]

    stripe.InvoiceItem.create(customer=ada.id, amount=900, currency="usd")
    doomed = stripe.Invoice.create(
        customer=ada.id,
        pending_invoice_items_behavior="include",
        collection_method="send_invoice",
        days_until_due=7,
    )
    doomed = stripe.Invoice.finalize_invoice(doomed.id, auto_advance=False)
    assert stripe.Invoice.void_invoice(doomed.id).status == "void"
    assert stripe.Invoice.retrieve(doomed.id, expand=["customer"]).customer.id == ada.id
    checked_ledger()


def test_errors_come_back_as_the_exceptions_stripe_raises(stripe: Any) -> None:
    with pytest.raises(stripe.InvalidRequestError) as missing:
        stripe.Customer.retrieve("cus_00000000000000000000000a")
    assert (missing.value.http_status, missing.value.code) == (404, "resource_missing")
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        stripe.Customer.create(nmae="typo")
    assert (unknown.value.code, unknown.value.param) == ("parameter_unknown", "nmae")
    with pytest.raises(stripe.InvalidRequestError) as typed:
        stripe.Customer.create_balance_transaction(
            stripe.Customer.create(name="B").id, amount="abc", currency="usd"
        )
    assert (typed.value.http_status, typed.value.param) == (400, "amount")
    bob = stripe.Customer.create(name="Bob", payment_method="pm_card_visa")
    stripe.InvoiceItem.create(customer=bob.id, amount=1500, currency="usd")
    inv = stripe.Invoice.create(customer=bob.id, pending_invoice_items_behavior="include")
    stripe.Invoice.finalize_invoice(inv.id, auto_advance=False)
    with pytest.raises(stripe.CardError) as declined:
        stripe.Invoice.pay(inv.id, payment_method="pm_card_chargeDeclined")
    assert (declined.value.http_status, declined.value.code) == (402, "card_declined")
    wrong = stripe.api_key
    stripe.api_key = "sk_test_thisIsNotTheLedgersKey0000000000"
    try:
        with pytest.raises(stripe.AuthenticationError) as denied:
            stripe.Customer.list()
        assert denied.value.http_status == 401
        assert "Invalid API Key provided" in denied.value.user_message
    finally:
        stripe.api_key = wrong


def test_idempotent_retries_write_once(stripe: Any, ok: Callable[..., Any]) -> None:
    first = stripe.Customer.create(name="Once", idempotency_key="signup-77")
    again = stripe.Customer.create(name="Once", idempotency_key="signup-77")
    assert first.id == again.id
    assert [c["id"] for c in ok("customers", "list")["data"]] == [first.id]
    with pytest.raises(stripe.IdempotencyError) as conflict:
        stripe.Customer.create(name="Other", idempotency_key="signup-77")
    assert conflict.value.http_status == 400
    with pytest.raises(stripe.IdempotencyError):
        stripe.Product.create(name="Once", idempotency_key="signup-77")


def test_subscriptions_coupons_and_the_test_clock(
    stripe: Any, ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    product = stripe.Product.create(name="Pro plan")
    price = stripe.Price.create(
        product=product.id,
        currency="usd",
        unit_amount=2000,
        recurring={"interval": "month"},
        lookup_key="pro-monthly",
    )
    assert stripe.Price.list(lookup_keys=["pro-monthly"]).data[0].id == price.id
    coupon = stripe.Coupon.create(percent_off=25, duration="forever", id="QUARTER")
    cy = stripe.Customer.create(name="Cy", email="cy@example.com", payment_method="pm_card_visa")
    sub = stripe.Subscription.create(
        customer=cy.id,
        items=[{"price": price.id, "quantity": 2}],
        discounts=[{"coupon": coupon.id}],
    )
    assert sub.status == "active" and sub.items.data[0].quantity == 2
    assert sub.items.data[0].current_period_end > sub.items.data[0].current_period_start
    first = stripe.Invoice.retrieve(sub.latest_invoice)
    assert (first.status, first.total, first.parent.subscription_details.subscription) == (
        "paid",
        3000,
        sub.id,
    )
    preview = stripe.Invoice.create_preview(customer=cy.id, subscription=sub.id)
    assert preview.total == 3000
    changed = stripe.Subscription.modify(
        sub.id, items=[{"id": sub.items.data[0].id, "quantity": 3}]
    )
    assert changed.items.data[0].quantity == 3
    clock = stripe.test_helpers.TestClock.retrieve("clock_ledger")  # the ledger's own
    target = sub.items.data[0].current_period_end + 7200
    advanced = stripe.test_helpers.TestClock.advance(clock.id, frozen_time=target)
    assert advanced.frozen_time == target
    renewed = stripe.Subscription.retrieve(sub.id)
    assert renewed.latest_invoice != sub.latest_invoice
    renewal = stripe.Invoice.retrieve(renewed.latest_invoice)
    assert renewal.status == "paid" and renewal.billing_reason == "subscription_cycle"
    found = stripe.Subscription.search(query="status:'active' AND metadata['x']:null")
    assert [s.id for s in found.data] == [sub.id]
    stripe.billing_portal.Configuration.create(
        business_profile={"headline": "Acme"}, features={"invoice_history": {"enabled": True}}
    )
    session = stripe.billing_portal.Session.create(customer=cy.id, return_url="https://example.com")
    assert session.url.startswith("http") and session.customer == cy.id
    note = stripe.CreditNote.create(invoice=renewal.id, amount=500)
    assert note.type == "post_payment" and note.post_payment_amount == 500
    canceled = stripe.Subscription.cancel(sub.id)
    assert canceled.status == "canceled"
    assert ok("subscriptions", "show", sub.id)["status"] == "canceled"
    events = stripe.Event.list(type="customer.subscription.deleted")
    assert [e.data.object.id for e in events.data] == [sub.id]
    checked_ledger()


def _ready(stripe: Any, clock_id: str) -> Any:
    """Poll a test clock until its advance is done, as Stripe's documentation says to."""
    deadline = time.monotonic() + 60
    clock = stripe.test_helpers.TestClock.retrieve(clock_id)
    while clock.status == "advancing" and time.monotonic() < deadline:
        time.sleep(0.2)
        clock = stripe.test_helpers.TestClock.retrieve(clock_id)
    return clock


def test_a_customer_on_a_test_clock_lives_and_is_billed_in_its_time(
    stripe: Any, ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    start = 1577836800  # 2020-01-01, in the past: Stripe allows it
    clock = stripe.test_helpers.TestClock.create(frozen_time=start, name="story")
    assert (clock.object, clock.status, clock.frozen_time) == (
        "test_helpers.test_clock",
        "ready",
        start,
    )
    assert clock.deletes_after == clock.created + 30 * 86_400  # Stripe's retention
    cy = stripe.Customer.create(name="Cy", payment_method="pm_card_visa", test_clock=clock.id)
    assert (cy.test_clock, cy.created) == (clock.id, start)
    bystander = stripe.Customer.create(name="On the ledger clock")
    assert [c.id for c in stripe.Customer.list().data] == [bystander.id]
    assert [c.id for c in stripe.Customer.list(test_clock=clock.id).data] == [cy.id]
    product = stripe.Product.create(name="Clocked plan")
    price = stripe.Price.create(
        product=product.id, currency="usd", unit_amount=1500, recurring={"interval": "month"}
    )
    sub = stripe.Subscription.create(customer=cy.id, items=[{"price": price.id}])
    assert (sub.start_date, sub.test_clock) == (start, clock.id)
    assert [s.id for s in stripe.Subscription.list().data] == []
    assert [s.id for s in stripe.Subscription.list(test_clock=clock.id).data] == [sub.id]

    months = [int(datetime(2020, m, 1, tzinfo=UTC).timestamp()) for m in (2, 3, 4)]
    advanced = stripe.test_helpers.TestClock.advance(clock.id, frozen_time=months[1] + 7200)
    assert advanced.id == clock.id and advanced.status in ("advancing", "ready")
    clock = _ready(stripe, clock.id)
    assert (clock.status, clock.frozen_time) == ("ready", months[1] + 7200)
    invoices = sorted(stripe.Invoice.list(customer=cy.id).data, key=lambda i: i.created)
    assert [(i.created, i.status, i.total) for i in invoices] == [
        (start, "paid", 1500),
        (months[0], "paid", 1500),
        (months[1], "paid", 1500),
    ]
    renewal = invoices[1].lines.data[0].period
    assert (renewal.start, renewal.end) == (months[0], months[1])  # February 2020: 29 days
    events = stripe.Event.list(limit=100).data
    kinds = [e.type for e in events if e.type.startswith("test_helpers.test_clock.")]
    assert kinds == [
        "test_helpers.test_clock.ready",
        "test_helpers.test_clock.advancing",
        "test_helpers.test_clock.created",
    ]

    with pytest.raises(stripe.InvalidRequestError) as backwards:
        stripe.test_helpers.TestClock.advance(clock.id, frozen_time=start)
    assert (backwards.value.http_status, backwards.value.param) == (400, "frozen_time")
    with pytest.raises(stripe.InvalidRequestError) as attach:
        stripe.Customer.modify(bystander.id, test_clock=clock.id)
    assert attach.value.code == "parameter_unknown"
    checked_ledger()

    gone = stripe.test_helpers.TestClock.delete(clock.id)
    assert gone.deleted is True
    assert stripe.Customer.retrieve(cy.id).deleted is True
    assert ok("subscriptions", "show", sub.id)["status"] == "canceled"
    with pytest.raises(stripe.InvalidRequestError) as missing:
        stripe.test_helpers.TestClock.retrieve(clock.id)
    assert missing.value.http_status == 404
    checked_ledger()


def test_payment_methods_intents_declines_and_refunds(
    stripe: Any, ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    dee = stripe.Customer.create(name="Dee", email="dee@example.com")
    card = stripe.PaymentMethod.create(type="card", card={"token": "tok_visa"})
    assert (card.card.brand, card.card.last4, card.customer) == ("visa", "4242", None)
    card = stripe.PaymentMethod.attach(card.id, customer=dee.id)
    assert card.customer == dee.id and card.allow_redisplay == "unspecified"
    stripe.Customer.modify(dee.id, invoice_settings={"default_payment_method": card.id})
    listed = stripe.Customer.list_payment_methods(dee.id)
    assert [m.id for m in listed.data] == [card.id]
    assert stripe.PaymentMethod.retrieve(card.id).card.fingerprint == card.card.fingerprint

    with pytest.raises(stripe.CardError) as declined:
        stripe.PaymentIntent.create(
            amount=1500,
            currency="usd",
            customer=dee.id,
            payment_method="pm_card_visa_chargeDeclinedInsufficientFunds",
            confirm=True,
        )
    assert (declined.value.http_status, declined.value.code) == (402, "card_declined")
    error = declined.value.json_body["error"]
    assert error["decline_code"] == "insufficient_funds"
    failed = stripe.PaymentIntent.retrieve(error["payment_intent"]["id"])
    assert failed.status == "requires_payment_method"
    assert failed.last_payment_error.decline_code == "insufficient_funds"
    assert stripe.Charge.retrieve(error["charge"]).failure_code == "card_declined"

    paid = stripe.PaymentIntent.confirm(failed.id, payment_method=card.id)
    assert (paid.status, paid.amount_received) == ("succeeded", 1500)
    refund = stripe.Refund.create(payment_intent=paid.id, amount=400)
    assert (refund.status, refund.amount, refund.charge) == ("succeeded", 400, paid.latest_charge)
    assert stripe.Charge.retrieve(paid.latest_charge).amount_refunded == 400
    with pytest.raises(stripe.InvalidRequestError) as too_much:
        stripe.Refund.create(charge=paid.latest_charge, amount=5000)
    assert too_much.value.param == "amount"

    waiting = stripe.PaymentIntent.create(
        amount=900,
        currency="usd",
        payment_method="pm_card_authenticationRequired",
        confirm=True,
        return_url="https://example.com/back",
    )
    assert waiting.status == "requires_action"
    assert waiting.next_action.type == "redirect_to_url"
    setup = stripe.SetupIntent.create(
        customer=dee.id, payment_method="pm_card_mastercard", confirm=True
    )
    assert setup.status == "succeeded"
    found = stripe.Charge.search(query="status:'failed'")
    assert [c.id for c in found.data] == [error["charge"]]
    assert ok("payment-intents", "show", paid.id)["status"] == "succeeded"
    checked_ledger()


def test_an_invoice_shows_its_payments_in_todays_version(stripe: Any) -> None:
    eve = stripe.Customer.create(name="Eve", payment_method="pm_card_visa")
    stripe.InvoiceItem.create(customer=eve.id, amount=2100, currency="usd")
    invoice = stripe.Invoice.create(customer=eve.id, pending_invoice_items_behavior="include")
    invoice = stripe.Invoice.finalize_invoice(invoice.id)
    assert invoice.confirmation_secret.type == "payment_intent"
    invoice = stripe.Invoice.pay(invoice.id)
    (payment,) = invoice.payments.data
    assert (payment.status, payment.amount_paid) == ("paid", 2100)
    listed = stripe.InvoicePayment.list(invoice=invoice.id)
    assert [p.id for p in listed.data] == [payment.id]
    intent = stripe.PaymentIntent.retrieve(payment.payment.payment_intent)
    assert intent.status == "succeeded" and not hasattr(intent, "invoice")


def test_the_readme_snippet_runs_as_printed(api: str, api_key: str, capsys: Any) -> None:
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    found = re.search(r"<!-- api-snippet -->\n```python\n(.*?)```", readme, re.S)
    assert found, "the README has its stripe-python snippet"
    code = found.group(1).replace('"sk_test_…"', repr(api_key))
    code = code.replace('"http://127.0.0.1:4243"', repr(api))
    import stripe

    saved = (stripe.api_key, stripe.api_base)
    try:
        exec(compile(code, "README.md", "exec"), {})
    finally:
        stripe.api_key, stripe.api_base = saved
    number, due = capsys.readouterr().out.split()
    assert number.endswith("-0001") and due == "1500"


def test_a_promotion_code_at_a_subscription_and_the_older_api_through_the_library(
    stripe: Any, ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    """Stripe's documented flow for a promotion code on a subscription (today's shape:
    `promotion`, `discounts`), then what an integration written before prices sends."""
    coupon = stripe.Coupon.create(percent_off=20, duration="repeating", duration_in_months=3)
    promo = stripe.PromotionCode.create(
        promotion={"type": "coupon", "coupon": coupon.id},
        code="LAUNCH20",
        restrictions={"first_time_transaction": True},
    )
    assert (promo.code, promo.promotion.coupon) == ("LAUNCH20", coupon.id)
    found = stripe.PromotionCode.list(code="launch20", active=True)
    assert [p.id for p in found.data] == [promo.id]
    product = stripe.Product.create(name="Team")
    price = stripe.Price.create(
        product=product.id, currency="usd", unit_amount=5000, recurring={"interval": "month"}
    )
    dee = stripe.Customer.create(name="Dee", payment_method="pm_card_visa")
    sub = stripe.Subscription.create(
        customer=dee.id, items=[{"price": price.id}], discounts=[{"promotion_code": promo.id}]
    )
    (discount,) = sub.discounts
    shown = stripe.Subscription.retrieve(sub.id, expand=["discounts"]).discounts[0]
    assert (discount, shown.promotion_code, shown.source.coupon) == (shown.id, promo.id, coupon.id)
    first = stripe.Invoice.retrieve(sub.latest_invoice)
    assert first.total == 5000 - 5000 * 20 // 100
    assert stripe.PromotionCode.retrieve(promo.id).times_redeemed == 1

    plan = stripe.Plan.create(
        amount=1500, currency="usd", interval="month", product={"name": "Legacy"}, id="legacy"
    )
    eve = stripe.Customer.create(name="Eve", source="tok_visa")
    legacy = stripe.Subscription.create(customer=eve.id, items=[{"plan": plan.id}])
    assert legacy.items.data[0].plan.id == "legacy" and legacy.status == "active"
    cards = stripe.Customer.list_sources(eve.id, object="card")
    assert [c.id for c in cards.data] == [eve.default_source]
    assert ok("invoices", "show", legacy.latest_invoice)["amount_paid"] == 1500
    checked_ledger()


def test_stripes_documented_billing_examples_with_trials_settings_and_printed_fields(
    stripe: Any, ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    # "Set a default payment method" (docs/billing/subscriptions/build-subscriptions):
    # the test card attached and made the default for invoices in one call.
    fay = stripe.Customer.create(
        name="Fay",
        email="fay@example.com",
        payment_method="pm_card_visa",
        invoice_settings={"default_payment_method": "pm_card_visa"},
    )
    (card,) = stripe.Customer.list_payment_methods(fay.id).data
    assert fay.invoice_settings.default_payment_method == card.id
    price = stripe.Price.create(
        product_data={"name": "Team plan"},
        currency="usd",
        unit_amount=1500,
        recurring={"interval": "month"},
    )
    # "Use trial periods" (docs/billing/subscriptions/trials): cancel when the trial ends
    # without a payment method; the customer who has one is charged instead.
    trial = {"end_behavior": {"missing_payment_method": "cancel"}}
    paying = stripe.Subscription.create(
        customer=fay.id, items=[{"price": price.id}], trial_period_days=7, trial_settings=trial
    )
    gus = stripe.Customer.create(name="Gus", email="gus@example.com")
    leaving = stripe.Subscription.create(
        customer=gus.id,
        items=[{"price": price.id}],
        trial_period_days=7,
        trial_settings=trial,
        payment_settings={"save_default_payment_method": "on_subscription"},
    )
    assert paying.status == leaving.status == "trialing"
    assert leaving.trial_settings.end_behavior.missing_payment_method == "cancel"
    # Customers on no test clock live on the ledger clock, which the API answers as
    # `clock_ledger` (not listed: it cannot be deleted).
    stripe.test_helpers.TestClock.advance("clock_ledger", frozen_time=paying.trial_end + 3600)
    assert stripe.Subscription.retrieve(paying.id).status == "active"
    renewal = stripe.Invoice.retrieve(stripe.Subscription.retrieve(paying.id).latest_invoice)
    assert (renewal.status, renewal.total) == ("paid", 1500)
    gone = stripe.Subscription.retrieve(leaving.id)
    assert (gone.status, gone.ended_at) == ("canceled", leaving.trial_end)
    # "Customize invoices" (docs/invoicing/customize): custom fields and a footer.
    stripe.InvoiceItem.create(customer=fay.id, amount=4200, currency="usd", description="Audit")
    invoice = stripe.Invoice.create(
        customer=fay.id,
        pending_invoice_items_behavior="include",
        custom_fields=[{"name": "PO number", "value": "12345"}],
        footer="Thank you for your business.",
        collection_method="send_invoice",
        days_until_due=30,
    )
    final = stripe.Invoice.finalize_invoice(invoice.id)
    assert [(f.name, f.value) for f in final.custom_fields] == [("PO number", "12345")]
    assert final.footer == "Thank you for your business."
    shown = ok("invoices", "show", final.id)
    assert (shown["footer"], shown["total"]) == ("Thank you for your business.", 4200)
    checked_ledger()
