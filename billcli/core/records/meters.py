"""Meters: what usage events count, and how."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Meter:
    """A meter; only its display name and status ever change (facts C.1)."""

    id: str
    created: int
    updated: int
    display_name: str
    event_name: str
    formula: str = "sum"
    customer_key: str = "stripe_customer_id"
    value_key: str = "value"
    event_time_window: str | None = None
    status: str = "active"
    deactivated_at: int | None = None


@dataclass(frozen=True)
class Run:
    """Consecutive events of one meter and customer, written together within one week
    of epoch time: their seqs, the span of their timestamps, and what they add up to
    (canceled events left out). `latest_*` is the event with the greatest
    (timestamp, seq), kept only for meters that need it (`last`, pre-aggregated)."""

    first_seq: int
    last_seq: int
    first_timestamp: int
    last_timestamp: int
    events: int
    total: int
    latest_seq: int | None = None
    latest_timestamp: int | None = None
    latest_value: int | None = None
