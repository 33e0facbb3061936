"""The event log: one Stripe-shaped event per state change, never edited."""

from __future__ import annotations

from typing import TYPE_CHECKING

from billcli.core.pagination import PageRequest
from billcli.store.dialect import Connection
from billcli.store.mapping import Mapper
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records import Event

RECORDS = "billcli.core.records"
EVENTS = Mapper["Event"](RECORDS, "Event", "events")


class Events:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, e: Event) -> None:
        EVENTS.add_many(self.conn, [e])

    def add_many(self, events: list[Event]) -> None:
        EVENTS.add_many(self.conn, events)

    def get(self, event_id: str) -> Event | None:
        return EVENTS.get(self.conn, event_id)

    def page(
        self,
        request: PageRequest,
        *,
        types: tuple[str, ...] = (),
        hidden: tuple[str, ...] = (),
        delivered: bool | None = None,
    ) -> tuple[list[Event], bool]:
        """`types` are names or patterns with Stripe's `*` (any run of characters);
        `delivered` False keeps the events a delivery of which is pending or failed,
        True those with none such."""
        where, params = "TRUE", []
        if types:
            where = " OR ".join(
                "type LIKE ? ESCAPE '\\'" if "*" in t else "type = ?" for t in types
            )
            params = [_like(t) if "*" in t else t for t in types]
            where = f"({where})"
        if hidden:
            where += f" AND type NOT IN ({', '.join('?' * len(hidden))})"
            params = [*params, *hidden]
        if delivered is not None:
            undelivered = (
                "EXISTS (SELECT 1 FROM webhook_deliveries AS d WHERE d.event = events.id "
                "AND d.state IN ('pending', 'failed'))"
            )
            where += f" AND {'NOT ' if delivered else ''}{undelivered}"
        return fetch_page(
            self.conn, EVENTS, kind="event", where=where, params=params, request=request
        )

    def take_order(self) -> None:
        """Hold, until the transaction ends, the turn to add events (a shared writer's):
        so `seq` follows commit order whoever writes beside it."""
        self.conn.dialect.order_events(self.conn)

    def last_seq(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0])

    def after(self, seq: int, limit: int, *, upto: int | None = None) -> list[tuple[int, Event]]:
        """Events written after `seq` (up to seq `upto`), oldest first, with their seq."""
        rows = self.conn.execute(
            f"SELECT seq, {', '.join(EVENTS.columns)} FROM events WHERE seq > ? AND seq <= ? "
            "ORDER BY seq LIMIT ?",
            [seq, upto if upto is not None else 2**62, limit],
        )
        return [(row[0], EVENTS.record(row[1:])) for row in rows]

    def charges_after_deletion(self) -> list[tuple[str, str]]:
        """(charge, customer) for each charge recorded after its customer's deletion, in
        the order of the log (a frozen clock gives both the same instant)."""
        rows = self.conn.execute(
            "SELECT json_extract(c.object, '$.id'), d.customer FROM "
            "(SELECT json_extract(object, '$.id') AS customer, min(seq) AS seq FROM events "
            "WHERE type = 'customer.deleted' GROUP BY customer) AS d "
            "JOIN events AS c ON c.type IN ('charge.succeeded', 'charge.failed') "
            "AND c.seq > d.seq AND json_extract(c.object, '$.customer') = d.customer"
        )
        return [(str(charge), str(customer)) for charge, customer in rows]

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM events").fetchone()[0])


def _like(pattern: str) -> str:
    """Stripe's `*` wildcard as a LIKE pattern (both engines have LIKE; PostgreSQL has
    no GLOB), every other LIKE metacharacter taken literally. Event types are lowercase,
    so SQLite's case-blind LIKE matches what PostgreSQL's does."""
    escaped = "".join(f"\\{c}" if c in "\\%_" else c for c in pattern)
    return escaped.replace("*", "%")
