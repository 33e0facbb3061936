"""What subscription schedules show: list columns and detail rows (a row per phase)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.render import text
from billcli.render.columns import KEEP, Column, field, meta, timestamp

Obj = dict[str, Any]


def _phase_words(p: Obj) -> str:
    items = ", ".join(f"{i['quantity']} × {i['price']}" for i in p["items"])
    extra = [p["proration_behavior"]]
    if p["discounts"]:
        extra.append(f"coupon {p['discounts'][0]['coupon']}")
    if p["trial_end"]:
        extra.append(f"trial until {text.when(p['trial_end'], short=True)}")
    span = f"{text.when(p['start_date'], short=True)} → {text.when(p['end_date'], short=True)}"
    return f"{span}: {items} ({'; '.join(extra)})"


def _current(o: Obj) -> str:
    current = o.get("current_phase")
    if not current:
        return ""
    return f"{text.when(current['start_date'], short=True)} → " + text.when(
        current["end_date"], short=True
    )


def _schedule_details(o: Obj) -> list[tuple[str, str]]:
    rows = [
        ("ID", o["id"]),
        ("Status", o["status"]),
        ("Customer", o["customer"]),
        ("Subscription", text.plain(o.get("subscription"))),
        ("Released subscription", text.plain(o.get("released_subscription"))),
        ("Current phase", _current(o)),
        ("End behavior", o["end_behavior"]),
        *[(f"Phase {n + 1}", _phase_words(p)) for n, p in enumerate(o["phases"])],
        ("Canceled", text.when(o.get("canceled_at"))),
        ("Completed", text.when(o.get("completed_at"))),
        ("Released", text.when(o.get("released_at"))),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]
    return [(label, value) for label, value in rows if value or label in ("ID", "Status")]


COLUMNS: dict[str, list[Column]] = {
    "subscription_schedule": [
        field("id", "id", priority=KEEP),
        timestamp("created", "created"),
        field("customer", "customer", priority=6),
        field("status", "status", priority=KEEP),
        field("subscription", "subscription", priority=5),
        Column("phases", lambda o: len(o["phases"]), lambda o: str(len(o["phases"])), priority=3),
        Column("current_phase", _current, _current, priority=4),
        meta(),
    ],
}

DETAILS: dict[str, Callable[[Obj], list[tuple[str, str]]]] = {
    "subscription_schedule": _schedule_details,
}
