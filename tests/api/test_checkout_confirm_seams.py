"""Seams of a Checkout Session confirmed through the API (`/v1/payment_pages/{id}/
confirm`, what Stripe.js posts): it asks what the hosted page asks, no less."""

from __future__ import annotations

from tests.conftest import ledger_digest

SUCCESS = "https://shop.example/ok"


def _session(stripe, **page):
    price = stripe.Price.create(currency="usd", unit_amount=1500, product_data={"name": "Mug"})
    return stripe.checkout.Session.create(
        mode="payment", success_url=SUCCESS, line_items=[{"price": price.id, "quantity": 1}],
        **page,
    )  # fmt: skip


def _confirm(http, session, **fields):
    """The card and amount Stripe.js posts to confirm `session`, with `fields` besides."""
    return http.post(
        f"/v1/payment_pages/{session.id}/confirm",
        data={"payment_method": "pm_card_visa", "expected_amount": "1500", **fields},
    )


def test_a_session_requiring_the_terms_is_not_confirmed_without_the_customers_consent(
    stripe, http, ledger_path, checked_ledger
):
    """`consent_collection[terms_of_service]=required`: Stripe completes the session only
    once the customer accepted the terms, and records `consent.terms_of_service`. The
    hosted page refuses without the box ticked; the API's confirm did not ask at all,
    charging the card and completing with `consent: null`."""
    session = _session(stripe, consent_collection={"terms_of_service": "required"})
    before = ledger_digest(ledger_path)
    refused = _confirm(http, session)
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["param"] == "terms_of_service"
    assert ledger_digest(ledger_path) == before
    assert stripe.checkout.Session.retrieve(session.id).status == "open"
    accepted = _confirm(http, session, **{"consent[terms_of_service]": "accepted"})
    assert accepted.status_code == 200, accepted.text
    done = stripe.checkout.Session.retrieve(session.id)
    assert (done.status, done.payment_status) == ("complete", "paid")
    assert done.consent.terms_of_service == "accepted"
    checked_ledger()


def test_a_session_asking_for_a_phone_number_is_not_confirmed_without_one(
    stripe, http, ledger_path, checked_ledger
):
    """`phone_number_collection[enabled]`: the phone is required on the page, and ends
    up in `customer_details.phone`."""
    session = _session(stripe, phone_number_collection={"enabled": True})
    before = ledger_digest(ledger_path)
    refused = _confirm(http, session)
    assert refused.status_code == 400 and refused.json()["error"]["param"] == "phone"
    assert ledger_digest(ledger_path) == before
    given = _confirm(http, session, phone="+15555550123")
    assert given.status_code == 200, given.text
    done = stripe.checkout.Session.retrieve(session.id)
    assert (done.status, done.customer_details.phone) == ("complete", "+15555550123")
    checked_ledger()
