"""One meter event at a time (`meters events send`, `POST /v1|v2/billing/meter_events`),
and cancelling one (`meters events cancel`, the meter event adjustments).

Stripe validates an event when it is sent and aggregates it later; billcli does both at
once, so summaries and upcoming invoices show an event as soon as it is accepted. A
duplicate identifier is refused as Stripe refuses it ("An event already exists with
identifier …"); a file import skips it instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from billcli.core import meter_objects
from billcli.core.dates import moment
from billcli.core.ids import new_id
from billcli.core.meters import (
    CANCEL_S,
    MAX_EVENT_NAME,
    NamedNothing,
    accept,
    check_identifier,
    check_text,
    needs_latest,
)
from billcli.errors import InvalidRequest
from billcli.services.meters.writing import (
    accepting,
    after_usage,
    append,
    customer_times,
    new_identifier,
)
from billcli.store.ledger import Ledger, Tx


def send(
    ledger: Ledger,
    event_name: str,
    *,
    payload: Mapping[str, Any] | None = None,
    customer: str | None = None,
    value: str | None = None,
    identifier: str | None = None,
    timestamp: int | str | None = None,
) -> dict[str, Any]:
    """Record one event: its `payload`, or one made of `customer` and `value` under its
    meter's keys (the command line's form); `timestamp` unix seconds, or ISO 8601 (v2)."""
    with ledger.write() as tx:
        if payload is None:
            payload = payload_for(tx, event_name, customer, value)
        return send_in(tx, event_name, payload, identifier=identifier, timestamp=timestamp)


def payload_for(tx: Tx, event_name: str, customer: str | None, value: str | None) -> dict[str, str]:
    """`--customer` and `--value` under the keys of the meter `event_name` names."""
    meter = tx.meters.by_event_name(event_name)
    customer_key = meter.customer_key if meter else "stripe_customer_id"
    value_key = meter.value_key if meter else "value"
    made = {customer_key: customer or ""}
    if value is not None:
        made[value_key] = value
    return made


def send_in(
    tx: Tx,
    event_name: Any,
    payload: Mapping[str, Any],
    *,
    identifier: Any = None,
    timestamp: Any = None,
) -> dict[str, Any]:
    """Check and write one event in an open transaction, in its customer's time (its
    test clock's, if it lives on one); the `billing.meter_event`."""
    given = check_identifier(identifier)
    checks = accepting(tx)
    meter, customer, when, value = accept(
        checks,
        event_name,
        payload,
        timestamp,
        customer_times(tx).of,
        inactive=lambda name: tx.meters.by_event_name(name) is not None,
    )
    tx.owns(customer, param=f"payload[{meter.customer_key}]")
    chosen = given or new_identifier()
    if append(tx, [(meter.event_name, customer, value, chosen, when)], checks):
        raise InvalidRequest(
            f"An event already exists with identifier {chosen}.", param="identifier"
        )
    after_usage(tx, [customer])
    shown_payload = {str(k): str(v) for k, v in payload.items()}
    return meter_objects.meter_event(meter.event_name, shown_payload, chosen, when, tx.now)


def cancel(ledger: Ledger, event_name: str | None, identifier: str | None) -> dict[str, Any]:
    """Cancel an event; without `event_name`, the one its identifier names (the command
    line's shorthand)."""
    with ledger.write() as tx:
        if event_name is None and identifier:
            found = tx.meter_events.by_identifier(identifier)
            meter = None if found is None else tx.meters.by_seq([found[1]]).get(found[1])
            event_name = "" if meter is None else meter.event_name
        if event_name == "":
            raise NamedNothing(
                "meter event",
                str(identifier),
                param="cancel[identifier]",
                message=f"No meter event has the identifier '{identifier}'",
            )
        return cancel_in(tx, event_name, identifier)


def cancel_in(tx: Tx, event_name: Any, identifier: Any) -> dict[str, Any]:
    """Cancel the event `identifier` of the meter `event_name` names: it no longer
    counts, in summaries nor on invoices not yet finalized (facts C.3: within 24 hours
    of its receipt)."""
    name = check_text(event_name if isinstance(event_name, str) else None, "event_name",
                      MAX_EVENT_NAME)  # fmt: skip
    wanted = check_identifier(identifier)
    if wanted is None:
        raise InvalidRequest(
            "Missing required param: cancel[identifier].", param="cancel[identifier]"
        )
    meter = tx.meters.by_event_name(name)
    if meter is None:
        raise NamedNothing(
            "meter",
            name,
            param="event_name",
            message=f"No meter has the event name '{name}'",
            code="no_meter",
        )
    found = tx.meter_events.by_identifier(wanted)
    if found is None or found[1] != tx.meters.seq(meter.id):  # (seq, meter, customer, …)
        raise NamedNothing(
            "meter event",
            wanted,
            param="cancel[identifier]",
            message=f"No meter event of '{name}' has the identifier '{wanted}'",
        )
    seq, _, customer, _, _, created, canceled = found
    tx.owns(customer, param="cancel[identifier]")  # received and canceled in its time
    if canceled is not None:
        raise InvalidRequest(
            f"Invalid cancel[identifier]: the event '{wanted}' was canceled at {moment(canceled)}",
            param="cancel[identifier]",
        )
    if tx.now - created > CANCEL_S:
        raise InvalidRequest(
            f"Invalid cancel[identifier]: the event '{wanted}' was received at "
            f"{moment(created)}; events can be canceled only within 24 hours of their receipt",
            param="cancel[identifier]",
        )
    tx.meter_events.cancel(seq, tx.now, keeps_latest=needs_latest(meter))
    return meter_objects.adjustment(meter.event_name, wanted)


def cancel_v2(tx: Tx, event_name: Any, identifier: Any) -> dict[str, Any]:
    """`POST /v2/billing/meter_event_adjustments`: the same cancellation, its v2 object."""
    shown = cancel_in(tx, event_name, identifier)
    return meter_objects.v2_adjustment(shown, new_id("meter_event_adjustment"), tx.now)
