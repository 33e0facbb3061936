"""The event log: one Stripe-shaped event per state change, never edited."""

from __future__ import annotations

import json
import sqlite3

from billcli.core.pagination import PageRequest
from billcli.core.records import Event
from billcli.store.codec import compact
from billcli.store.pages import fetch_page


def _event(row: sqlite3.Row) -> Event:
    previous = row["previous_attributes"]
    return Event(
        id=row["id"],
        created=row["created"],
        type=row["type"],
        object=json.loads(row["object"]),
        previous_attributes=json.loads(previous) if previous else None,
        idempotency_key=row["idempotency_key"],
    )


class Events:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def add(self, e: Event) -> None:
        self.add_many([e])

    def add_many(self, events: list[Event]) -> None:
        self.conn.executemany(
            "INSERT INTO events (id, created, type, object_id, object, previous_attributes, "
            "idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    e.id,
                    e.created,
                    e.type,
                    e.object.get("id", ""),
                    compact(e.object),
                    None if e.previous_attributes is None else compact(e.previous_attributes),
                    e.idempotency_key,
                )
                for e in events
            ],
        )

    def get(self, event_id: str) -> Event | None:
        row = self.conn.execute("SELECT * FROM events WHERE id = ?", [event_id]).fetchone()
        return _event(row) if row else None

    def page(self, request: PageRequest, *, type_: str | None = None) -> tuple[list[Event], bool]:
        where, params = ("type = ?", [type_]) if type_ else ("1", [])
        rows, has_more = fetch_page(
            self.conn, table="events", kind="event", where=where, params=params, request=request
        )
        return [_event(r) for r in rows], has_more

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM events").fetchone()[0])
