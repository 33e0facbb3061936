"""The Stripe-shaped `billing.meter`, its events, adjustments and summaries, and their v2
forms (JSON times as ISO 8601 with milliseconds).

Meters are newer than API 2023-08-16: their shapes are the current ones
(`x-current-fixtures`), as billcli-decisions says for new objects.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from billcli.core.records.meters import Meter


def meter(m: Meter) -> dict[str, Any]:
    return {
        "id": m.id,
        "object": "billing.meter",
        "created": m.created,
        "customer_mapping": {"event_payload_key": m.customer_key, "type": "by_id"},
        "default_aggregation": {"formula": m.formula},
        "display_name": m.display_name,
        "event_name": m.event_name,
        "event_time_window": m.event_time_window,
        "livemode": False,
        "status": m.status,
        "status_transitions": {"deactivated_at": m.deactivated_at},
        "updated": m.updated,
        "value_settings": {"event_payload_key": m.value_key},
    }


def meter_event(
    event_name: str, payload: dict[str, str], identifier: str, timestamp: int, created: int
) -> dict[str, Any]:
    return {
        "object": "billing.meter_event",
        "created": created,
        "event_name": event_name,
        "identifier": identifier,
        "livemode": False,
        "payload": payload,
        "timestamp": timestamp,
    }


def iso(timestamp: int) -> str:
    """A v2 time: `2024-06-01T12:00:00.000Z`."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def v2_meter_event(shown: dict[str, Any]) -> dict[str, Any]:
    """The v2 form of an event v1 shows (`v2.billing.meter_event`)."""
    return {
        **shown,
        "object": "v2.billing.meter_event",
        "created": iso(shown["created"]),
        "timestamp": iso(shown["timestamp"]),
    }


def adjustment(event_name: str, identifier: str) -> dict[str, Any]:
    """A cancellation, applied at once (`complete`, as the fixture shows)."""
    return {
        "object": "billing.meter_event_adjustment",
        "cancel": {"identifier": identifier},
        "event_name": event_name,
        "livemode": False,
        "status": "complete",
        "type": "cancel",
    }


def v2_adjustment(shown: dict[str, Any], adjustment_id: str, created: int) -> dict[str, Any]:
    return {
        **shown,
        "id": adjustment_id,
        "object": "v2.billing.meter_event_adjustment",
        "created": iso(created),
    }


def summary_id(meter_id: str, customer_id: str, start: int, end: int) -> str:
    """A summary's id: its window start and a digest of what it sums, so the same window
    always has the same id (summaries are computed, never stored; ids page them)."""
    digest = hashlib.sha256(f"{meter_id}:{customer_id}:{start}:{end}".encode()).hexdigest()
    return f"mtrusg_{start:012d}{digest[:12]}"


def summary(meter_id: str, customer_id: str, start: int, end: int, value: int) -> dict[str, Any]:
    return {
        "id": summary_id(meter_id, customer_id, start, end),
        "object": "billing.meter_event_summary",
        "aggregated_value": value,
        "end_time": end,
        "livemode": False,
        "meter": meter_id,
        "start_time": start,
    }


def session(session_id: str, token: str, created: int, expires_at: int) -> dict[str, Any]:
    return {
        "id": session_id,
        "object": "v2.billing.meter_event_session",
        "authentication_token": token,
        "created": iso(created),
        "expires_at": iso(expires_at),
        "livemode": False,
    }


def error_report(
    meter_id: str | None,
    code: str,
    message: str,
    identifier: str | None,
    at: int,
) -> dict[str, Any]:
    """What `v1.billing.meter.error_report_triggered` and `…no_meter_found` carry
    (SDK `events/_v1_billing_meter_*`): the errors of events validated after they were
    accepted, one sample each."""
    return {
        "object": "v1.billing.meter.error_report",
        "developer_message_summary": message,
        "meter": meter_id,
        "reason": {
            "error_count": 1,
            "error_types": [
                {
                    "code": code,
                    "error_count": 1,
                    "sample_errors": [
                        {"error_message": message, "request": {"identifier": identifier or ""}}
                    ],
                }
            ],
        },
        "validation_start": iso(at),
        "validation_end": iso(at),
    }
