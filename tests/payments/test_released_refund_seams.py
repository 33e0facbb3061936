"""A charge whose authorization was let go (its intent canceled, or the hold expired) is
refunded in full already: Stripe shows it `refunded: true`, and a refund of it is
refused as `charge_already_refunded` ("Charge … has already been refunded."), not as
a hold still to cancel (design: manual capture)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.payments.test_manual_capture import DAY, HOLD, authorize, charge_of


def test_a_released_authorization_is_already_refunded_not_a_hold_to_cancel(
    ok: Callable[..., Any], refused: Callable[..., Any], at_start: int, checked_ledger: Any
) -> None:
    canceled = authorize(ok)
    ok("payment-intents", "cancel", canceled["id"])
    expired = authorize(ok)
    ok("invoices", "tick", "--to", str(at_start + 7 * DAY))
    assert ok("payment-intents", "show", expired["id"])["cancellation_reason"] == "automatic"
    for intent in (canceled, expired):
        charge = charge_of(ok, intent["id"])
        assert (charge["amount_refunded"], charge["refunded"], charge["captured"]) == (
            HOLD,
            True,
            False,
        )
        for args in (("--charge", charge["id"]), ("--payment-intent", intent["id"])):
            result = refused(["refunds", "create", *args], 1, "has already been refunded")
            assert (result.json["error"]["code"], result.json["error"]["param"]) == (
                "charge_already_refunded",
                "charge",
            )
            assert "Cancel PaymentIntent" not in result.json["error"]["message"]
    checked_ledger()


def test_a_hold_still_held_is_refused_as_not_captured(
    ok: Callable[..., Any], refused: Callable[..., Any], at_start: int
) -> None:
    held = authorize(ok)
    result = refused(["refunds", "create", "--payment-intent", held["id"]], 1, "not captured")
    assert result.json["error"]["code"] == "charge_not_refundable"
    assert f"Cancel PaymentIntent {held['id']}" in result.json["error"]["message"]
