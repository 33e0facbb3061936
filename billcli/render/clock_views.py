"""What test clocks show: list columns and detail rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.render import text
from billcli.render.columns import KEEP, Column, field, timestamp

Obj = dict[str, Any]


def clock_status(o: Obj) -> str:
    """`ready`, or `advancing to 2021-01-01 00:00:00 UTC`."""
    target = (o.get("status_details") or {}).get("advancing", {}).get("target_frozen_time")
    return o["status"] if target is None else f"advancing to {text.when(target)}"


COLUMNS: dict[str, list[Column]] = {
    "test_helpers.test_clock": [
        field("id", "id", priority=KEEP),
        field("name", "name", wrap=True, priority=6),
        timestamp("frozen_time", "frozen_time", priority=KEEP),
        Column("status", lambda o: o["status"], clock_status, priority=KEEP),
        timestamp("created", "created", priority=2),
        timestamp("deletes_after", "deletes_after", priority=4),
    ],
}


def _clock_details(o: Obj) -> list[tuple[str, str]]:
    if o.get("deleted"):
        return [("ID", o["id"]), ("Status", "deleted, with its customers")]
    return [
        ("ID", o["id"]),
        ("Name", text.plain(o.get("name"))),
        ("Frozen time", text.when(o["frozen_time"])),
        ("Status", clock_status(o)),
        ("Created", text.when(o.get("created"))),
        ("Deleted after", text.when(o.get("deletes_after"))),
    ]


DETAILS: dict[str, Callable[[Obj], list[tuple[str, str]]]] = {
    "test_helpers.test_clock": _clock_details,
}
