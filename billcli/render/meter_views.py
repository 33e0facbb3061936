"""What meters and their events show: list columns and detail rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.render import text
from billcli.render.columns import KEEP, Column, field, status, timestamp

Obj = dict[str, Any]


def _formula(o: Obj) -> str:
    formula = str(o["default_aggregation"]["formula"])
    window = o.get("event_time_window")
    return f"{formula} (latest per {window})" if window else formula


COLUMNS: dict[str, list[Column]] = {
    "billing.meter": [
        field("id", "id", priority=KEEP),
        field("display_name", "display_name", wrap=True, priority=KEEP),
        field("event_name", "event_name", priority=9),
        Column("aggregation", _formula, _formula, priority=7),
        Column(
            "customer_key",
            lambda o: o["customer_mapping"]["event_payload_key"],
            lambda o: o["customer_mapping"]["event_payload_key"],
            priority=3,
        ),
        Column(
            "value_key",
            lambda o: o["value_settings"]["event_payload_key"],
            lambda o: o["value_settings"]["event_payload_key"],
            priority=2,
        ),
        status(),
        timestamp("created", "created"),
    ],
}


def _meter_details(o: Obj) -> list[tuple[str, str]]:
    return [
        ("ID", o["id"]),
        ("Display name", o["display_name"]),
        ("Event name", o["event_name"]),
        ("Aggregation", _formula(o)),
        ("Customer key", o["customer_mapping"]["event_payload_key"]),
        ("Value key", o["value_settings"]["event_payload_key"]),
        ("Status", o["status"]),
        ("Deactivated", text.when(o["status_transitions"]["deactivated_at"])),
        ("Created", text.when(o["created"])),
        ("Updated", text.when(o["updated"])),
    ]


def _event_details(o: Obj) -> list[tuple[str, str]]:
    return [
        ("Event name", o["event_name"]),
        ("Identifier", o["identifier"]),
        ("Payload", ", ".join(f"{k}={v}" for k, v in o["payload"].items())),
        ("Timestamp", text.when(o["timestamp"])),
        ("Received", text.when(o["created"])),
    ]


def _adjustment_details(o: Obj) -> list[tuple[str, str]]:
    return [
        ("Event name", o["event_name"]),
        ("Canceled", o["cancel"]["identifier"]),
        ("Status", o["status"]),
    ]


def _import_details(o: Obj) -> list[tuple[str, str]]:
    rows = [
        ("Lines", f"{o['rows']:,}"),
        ("Written", f"{o['written']:,}"),
        ("Duplicates (skipped)", f"{o['duplicates']:,}"),
        ("Customers", f"{o['customers']:,}"),
    ]
    if o["duplicate_identifiers"]:
        more = " …" if o["duplicates"] > len(o["duplicate_identifiers"]) else ""
        rows.append(("Duplicate identifiers", ", ".join(o["duplicate_identifiers"]) + more))
    rows += [(f"Events of {name}", f"{count:,}") for name, count in o["events_by_meter"].items()]
    return rows


DETAILS: dict[str, Callable[[Obj], list[tuple[str, str]]]] = {
    "billing.meter": _meter_details,
    "billing.meter_event": _event_details,
    "billing.meter_event_adjustment": _adjustment_details,
    "meter_event_import": _import_details,
}
