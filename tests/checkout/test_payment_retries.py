"""A payment session's card is charged only for what the page shows at that moment,
and a charge that succeeds always completes its session.

Stripe honours a discount the buyer was shown and paid for: billcli checks a coupon's or
promotion code's limits before the card is charged, in the same transaction, and a
session whose buyer is at the bank's challenge holds its redemption, so another session
cannot take the last one meanwhile. After a decline, the buyer may change the order (a
quantity, a code) and pay again: the PaymentIntent charges the new total. Amounts are
computed here from the prices (one-time price 15.00, coupon 5.00 off).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from billcli.core.checkout import Adjustable
from billcli.errors import InvalidRequest
from billcli.services.checkout import completion, promotions, quantities, sessions
from billcli.services.payments import confirmation
from billcli.store.ledger import Ledger
from tests.conftest import ledger_digest
from tests.tick_helpers import freeze_clock
from tests.web.conftest import csrf

SUCCESS = "https://shop.example/done"
CHALLENGED = "pm_card_threeDSecure2Required"


def _secret(url: str) -> str:
    return url.rsplit("/c/", 1)[1]


def _once_code(ok: Callable[..., Any]) -> str:
    ok("coupons", "create", "--id", "FIVE", "--amount-off", "500", "--currency", "usd")
    made = ok("promotion-codes", "create", "--coupon", "FIVE", "--code", "ONCE",
              "--max-redemptions", "1")  # fmt: skip
    return str(made["id"])


def _payment(ok: Callable[..., Any], price: str, *args: str) -> dict[str, Any]:
    return ok("checkout", "sessions", "create", "--mode", "payment", "--price", price,  # type: ignore[no-any-return]
              "--success-url", SUCCESS, *args)  # fmt: skip


def _adjustable(ledger: Ledger, price: str) -> tuple[dict[str, Any], str, str]:
    """A payment session of one 15.00 line the buyer may set from 0 to 10: the session,
    its page's secret and the line's id."""
    made = sessions.create(ledger, sessions.SessionInput(
        mode="payment", success_url=SUCCESS, line_items=((price, 1),),
        line_item_adjustable=(Adjustable(enabled=True, maximum=10),),
    ))  # fmt: skip
    with ledger.read() as tx:
        session = tx.checkout_sessions.get(made["id"])
        assert session is not None
        return made, _secret(made["url"]), str(session.line_items[0]["id"])


def _authenticated(ledger: Ledger, outcome: completion.Outcome, secret: str) -> completion.Outcome:
    """The buyer passes the bank's challenge and comes back to the page."""
    assert outcome.next_url is not None and not outcome.completed
    confirmation.authenticate(
        ledger, outcome.next_url.rsplit("/authenticate/", 1)[1], succeeded=True
    )
    return completion.returned(ledger, secret)


def _at_challenge(ledger: Ledger, session: dict[str, Any]) -> completion.Outcome:
    """Ada pays the session with a card her bank challenges: she is at the challenge."""
    return completion.pay(ledger, _secret(session["url"]), CHALLENGED, "ada@example.com")


def _once_code_at_challenge(
    ok: Callable[..., Any], price: str, ledger_path: Any
) -> tuple[str, dict[str, Any], completion.Outcome]:
    """The code ONCE (one redemption), a session of `price` with it, and its buyer at
    the bank's challenge."""
    promo = _once_code(ok)
    made = _payment(ok, price, "--promotion-code", "ONCE")
    with Ledger(ledger_path) as ledger:
        return promo, made, _at_challenge(ledger, made)


def _held_from(ledger: Ledger, held: dict[str, Any], other: dict[str, Any], refusal: str) -> None:
    """`held`'s buyer is at the bank's challenge: paying `other` is refused (`refusal`),
    then `held`'s buyer passes the challenge and its session completes."""
    challenged = _at_challenge(ledger, held)
    with pytest.raises(InvalidRequest, match=refusal):
        completion.pay(ledger, _secret(other["url"]), "pm_card_visa", "bob@example.com")
    assert _authenticated(ledger, challenged, _secret(held["url"])).completed


def test_a_session_at_the_banks_challenge_holds_the_last_redemption_of_its_code(
    ok, one_time, ledger_path, checked_ledger, billcli
):
    promo = _once_code(ok)
    a = _payment(ok, one_time, "--promotion-code", "ONCE")
    b = _payment(ok, one_time, "--promotion-code", "ONCE")
    with Ledger(ledger_path) as ledger:
        challenged = _at_challenge(ledger, a)
        refused = billcli("checkout", "sessions", "show", b["id"], "--json")
        with pytest.raises(InvalidRequest, match="redeemed the maximum number of times"):
            completion.pay(ledger, _secret(b["url"]), "pm_card_visa", "bob@example.com")
        assert billcli("checkout", "sessions", "show", b["id"], "--json").out == refused.out
        done = _authenticated(ledger, challenged, _secret(a["url"]))
    assert done.completed
    shown = ok("checkout", "sessions", "show", a["id"])
    pi = ok("payment-intents", "show", shown["payment_intent"])
    assert (shown["status"], shown["payment_status"]) == ("complete", "paid")
    assert (pi["status"], pi["amount"]) == ("succeeded", 1500 - 500)
    assert ok("promotion-codes", "show", promo)["times_redeemed"] == 1
    checked_ledger()


def test_a_subscription_session_at_the_banks_challenge_holds_its_code_too(
    ok, monthly, one_time, ledger_path, checked_ledger
):
    promo = _once_code(ok)
    sub = ok("checkout", "sessions", "create", "--mode", "subscription", "--price", monthly,
             "--promotion-code", "ONCE", "--success-url", SUCCESS)  # fmt: skip
    other = _payment(ok, one_time, "--promotion-code", "ONCE")
    with Ledger(ledger_path) as ledger:
        _held_from(ledger, sub, other, "redeemed the maximum number of times")
    done = ok("checkout", "sessions", "show", sub["id"])
    # 20.00 a month less the code's 5.00.
    assert ok("invoices", "show", done["invoice"])["amount_paid"] == 2000 - 500
    assert ok("promotion-codes", "show", promo)["times_redeemed"] == 1
    checked_ledger()


def test_a_charge_that_succeeded_completes_its_session_though_the_code_lapsed_meanwhile(
    ok, one_time, ledger_path, checked_ledger
):
    promo, a, challenged = _once_code_at_challenge(ok, one_time, ledger_path)
    ok("promotion-codes", "update", promo, "--no-active")
    with Ledger(ledger_path) as ledger:
        done = _authenticated(ledger, challenged, _secret(a["url"]))
    assert done.completed
    shown = ok("checkout", "sessions", "show", a["id"])
    assert shown["status"] == "complete" and shown["amount_total"] == 1000
    assert ok("payment-intents", "show", shown["payment_intent"])["amount"] == 1000
    assert ok("promotion-codes", "show", promo)["times_redeemed"] == 1
    checked_ledger()


def test_a_quantity_changed_after_a_decline_is_what_the_card_is_charged(
    one_time, ledger_path, checked_ledger, ok
):
    with Ledger(ledger_path) as ledger:
        made, secret, item = _adjustable(ledger, one_time)
        assert completion.pay(ledger, secret, "pm_card_chargeDeclined", "ada@example.com").declined
        quantities.adjust(ledger, secret, item, "3")
        assert completion.pay(ledger, secret, "pm_card_visa", "ada@example.com").completed
    done = ok("checkout", "sessions", "show", made["id"])
    assert done["amount_total"] == 3 * 1500
    pi = ok("payment-intents", "show", done["payment_intent"])
    assert (pi["status"], pi["amount"], pi["amount_received"]) == ("succeeded", 4500, 4500)
    checked_ledger()


def test_a_code_applied_after_a_decline_is_what_the_card_is_charged(
    ok, one_time, ledger_path, checked_ledger
):
    ok("coupons", "create", "--id", "FIVE", "--amount-off", "500", "--currency", "usd")
    ok("promotion-codes", "create", "--coupon", "FIVE", "--code", "SAVE")
    made = _payment(ok, one_time, "--allow-promotion-codes")
    secret = _secret(made["url"])
    with Ledger(ledger_path) as ledger:
        assert completion.pay(ledger, secret, "pm_card_chargeDeclined", "ada@example.com").declined
        promotions.apply(ledger, secret, "SAVE")
        assert completion.pay(ledger, secret, "pm_card_visa", "ada@example.com").completed
    done = ok("checkout", "sessions", "show", made["id"])
    assert done["amount_total"] == 1500 - 500
    assert ok("payment-intents", "show", done["payment_intent"])["amount"] == 1000
    checked_ledger()


def test_a_buyer_who_passes_the_challenge_and_never_comes_back_has_a_complete_session(
    ok, one_time, ledger_path, checked_ledger, events
):
    """Stripe completes a session when its payment succeeds: coming back to the page
    afterwards only shows the success URL (`ledger check` would report an open session
    holding a succeeded payment)."""
    made = _payment(ok, one_time)
    with Ledger(ledger_path) as ledger:
        challenged = _at_challenge(ledger, made)
        assert challenged.next_url is not None
        action = challenged.next_url.rsplit("/authenticate/", 1)[1]
        confirmation.authenticate(ledger, action, succeeded=True)
        done = ok("checkout", "sessions", "show", made["id"])
        assert (done["status"], done["payment_status"]) == ("complete", "paid")
        assert [e["data"]["object"]["id"] for e in events("checkout.session.completed")] == [
            made["id"]
        ]
        checked_ledger()
        again = completion.returned(ledger, _secret(made["url"]))
    assert (again.completed, again.next_url) == (True, SUCCESS)
    assert len(events("checkout.session.completed")) == 1
    assert ok("payment-intents", "show", done["payment_intent"])["amount"] == 1500


def test_an_order_changed_at_the_banks_challenge_voids_it_and_the_new_total_is_charged(
    one_time, ledger_path, checked_ledger, ok
):
    with Ledger(ledger_path) as ledger:
        made, secret, item = _adjustable(ledger, one_time)
        challenged = completion.pay(ledger, secret, CHALLENGED, "ada@example.com")
        assert challenged.next_url is not None
        quantities.adjust(ledger, secret, item, "2")
        action = challenged.next_url.rsplit("/authenticate/", 1)[1]
        with pytest.raises(InvalidRequest):
            confirmation.authenticate(ledger, action, succeeded=True)  # for 15.00: void
        pi = ok("payment-intents", "show", ok("checkout", "sessions", "show", made["id"])
                ["payment_intent"])  # fmt: skip
        assert (pi["status"], pi["amount_received"]) == ("requires_payment_method", 0)
        assert completion.pay(ledger, secret, "pm_card_visa", "ada@example.com").completed
    done = ok("checkout", "sessions", "show", made["id"])
    pi = ok("payment-intents", "show", done["payment_intent"])
    assert (done["amount_total"], pi["status"], pi["amount"]) == (2 * 1500, "succeeded", 3000)
    checked_ledger()


@pytest.mark.parametrize("first", [("--promotion-code", "AAA"), ("--coupon", "FIVE")])
def test_a_session_at_the_challenge_holds_its_coupons_last_redemption_from_every_code_of_it(
    ok, one_time, ledger_path, checked_ledger, first
):
    ok("coupons", "create", "--id", "FIVE", "--amount-off", "500", "--currency", "usd",
       "--max-redemptions", "1")  # fmt: skip
    ok("promotion-codes", "create", "--coupon", "FIVE", "--code", "AAA")
    ok("promotion-codes", "create", "--coupon", "FIVE", "--code", "BBB")
    a = _payment(ok, one_time, *first)
    b = _payment(ok, one_time, "--promotion-code", "BBB")
    with Ledger(ledger_path) as ledger:
        _held_from(ledger, a, b, "FIVE has been redeemed 1 times, its maximum")
    assert ok("checkout", "sessions", "show", b["id"])["status"] == "open"
    assert ok("coupons", "show", "FIVE")["times_redeemed"] == 1
    checked_ledger()


def test_a_session_past_its_expiry_holds_no_redemption_though_no_tick_expired_it(
    ok, one_time, ledger_path, checked_ledger
):
    promo, a, _ = _once_code_at_challenge(ok, one_time, ledger_path)
    freeze_clock(ledger_path, a["expires_at"])
    b = _payment(ok, one_time, "--promotion-code", "ONCE")
    with Ledger(ledger_path) as ledger:
        paid = completion.pay(ledger, _secret(b["url"]), "pm_card_visa", "bob@example.com")
    assert paid.completed
    done = ok("checkout", "sessions", "show", b["id"])
    # 15.00 less the code's 5.00.
    assert (done["status"], done["amount_total"]) == ("complete", 1500 - 500)
    assert ok("promotion-codes", "show", promo)["times_redeemed"] == 1
    checked_ledger()


@pytest.mark.parametrize(
    "doing, args, instead",
    [
        ("confirm", ("--payment-method", "pm_card_visa"), "its buyer pays on the session's page"),
        ("cancel", (), "expire the session instead"),
    ],
)
def test_a_sessions_payment_intent_cannot_be_confirmed_or_canceled_outside_its_session(
    ok, one_time, ledger_path, checked_ledger, billcli, doing, args, instead
):
    """Stripe: "You cannot cancel the PaymentIntent for a Checkout Session. Expire the
    Checkout Session instead"; nor confirm it (the API's update is refused alike:
    tests/api). The session's page still takes the whole payment afterwards."""
    made = _payment(ok, one_time)
    with Ledger(ledger_path) as ledger:
        declined = completion.pay(ledger, _secret(made["url"]), "pm_card_chargeDeclined",
                                  "ada@example.com")  # fmt: skip
    assert declined.declined is not None
    pi = ok("checkout", "sessions", "show", made["id"])["payment_intent"]
    before = ledger_digest(ledger_path)
    refused = billcli("payment-intents", doing, pi, *args)
    assert refused.code == 1
    assert refused.err.strip().splitlines() == [
        f"error: Invalid payment_intent: you cannot {doing} {pi} directly; it belongs to "
        f"Checkout Session {made['id']} ({instead})"
    ]
    assert ledger_digest(ledger_path) == before
    with Ledger(ledger_path) as ledger:
        assert completion.pay(ledger, _secret(made["url"]), "pm_card_visa", "ada@example.com")
    done = ok("checkout", "sessions", "show", made["id"])
    assert (done["status"], ok("payment-intents", "show", pi)["amount_received"]) == (
        "complete",
        1500,
    )
    checked_ledger()


def test_a_challenge_passed_after_the_session_expired_expires_it_and_charges_nothing(
    ok, one_time, ledger_path, checked_ledger, events, client
):
    made = _payment(ok, one_time)
    with Ledger(ledger_path) as ledger:
        challenged = _at_challenge(ledger, made)
    assert challenged.next_url is not None
    page = client.get(challenged.next_url)
    freeze_clock(ledger_path, made["expires_at"])
    answer = client.post(challenged.next_url, data={"csrf": csrf(page.text), "result": "complete"})
    assert "The checkout session expired before you confirmed; nothing was paid." in answer.text
    shown = ok("checkout", "sessions", "show", made["id"])
    pi = ok("payment-intents", "show", shown["payment_intent"])
    assert (shown["status"], pi["status"], pi["amount_received"]) == ("expired", "canceled", 0)
    ok("invoices", "tick")
    assert [e["data"]["object"]["id"] for e in events("checkout.session.expired")] == [made["id"]]
    checked_ledger()
