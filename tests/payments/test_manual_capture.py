"""Manual capture as Stripe documents it ("Place a hold on a payment method"): confirming
a `capture_method=manual` intent only authorizes the card (`requires_capture`, the
charge `captured: false`); a capture takes all of the hold or less (the rest released);
cancelling releases it; an authorization not captured within 7 days is canceled by the
clock the intent lives on. Amounts are worked out here from those rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from billcli.core.payment_checks import Payments, check_captures, check_intents
from billcli.core.records.payments import Charge, PaymentIntent, Refund
from tests.payments.conftest import csrf, event_types, page_path

DAY = 86_400
HOLD = 2000  # every authorization here holds $20.00


def authorize(ok: Callable[..., Any], *extra: str, amount: int = HOLD) -> dict[str, Any]:
    made = ok(
        "payment-intents",
        "create",
        "--amount",
        str(amount),
        "--currency",
        "usd",
        "--payment-method",
        "pm_card_visa",
        "--capture-method",
        "manual",
        "--confirm",
        *extra,
    )
    return made  # type: ignore[no-any-return]


def charge_of(ok: Callable[..., Any], intent_id: str) -> dict[str, Any]:
    latest = ok("payment-intents", "show", intent_id)["latest_charge"]
    return ok("charges", "show", latest)  # type: ignore[no-any-return]


def money(charge: dict[str, Any]) -> tuple[int, int, bool, bool]:
    return (
        charge["amount_captured"],
        charge["amount_refunded"],
        charge["captured"],
        charge["refunded"],
    )


def test_confirming_a_manual_intent_authorizes_the_card_and_waits_for_the_capture(
    ok: Callable[..., Any], at_start: int, assert_valid: Any, checked_ledger: Any
) -> None:
    held = authorize(ok)
    assert (held["status"], held["capture_method"]) == ("requires_capture", "manual")
    assert (held["amount_capturable"], held["amount_received"]) == (HOLD, 0)
    charge = charge_of(ok, held["id"])
    assert (charge["status"], charge["paid"]) == ("succeeded", True)
    assert money(charge) == (0, 0, False, False)
    card = charge["payment_method_details"]["card"]
    assert card["capture_before"] == charge["created"] + 7 * DAY
    assert event_types(ok)[-3:] == [
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.amount_capturable_updated",
    ]
    assert_valid(held)
    assert_valid(charge)
    checked_ledger()


def test_capturing_the_whole_hold_succeeds_with_all_of_it_received(
    ok: Callable[..., Any], at_start: int, assert_valid: Any, checked_ledger: Any
) -> None:
    held = authorize(ok)
    done = ok("payment-intents", "capture", held["id"])
    assert (done["status"], done["amount_received"], done["amount_capturable"]) == (
        "succeeded",
        HOLD,
        0,
    )
    charge = charge_of(ok, held["id"])
    assert money(charge) == (HOLD, 0, True, False)
    assert charge["refunds"]["data"] == []
    assert event_types(ok)[-2:] == ["charge.captured", "payment_intent.succeeded"]
    assert_valid(done)
    assert_valid(charge)
    checked_ledger()


def test_a_partial_capture_releases_the_rest_and_refunds_stop_at_what_was_captured(
    ok: Callable[..., Any], billcli: Any, at_start: int, checked_ledger: Any
) -> None:
    held = authorize(ok, "--metadata", "order=42")
    done = ok("payment-intents", "capture", held["id"], "--amount", "15.00", "-m", "ship=1")
    captured = 1500
    assert (done["status"], done["amount_received"]) == ("succeeded", captured)
    assert done["metadata"] == {"order": "42", "ship": "1"}
    charge = charge_of(ok, held["id"])
    assert money(charge) == (captured, HOLD - captured, True, False)
    (released,) = charge["refunds"]["data"]
    assert (released["amount"], released["reason"]) == (HOLD - captured, None)
    assert event_types(ok)[-3:] == [
        "refund.created",
        "charge.captured",
        "payment_intent.succeeded",
    ]
    over = billcli("refunds", "create", "--charge", charge["id"], "--amount", "1501")
    assert over.code == 1 and "greater than unrefunded amount on charge ($15.00)" in over.err
    rest = ok("refunds", "create", "--payment-intent", held["id"])
    assert rest["amount"] == captured
    assert money(ok("charges", "show", charge["id"])) == (captured, HOLD, True, True)
    again = billcli("refunds", "create", "--charge", charge["id"], "--json")
    assert again.code == 1 and again.json["error"]["code"] == "charge_already_refunded"
    checked_ledger()


def test_a_capture_in_the_wrong_state_or_for_more_than_the_hold_is_refused(
    ok: Callable[..., Any], refused: Callable[..., Any], at_start: int
) -> None:
    held = authorize(ok)
    paid = ok(
        "payment-intents",
        "create",
        *("--amount", "900", "--currency", "usd", "--payment-method", "pm_card_visa"),
        "--confirm",
    )
    waiting = ok("payment-intents", "create", "--amount", "900", "--currency", "usd")
    for intent_id, status in (
        (paid["id"], "succeeded"),
        (waiting["id"], "requires_payment_method"),
    ):
        result = refused(["payment-intents", "capture", intent_id], 1, f"status of {status}")
        assert result.json["error"]["code"] == "payment_intent_unexpected_state"
    too_much = refused(
        ["payment-intents", "capture", held["id"], "--amount", str(HOLD + 1)],
        1,
        "less than or equal to",
    )
    assert too_much.json["error"]["param"] == "amount_to_capture"
    refused(["payment-intents", "capture", held["id"], "--amount", "0"], 1, "amount_to_capture")
    refused(["payment-intents", "capture", "pi_" + "0" * 24], 6, "pi_" + "0" * 24)


def test_cancelling_an_authorization_releases_all_of_it(
    ok: Callable[..., Any], at_start: int, checked_ledger: Any
) -> None:
    held = authorize(ok)
    dropped = ok("payment-intents", "cancel", held["id"], "--reason", "requested_by_customer")
    assert (dropped["status"], dropped["amount_capturable"], dropped["amount_received"]) == (
        "canceled",
        0,
        0,
    )
    charge = charge_of(ok, held["id"])
    assert money(charge) == (0, HOLD, False, True)
    assert event_types(ok)[-3:] == ["refund.created", "charge.refunded", "payment_intent.canceled"]
    checked_ledger()


def test_an_uncaptured_charge_cannot_be_refunded(
    ok: Callable[..., Any], refused: Callable[..., Any], at_start: int
) -> None:
    held = authorize(ok)
    charge = charge_of(ok, held["id"])
    for args in (("--charge", charge["id"]), ("--payment-intent", held["id"])):
        result = refused(["refunds", "create", *args], 1, "not captured")
        assert result.json["error"]["code"] == "charge_not_refundable"


def test_an_authorization_not_captured_expires_after_seven_days_on_the_ledger_clock(
    ok: Callable[..., Any], at_start: int, checked_ledger: Any
) -> None:
    held = authorize(ok)
    ok("invoices", "tick", "--to", str(at_start + 7 * DAY - 1))
    assert ok("payment-intents", "show", held["id"])["status"] == "requires_capture"
    ok("invoices", "tick", "--by", "1s")
    lapsed = ok("payment-intents", "show", held["id"])
    assert (lapsed["status"], lapsed["cancellation_reason"]) == ("canceled", "automatic")
    assert lapsed["canceled_at"] == at_start + 7 * DAY
    charge = charge_of(ok, held["id"])
    assert money(charge) == (0, HOLD, False, True)
    assert charge["refunds"]["data"][0]["reason"] == "expired_uncaptured_charge"
    assert event_types(ok)[-2:] == ["charge.expired", "payment_intent.canceled"]
    checked_ledger()


def test_on_a_test_clock_the_authorization_expires_as_that_clock_advances(
    ok: Callable[..., Any], at_start: int, checked_ledger: Any
) -> None:
    clock = ok("clocks", "create", "--frozen-time", str(at_start))["id"]
    cus = ok("customers", "create", "--name", "Clocked", "--clock", clock)["id"]
    held = authorize(ok, "--customer", cus)
    ok("invoices", "tick", "--by", "8d")  # the ledger's clock: not this intent's
    assert ok("payment-intents", "show", held["id"])["status"] == "requires_capture"
    ok("clocks", "advance", clock, "--by", "7d")
    lapsed = ok("payment-intents", "show", held["id"])
    assert (lapsed["status"], lapsed["cancellation_reason"]) == ("canceled", "automatic")
    assert lapsed["canceled_at"] == at_start + 7 * DAY
    checked_ledger()


def test_revenue_collects_captured_money_only(ok: Callable[..., Any], at_start: int) -> None:
    authorize(ok)  # held, never captured
    partly = authorize(ok, amount=3000)
    ok("payment-intents", "capture", partly["id"], "--amount", "1200")
    dropped = authorize(ok)
    ok("payment-intents", "cancel", dropped["id"])
    report = ok("reports", "revenue", "--by", "month", "--from", str(at_start))
    (march,) = [p for p in report["periods"] if p["currency"] == "usd"]
    assert march["collected"] == 1200


def test_a_card_that_authenticates_is_held_after_the_challenge(
    ok: Callable[..., Any], client: Any, at_start: int, checked_ledger: Any
) -> None:
    waiting = ok(
        "payment-intents",
        "create",
        *("--amount", str(HOLD), "--currency", "usd"),
        *("--payment-method", "pm_card_threeDSecure2Required", "--capture-method", "manual"),
        "--confirm",
    )
    assert waiting["status"] == "requires_action"
    path = page_path(waiting["next_action"]["redirect_to_url"]["url"])
    client.post(path, data={"csrf": csrf(client.get(path).text), "result": "complete"})
    held = ok("payment-intents", "show", waiting["id"])
    assert (held["status"], held["amount_capturable"]) == ("requires_capture", HOLD)
    charge = charge_of(ok, held["id"])
    assert charge["payment_method_details"]["card"]["three_d_secure"]["result"] == "authenticated"
    assert money(charge) == (0, 0, False, False)
    checked_ledger()


def _charge(**given: Any) -> Charge:
    fields: dict[str, Any] = dict(
        id="ch_1", created=0, amount=HOLD, currency="usd", status="succeeded", test_name="x"
    )
    return Charge(**(fields | given))


def test_ledger_check_finds_a_capture_the_charge_cannot_account_for() -> None:
    over = _charge(amount_captured=HOLD + 1, captured_at=0)
    uncaptured_but_counted = _charge(id="ch_2", amount_captured=500)
    unreleased = _charge(id="ch_3", amount_captured=1500, captured_at=0)
    payments = Payments()
    for charge in (over, uncaptured_but_counted, unreleased):
        payments.add_charge(charge)
    found = {p.object_id for p in check_captures(payments)}
    assert found == {"ch_1", "ch_2", "ch_3"}
    released = Refund("re_1", 0, HOLD - 1500, "usd", "ch_3", released=True)
    payments.refunds["ch_3"] = [released]
    payments.charges["ch_3"] = _charge(
        id="ch_3", amount_captured=1500, captured_at=0, amount_refunded=HOLD - 1500
    )
    assert {p.object_id for p in check_captures(payments)} == {"ch_1", "ch_2"}


def test_ledger_check_finds_an_intent_that_holds_what_its_charge_does_not() -> None:
    payments = Payments()
    payments.add_charge(_charge(payment_intent="pi_1"))
    intent = PaymentIntent("pi_1", 0, HOLD, "usd", "requires_capture", "s", latest_charge="ch_1")
    assert check_intents([replace(intent, amount_capturable=HOLD)], payments, {}) == []
    assert check_intents([replace(intent, amount_capturable=1)], payments, {})
    assert check_intents([replace(intent, amount=HOLD + 1, amount_capturable=HOLD)], payments, {})
    succeeded = replace(intent, status="succeeded", amount_received=HOLD)
    assert check_intents([succeeded], payments, {})
    waiting = replace(intent, status="requires_payment_method", latest_charge=None)
    assert check_intents([replace(waiting, amount_capturable=HOLD)], Payments(), {})
    assert check_intents([waiting], Payments(), {}) == []


def test_with_manual_confirmation_the_intent_waits_for_the_server_after_the_challenge(
    ok: Callable[..., Any], client: Any, ledger_path: Any, at_start: int, checked_ledger: Any
) -> None:
    from billcli.services.payments.payment_intents import IntentInput, create
    from billcli.store.ledger import Ledger

    given = IntentInput(
        amount=str(HOLD),
        currency="usd",
        payment_method="pm_card_threeDSecure2Required",
        confirm=True,
        capture_method="manual",
        confirmation_method="manual",
    )
    with Ledger(ledger_path) as ledger:
        waiting = create(ledger, given)
    assert (waiting["status"], waiting["confirmation_method"]) == ("requires_action", "manual")
    path = page_path(waiting["next_action"]["redirect_to_url"]["url"])
    client.post(path, data={"csrf": csrf(client.get(path).text), "result": "complete"})
    back = ok("payment-intents", "show", waiting["id"])
    assert (back["status"], back["latest_charge"]) == ("requires_confirmation", None)
    held = ok("payment-intents", "confirm", waiting["id"])  # not asked to authenticate again
    assert (held["status"], held["amount_capturable"]) == ("requires_capture", HOLD)
    checked_ledger()


def test_deleting_the_customer_releases_a_hold_it_had(
    ok: Callable[..., Any], customer: Callable[..., str], checked_ledger: Any
) -> None:
    cus = customer()
    held = authorize(ok, "--customer", cus)
    ok("customers", "delete", cus)
    dropped = ok("payment-intents", "show", held["id"])
    assert (dropped["status"], dropped["cancellation_reason"]) == ("canceled", "abandoned")
    assert money(charge_of(ok, held["id"])) == (0, HOLD, False, True)
    checked_ledger()


def test_a_hold_never_captured_is_no_first_transaction(
    ok: Callable[..., Any], customer: Callable[..., str], billcli: Any
) -> None:
    ok("coupons", "create", "--id", "WELCOME", "--percent-off", "10")
    ok("promotion-codes", "create", "--coupon", "WELCOME", "--code", "HELLO",
       "--first-time-transaction")  # fmt: skip
    held, paid = customer(name="Held"), customer(name="Paid")
    ok("payment-intents", "cancel", authorize(ok, "--customer", held)["id"])
    ok("payment-intents", "capture", authorize(ok, "--customer", paid)["id"])
    assert ok("customers", "update", held, "--promotion-code", "HELLO")["discount"]
    refused = billcli("customers", "update", paid, "--promotion-code", "HELLO")
    assert refused.code == 1 and "prior transactions" in refused.err
