"""Capturing an authorization: a manual-capture intent in `requires_capture` takes all
it holds, or less (the rest is released at once, as Stripe's single capture does), and
succeeds. What lapses uncaptured is the clock's (`expire_authorization`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core.intents import EXPIRED, capture_amount, require_capturable
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import parse_amount
from billcli.errors import InvalidRequest
from billcli.services.ledger.events import record
from billcli.services.payments.intents import cancel_in
from billcli.services.payments.objects import charge_object, find_intent, intent_object
from billcli.services.payments.payment_intents import details
from billcli.services.payments.refunds import released_in
from billcli.store.ledger import Ledger, Tx


def capture(
    ledger: Ledger,
    intent_id: str,
    *,
    amount_to_capture: str | None = None,
    metadata: tuple[str, ...] = (),
    final_capture: bool | None = None,
    statement_descriptor: str | None = None,
    statement_descriptor_suffix: str | None = None,
) -> dict[str, Any]:
    """`payment-intents capture PI [--amount]`, `POST /v1/payment_intents/{id}/capture`
    (`metadata`: `k=v` pairs to merge, `k=` unsetting one)."""
    pairs = parse_pairs(metadata)
    if final_capture is False:
        raise InvalidRequest(
            "Invalid final_capture: false keeps the rest of the authorization for later "
            "captures (multicapture), which billcli does not model; a capture is final",
            param="final_capture",
        )
    fields = details(
        {
            "statement_descriptor": statement_descriptor,
            "statement_descriptor_suffix": statement_descriptor_suffix,
        }
    )
    with ledger.write() as tx:
        pi = find_intent(tx, intent_id)
        require_capturable(pi.status)
        requested = (
            None
            if amount_to_capture is None
            else parse_amount(amount_to_capture, pi.currency, param="amount_to_capture")
        )
        amount = capture_amount(requested, pi.amount_capturable)
        held = tx.charges.get(str(pi.latest_charge))
        assert held is not None, pi.latest_charge
        captured = replace(held, amount_captured=amount, captured_at=tx.now)
        tx.charges.save(captured)
        captured = released_in(tx, captured)
        record(tx, "charge.captured", charge_object(tx, captured))
        done = replace(
            pi,
            status="succeeded",
            amount_received=amount,
            amount_capturable=0,
            metadata=merged(pi.metadata, pairs),
            **fields,
        )
        tx.payment_intents.save(done)
        record(tx, "payment_intent.succeeded", intent_object(tx, done))
        return intent_object(tx, done)


def expire_authorization(tx: Tx, charge_id: str) -> None:
    """The clock's step: an authorization still held when its `capture_before` comes
    cancels its intent (`automatic`) and is released. Once: a charge captured, released
    or not yet due meanwhile is left alone."""
    held = tx.charges.get(charge_id)
    if held is None or held.captured or held.capture_before is None:
        return
    pi = tx.payment_intents.get(str(held.payment_intent))
    if pi is not None and pi.status == "requires_capture" and held.capture_before <= tx.now:
        cancel_in(tx, pi, EXPIRED)
