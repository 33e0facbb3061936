"""`invoice_creation` over the API, with stripe-python: a payment session shows it in
Stripe's shape and, once paid through the payment-page API, names the paid invoice
its `invoice_data` describes; what Stripe documents but billcli cannot honour, or
what breaks its rules, is refused naming the parameter, nothing written."""

from __future__ import annotations

import pytest

from tests.conftest import ledger_digest

SUCCESS = "https://shop.example/ok"
DATA = {
    "description": "Order 42",
    "footer": "Thank you",
    "metadata": {"order": "42"},
    "custom_fields": [{"name": "PO", "value": "7781"}],
    "rendering_options": {"amount_tax_display": "exclude_tax"},
}


def _price(stripe):
    return stripe.Price.create(currency="usd", unit_amount=1500, product_data={"name": "Mug"})


def test_a_paid_session_names_its_invoice_made_from_its_invoice_data(stripe, http, checked_ledger):
    session = stripe.checkout.Session.create(
        mode="payment", success_url=SUCCESS,
        line_items=[{"price": _price(stripe).id, "quantity": 2}],
        invoice_creation={"enabled": True, "invoice_data": DATA},
    )  # fmt: skip
    shown = session.invoice_creation.to_dict()
    assert shown["enabled"] is True and shown["invoice_data"]["footer"] == "Thank you"
    assert shown["invoice_data"]["custom_fields"] == DATA["custom_fields"]
    assert shown["invoice_data"]["rendering_options"] == {
        "amount_tax_display": "exclude_tax", "template": None,
    }  # fmt: skip
    paid = http.post(
        f"/v1/payment_pages/{session.id}/confirm",
        data={"payment_method": "pm_card_visa", "expected_amount": "3000"},
    )
    assert paid.status_code == 200, paid.text
    done = stripe.checkout.Session.retrieve(session.id)
    invoice = stripe.Invoice.retrieve(done.invoice)
    assert (invoice.status, invoice.amount_paid, invoice.total) == ("paid", 3000, 3000)
    assert invoice.customer == done.customer is not None
    assert (invoice.description, invoice.footer) == ("Order 42", "Thank you")
    assert invoice.metadata.to_dict() == {"order": "42"}
    assert [f.to_dict() for f in invoice.custom_fields] == DATA["custom_fields"]
    assert invoice.rendering.amount_tax_display == "exclude_tax"
    assert [line.quantity for line in invoice.lines.data] == [2]
    checked_ledger()


@pytest.mark.parametrize(
    ("mode", "creation", "param"),
    [
        ("payment", {"enabled": True, "invoice_data": {"bogus": "x"}},
         "invoice_creation[invoice_data][bogus]"),
        ("payment", {"enabled": True, "invoice_data": {"issuer": {"type": "account",
                                                                 "account": "acct_1"}}},
         "invoice_creation[invoice_data][issuer][account]"),
        ("payment", {"enabled": True, "invoice_data": {"custom_fields": [
            {"name": f"F{n}", "value": "v"} for n in range(5)]}},
         "invoice_creation[invoice_data][custom_fields]"),
        ("payment", {"enabled": True, "invoice_data": {"footer": "f" * 5001}},
         "invoice_creation[invoice_data][footer]"),
        ("subscription", {"enabled": True}, "invoice_creation"),
        ("setup", {"enabled": False}, "invoice_creation"),
    ],
)  # fmt: skip
def test_invoice_creation_against_its_rules_is_refused_naming_the_parameter(
    stripe, ledger_path, checked_ledger, mode, creation, param
):
    monthly = stripe.Price.create(
        currency="usd", unit_amount=900, recurring={"interval": "month"},
        product_data={"name": "Plan"},
    )  # fmt: skip
    price = _price(stripe)
    items = {"payment": [{"price": price.id}], "subscription": [{"price": monthly.id}]}
    before = ledger_digest(ledger_path)
    with pytest.raises(stripe.InvalidRequestError) as refused:
        stripe.checkout.Session.create(
            mode=mode, success_url=SUCCESS, invoice_creation=creation,
            **({"line_items": items[mode]} if mode in items else {"currency": "usd"}),
        )  # fmt: skip
    assert refused.value.param == param, str(refused.value)
    assert len(str(refused.value).splitlines()) == 1
    assert ledger_digest(ledger_path) == before
    checked_ledger()


def test_the_charge_of_a_paid_sessions_invoice_names_it_at_2023_08_16(stripe, http, checked_ledger):
    session = stripe.checkout.Session.create(
        mode="payment", success_url=SUCCESS, line_items=[{"price": _price(stripe).id}],
        invoice_creation={"enabled": True},
    )  # fmt: skip
    paid = http.post(
        f"/v1/payment_pages/{session.id}/confirm",
        data={"payment_method": "pm_card_visa", "expected_amount": "1500"},
    )
    assert paid.status_code == 200, paid.text
    old = {"Stripe-Version": "2023-08-16"}  # `invoice.charge` and `charge.invoice` are in it
    invoice_id = stripe.checkout.Session.retrieve(session.id).invoice
    charge = http.get(f"/v1/invoices/{invoice_id}", headers=old).json()["charge"]
    assert http.get(f"/v1/charges/{charge}", headers=old).json()["invoice"] == invoice_id
    checked_ledger()


@pytest.mark.parametrize(
    ("kind", "says"),
    [("bogus", "must be one of self"), ("account", "connected accounts (Connect)")],
)
def test_an_issuer_other_than_self_is_refused_naming_its_type(stripe, ledger_path, kind, says):
    price = _price(stripe)
    before = ledger_digest(ledger_path)
    with pytest.raises(stripe.InvalidRequestError) as refused:
        stripe.checkout.Session.create(
            mode="payment", success_url=SUCCESS, line_items=[{"price": price.id}],
            invoice_creation={"enabled": True, "invoice_data": {"issuer": {"type": kind}}},
        )  # fmt: skip
    assert refused.value.param == "invoice_creation[invoice_data][issuer][type]"
    assert says in str(refused.value), str(refused.value)
    assert ledger_digest(ledger_path) == before


@pytest.mark.parametrize("invoiced", [False, True])
@pytest.mark.parametrize("method", [{}, {"payment_method": "pm_card_visa"}])
def test_a_session_free_with_a_full_coupon_is_confirmed_without_a_payment(
    stripe, http, checked_ledger, invoiced, method
):
    """Stripe's no-cost orders: a 100%-off coupon takes the total to 0; confirming the
    page by API completes it without a PaymentIntent or charge (`no_payment_required`),
    the coupon redeemed, the customer made, and its invoice (if asked) paid at 0."""
    stripe.Coupon.create(id="FREE", percent_off=100)
    session = stripe.checkout.Session.create(
        mode="payment", success_url=SUCCESS, discounts=[{"coupon": "FREE"}],
        line_items=[{"price": _price(stripe).id, "quantity": 2}],
        **({"invoice_creation": {"enabled": True}} if invoiced else {}),
    )  # fmt: skip
    assert (session.amount_subtotal, session.amount_total) == (3000, 0)
    confirmed = http.post(
        f"/v1/payment_pages/{session.id}/confirm", data={"expected_amount": "0", **method}
    )
    assert confirmed.status_code == 200, confirmed.text
    done = stripe.checkout.Session.retrieve(session.id)
    assert (done.status, done.payment_status, done.payment_intent) == (
        "complete", "no_payment_required", None,
    )  # fmt: skip
    assert done.customer is not None
    assert stripe.Coupon.retrieve("FREE").times_redeemed == 1
    assert stripe.Charge.list().data == [] and stripe.PaymentIntent.list().data == []
    if invoiced:
        invoice = stripe.Invoice.retrieve(done.invoice)
        assert (invoice.status, invoice.total, invoice.amount_paid) == ("paid", 0, 0)
        assert invoice.customer == done.customer
    else:
        assert done.invoice is None
    checked_ledger()


def test_the_charge_of_a_session_that_made_its_customer_lists_under_that_customer(
    stripe, http, checked_ledger
):
    """Stripe attaches the customer Checkout creates to the session's PaymentIntent:
    `Charge.list(customer=…)` and `PaymentIntent.list(customer=…)` find the payment."""
    session = stripe.checkout.Session.create(
        mode="payment", success_url=SUCCESS, customer_creation="always",
        line_items=[{"price": _price(stripe).id, "quantity": 1}],
    )  # fmt: skip
    paid = http.post(
        f"/v1/payment_pages/{session.id}/confirm",
        data={"payment_method": "pm_card_visa", "expected_amount": "1500"},
    )
    assert paid.status_code == 200, paid.text
    done = stripe.checkout.Session.retrieve(session.id)
    assert done.customer is not None
    [charge] = stripe.Charge.list(customer=done.customer).data
    [intent] = stripe.PaymentIntent.list(customer=done.customer).data
    assert (intent.id, charge.payment_intent) == (done.payment_intent, done.payment_intent)
    assert charge.customer == intent.customer == done.customer
    checked_ledger()
