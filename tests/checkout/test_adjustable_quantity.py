"""`line_items[][adjustable_quantity]`: the buyer changes a line's quantity on the hosted
page, within its bounds (Stripe's defaults: 0 to 99; a maximum up to 999999; a lone item
cannot go down to 0). The session is repriced and charges what the page shows. Sessions
are made through Stripe's library against `api serve`; amounts are computed here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from tests.api.conftest import api, api_key, http, stripe  # noqa: F401  (the fixtures)
from tests.payments.conftest import page_path
from tests.web.conftest import csrf

SUCCESS = "https://shop.example/done"


def _set_quantity(client: TestClient, url: str, n: int, quantity: str) -> Any:
    """Type a quantity into line `n`'s field and press Update: the page that follows."""
    path = page_path(url)
    page = client.get(path)
    item = page.text.split(f'id="quantity-{n}"')[0].rsplit('name="line_item" value="', 1)[1]
    form = {"csrf": csrf(page.text), "line_item": item.split('"')[0], "quantity": quantity}
    answer = client.post(f"{path}/quantity", data=form, follow_redirects=False)
    return client.get(answer.headers["location"]) if answer.status_code == 303 else answer


def _adjustable(price: str, quantity: int, **bounds: int) -> dict[str, Any]:
    return {"price": price, "quantity": quantity,
            "adjustable_quantity": {"enabled": True, **bounds}}  # fmt: skip


def test_the_buyer_changes_a_quantity_within_its_bounds_and_pays_what_is_shown(
    stripe,  # noqa: F811
    one_time,
    client,
    fill_in,
    checked_ledger,
):
    session = stripe.checkout.Session.create(
        mode="payment", success_url=SUCCESS,
        line_items=[_adjustable(one_time, 2, minimum=1, maximum=5)],
    )  # fmt: skip
    assert session.amount_total == 2 * 1500
    [item] = stripe.checkout.Session.list_line_items(session.id).data
    assert item.adjustable_quantity.to_dict() == {"enabled": True, "maximum": 5, "minimum": 1}
    page = client.get(page_path(session.url))
    assert 'min="1" max="5"' in page.text

    shown = _set_quantity(client, session.url, 0, "4")
    assert shown.status_code == 200 and 'id="total">$60.00<' in shown.text
    assert stripe.checkout.Session.retrieve(session.id).amount_total == 4 * 1500

    for typed, words in [("6", "Choose a quantity from 1 to 5."), ("0", "from 1 to 5"),
                         ("two", "Enter a whole number")]:  # fmt: skip
        refused = _set_quantity(client, session.url, 0, typed)
        assert refused.status_code == 400 and words in refused.text, typed
    assert stripe.checkout.Session.retrieve(session.id).amount_total == 6000  # unchanged

    assert fill_in(session.url).status_code == 200
    done = stripe.checkout.Session.retrieve(session.id)
    assert stripe.PaymentIntent.retrieve(done.payment_intent).amount == 6000
    checked_ledger()


def test_stripes_default_bounds_and_a_lone_item_cannot_go_to_zero(
    stripe,  # noqa: F811
    one_time,
    client,
    checked_ledger,
):
    session = stripe.checkout.Session.create(
        mode="payment", success_url=SUCCESS, line_items=[_adjustable(one_time, 1)]
    )
    [item] = stripe.checkout.Session.list_line_items(session.id).data
    assert (item.adjustable_quantity.minimum, item.adjustable_quantity.maximum) == (0, 99)
    refused = _set_quantity(client, session.url, 0, "0")
    assert refused.status_code == 400 and "Keep at least one item" in refused.text
    assert _set_quantity(client, session.url, 0, "99").status_code == 200
    assert stripe.checkout.Session.retrieve(session.id).amount_total == 99 * 1500
    assert _set_quantity(client, session.url, 0, "100").status_code == 400
    checked_ledger()


def test_a_subscriptions_quantities_come_from_the_page_and_a_fee_taken_to_zero_is_not_billed(
    stripe,  # noqa: F811
    monthly,
    one_time,
    client,
    fill_in,
    checked_ledger,
    ok: Callable[..., Any],
):
    session = stripe.checkout.Session.create(
        mode="subscription", success_url=SUCCESS,
        line_items=[_adjustable(monthly, 1, maximum=10), _adjustable(one_time, 1)],
    )  # fmt: skip
    assert session.amount_total == 2000 + 1500
    _set_quantity(client, session.url, 0, "3")
    shown = _set_quantity(client, session.url, 1, "0")
    # 3 seats at 20.00 a month; the 15.00 fee taken off.
    assert 'id="total">$60.00<' in shown.text
    assert fill_in(session.url).status_code == 200
    done = stripe.checkout.Session.retrieve(session.id)
    assert done.amount_total == 6000
    sub = stripe.Subscription.retrieve(done.subscription)
    assert [(i.price.id, i.quantity) for i in sub["items"].data] == [(monthly, 3)]
    invoice = ok("invoices", "show", done.invoice)
    assert ([line["amount"] for line in invoice["lines"]["data"]], invoice["amount_paid"]) == (
        [6000],
        6000,
    )
    checked_ledger()


def test_bad_bounds_are_refused_naming_the_parameter_and_nothing_is_written(
    http,  # noqa: F811
    one_time,
    ok: Callable[..., Any],
):
    base = {"mode": "payment", "success_url": SUCCESS, "line_items[0][price]": one_time,
            "line_items[0][quantity]": "2"}  # fmt: skip
    field = "line_items[0][adjustable_quantity]"
    cases = [
        ({f"{field}[minimum]": "1"}, f"{field}[enabled]"),
        ({f"{field}[enabled]": "true", f"{field}[maximum]": "1000000"}, f"{field}[maximum]"),
        ({f"{field}[enabled]": "true", f"{field}[minimum]": "-1"}, f"{field}[minimum]"),
        ({f"{field}[enabled]": "true", f"{field}[minimum]": "5", f"{field}[maximum]": "4"},
         f"{field}[minimum]"),
        ({f"{field}[enabled]": "true", f"{field}[minimum]": "3"}, "line_items[0][quantity]"),
        ({f"{field}[enabled]": "true", f"{field}[step]": "2"}, f"{field}[step]"),
    ]  # fmt: skip
    for extra, param in cases:
        answer = http.post("/v1/checkout/sessions", data={**base, **extra})
        assert answer.status_code == 400, extra
        assert answer.json()["error"]["param"] == param, answer.json()
    assert ok("checkout", "sessions", "list")["data"] == []
