"""Checkout line items with inline prices (`line_items[][price_data]`), as Stripe's
quickstarts send them: the price made with the session (inactive, its own), on a named
product or one made from `product_data`, billed as a named price would be."""

from __future__ import annotations

from typing import Any

import pytest

SUCCESS = "https://shop.example/ok?s={CHECKOUT_SESSION_ID}"


def test_inline_prices_make_the_sessions_own_prices_and_its_totals(stripe, http, checked_ledger):
    product = stripe.Product.create(name="Pro")
    monthly = {"interval": "month"}
    session = stripe.checkout.Session.create(
        mode="subscription",
        success_url=SUCCESS,
        line_items=[
            {
                "price_data": {"currency": "usd", "product": product.id, "unit_amount": 1500,
                               "recurring": monthly},
                "quantity": 2,
            },
            {
                "price_data": {"currency": "usd", "unit_amount": 500, "recurring": monthly,
                               "product_data": {"name": "Support", "metadata": {"kind": "addon"}}},
            },
        ],
    )  # fmt: skip
    # 2 × 15.00 and 1 × 5.00, every month.
    assert (session.amount_subtotal, session.amount_total) == (2 * 1500 + 500, 3500)
    items = stripe.checkout.Session.list_line_items(session.id).data
    seats, support = (item.price for item in items)
    assert (seats.product, seats.unit_amount, seats.recurring.interval) == (
        product.id,
        1500,
        "month",
    )
    assert (seats.active, support.active, support.unit_amount) == (False, False, 500)
    made = stripe.Product.retrieve(support.product)
    assert (made.name, made.metadata.to_dict()) == ("Support", {"kind": "addon"})
    assert [p.id for p in stripe.Price.list(active=True).data] == []
    paid = http.post(
        f"/v1/payment_pages/{session.id}/confirm",
        data={
            "payment_method": "pm_card_visa",
            "expected_amount": "3500",
            "email": "a@example.com",
        },
    )
    assert paid.status_code == 200, paid.text
    done = stripe.checkout.Session.retrieve(session.id)
    assert done.status == "complete"
    sub = stripe.Subscription.retrieve(done.subscription)
    assert sorted((i.price.id, i.quantity) for i in sub["items"].data) == sorted(
        [(seats.id, 2), (support.id, 1)]
    )
    invoice = stripe.Invoice.retrieve(done.invoice)
    assert (invoice.status, invoice.amount_paid) == ("paid", 3500)

    once = stripe.checkout.Session.create(
        mode="payment",
        success_url=SUCCESS,
        line_items=[{"price_data": {"currency": "eur", "unit_amount": 1999,
                                    "product_data": {"name": "Ebook"}}, "quantity": 3}],
    )  # fmt: skip
    assert (once.currency, once.amount_total) == ("eur", 3 * 1999)
    (book,) = stripe.checkout.Session.list_line_items(once.id).data
    assert (book.price.type, book.amount_total) == ("one_time", 5997)
    checked_ledger()


@pytest.mark.parametrize(
    ("item", "param"),
    [
        ({"quantity": 1}, "line_items[0][price]"),
        (
            {"price": "price_x", "price_data": {"currency": "usd", "unit_amount": 100,
                                                "product_data": {"name": "A"}}},
            "line_items[0][price]",
        ),
        ({"price_data": {"currency": "usd", "unit_amount": 100}},
         "line_items[0][price_data][product]"),
        ({"price_data": {"currency": "usd", "product_data": {"name": "A"}}},
         "line_items[0][price_data][unit_amount]"),
        ({"price_data": {"currency": "usd", "unit_amount": 100, "product": "prod_missing"}},
         "line_items[0][price_data][product]"),
        ({"price_data": {"currency": "usd", "unit_amount": 100,
                         "product_data": {"unit_label": "seat"}}},
         "line_items[0][price_data][product_data][name]"),
    ],
)  # fmt: skip
def test_a_line_item_needs_one_price_and_a_product_and_nothing_is_written(
    stripe: Any, checked_ledger: Any, item: dict[str, Any], param: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        stripe.checkout.Session.create(mode="payment", success_url=SUCCESS, line_items=[item])
    assert refused.value.param == param
    assert stripe.checkout.Session.list().data == []
    assert stripe.Price.list().data == [] and stripe.Product.list().data == []
    checked_ledger()
