"""The v2 high-throughput path: a meter event session (a token valid 15 minutes) and the
stream it authenticates (`POST /v2/billing/meter_event_stream`, up to 100 events).

Facts C.5: the stream validates asynchronously. billcli checks each event at once, but
answers as Stripe does, with no error: the events that pass are written (a duplicate
identifier is dropped), each in its customer's time (a stream may name customers of
several test clocks: each event is checked against its own customer's clock, and
written in that clock's part of the transaction), and each that fails is reported
afterwards by a thin event, in ledger time,
`v1.billing.meter.no_meter_found` when its event name names no meter, else
`v1.billing.meter.error_report_triggered` with the error's code (as the Stripe CLI's
trigger fixtures expect).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from billcli.core import meter_objects
from billcli.core.ids import new_id
from billcli.core.meters import MAX_STREAM_EVENTS, SESSION_S, Row, accept, check_identifier
from billcli.errors import BillingError, InvalidRequest
from billcli.services.ledger.events import record
from billcli.services.meters.writing import (
    accepting,
    after_usage,
    append,
    customer_times,
    new_identifier,
)
from billcli.store.ledger import Ledger, Tx


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(ledger: Ledger) -> dict[str, Any]:
    """A session whose token (shown once; the ledger keeps its hash) authenticates the
    stream for 15 minutes of ledger time."""
    token = "mtres_tok_" + secrets.token_urlsafe(32)
    with ledger.write() as tx:
        session_id = new_id("meter_event_session")
        expires_at = tx.now + SESSION_S
        tx.meter_event_sessions.add(session_id, tx.now, expires_at, _digest(token))
        return meter_objects.session(session_id, token, tx.now, expires_at)


def valid_session(ledger: Ledger, token: str) -> bool:
    """Whether `token` is a session's, not yet expired (found by its hash: a token is
    random, so nothing is learned from how long a miss takes)."""
    with ledger.read() as tx:
        expires_at = tx.meter_event_sessions.expires_at(_digest(token))
        return expires_at is not None and tx.now < expires_at


def stream(ledger: Ledger, events: Sequence[Any]) -> None:
    """Write the events that pass, report the others (see the module's docstring)."""
    if not events:
        raise InvalidRequest("Missing required param: events.", param="events")
    if len(events) > MAX_STREAM_EVENTS:
        raise InvalidRequest(
            f"Invalid events: at most {MAX_STREAM_EVENTS} events a request", param="events"
        )
    with ledger.write() as tx:
        rows: list[Row] = []
        for event in events:
            row = _checked(tx, event if isinstance(event, Mapping) else {})
            if row is not None:
                rows.append(row)
        append(tx, rows, accepting(tx))
        after_usage(tx, {row[1] for row in rows})


def _checked(tx: Tx, event: Mapping[str, Any]) -> Row | None:
    """The event as written, or None once its error is reported."""
    identifier = event.get("identifier")
    try:
        given = check_identifier(identifier)
        meter, customer, when, value = accept(
            accepting(tx),
            event.get("event_name"),
            event.get("payload"),
            event.get("timestamp"),
            customer_times(tx).of,
            inactive=lambda name: tx.meters.by_event_name(name) is not None,
        )
    except BillingError as error:
        _report(tx, event, identifier, error)
        return None
    return meter.event_name, customer, value, given or new_identifier(), when


def _report(tx: Tx, event: Mapping[str, Any], identifier: Any, error: BillingError) -> None:
    code = error.code or "meter_event_invalid_value"
    name = event.get("event_name")
    found = tx.meters.by_event_name(name) if isinstance(name, str) else None
    kind = (
        "v1.billing.meter.no_meter_found"
        if found is None
        else "v1.billing.meter.error_report_triggered"
    )
    shown = identifier if isinstance(identifier, str) else None
    report = meter_objects.error_report(
        None if found is None else found.id, code, error.message, shown, tx.now
    )
    record(tx, kind, report)
