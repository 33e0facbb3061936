"""Webhook endpoints, the deliveries owed to them, and every attempt made."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from billcli.core.pagination import PageRequest
from billcli.store.dialect import Connection, Cursor
from billcli.store.mapping import Mapper
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint

RECORDS = "billcli.core.records.webhooks"
ENDPOINTS = Mapper["WebhookEndpoint"](RECORDS, "WebhookEndpoint", "webhook_endpoints")
DELIVERIES = Mapper["WebhookDelivery"](RECORDS, "WebhookDelivery", "webhook_deliveries")
ATTEMPTS = Mapper["WebhookAttempt"](RECORDS, "WebhookAttempt", "webhook_attempts")


class WebhookEndpoints:
    def __init__(self, conn: Connection):
        self.conn = conn
        self._enabled: list[WebhookEndpoint] | None = None

    def get(self, endpoint_id: str) -> WebhookEndpoint | None:
        return ENDPOINTS.get(self.conn, endpoint_id)

    def add(self, endpoint: WebhookEndpoint) -> None:
        ENDPOINTS.add_many(self.conn, [endpoint])
        self._enabled = None

    def save(self, endpoint: WebhookEndpoint) -> None:
        ENDPOINTS.save(self.conn, endpoint)
        self._enabled = None

    def enabled(self) -> list[WebhookEndpoint]:
        """Endpoints that take new events; read once per transaction (every event asks)."""
        if self._enabled is None:
            rows = self.conn.execute(
                f"{ENDPOINTS.select} WHERE deleted = 0 AND status = 'enabled' ORDER BY seq"
            )
            self._enabled = [ENDPOINTS.record(row) for row in rows]
        return self._enabled

    def page(self, request: PageRequest) -> tuple[list[WebhookEndpoint], bool]:
        return fetch_page(
            self.conn, ENDPOINTS, kind="webhook_endpoint", where="deleted = 0", params=[],
            request=request,
        )  # fmt: skip

    def all(self) -> Iterator[WebhookEndpoint]:
        for row in self.conn.execute(f"{ENDPOINTS.select} ORDER BY seq"):
            yield ENDPOINTS.record(row)


class WebhookDeliveries:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, delivery: WebhookDelivery) -> int:
        """Insert a new delivery; its seq (the row's own, assigned by the engine)."""
        values = DELIVERIES.values(delivery)[1:]
        columns = ", ".join(DELIVERIES.columns[1:])
        row = self.conn.execute(
            f"INSERT INTO webhook_deliveries ({columns}) "
            f"VALUES ({', '.join('?' * len(values))}) RETURNING seq",
            values,
        ).fetchone()
        return int(row[0])

    def get(self, seq: int) -> WebhookDelivery | None:
        return DELIVERIES.get(self.conn, seq)

    def save(self, delivery: WebhookDelivery) -> None:
        DELIVERIES.save(self.conn, delivery)

    def due(
        self, until: int, limit: int, *, unleased_at: float | None = None
    ) -> list[WebhookDelivery]:
        """Pending deliveries due by `until` to enabled endpoints, earliest first.

        With `unleased_at` (wall-clock seconds), only those no deliverer holds then.
        """
        rows = self._due(DELIVERIES.select, until, limit, unleased_at)
        return [DELIVERIES.record(row) for row in rows]

    def due_at(self, until: int, limit: int) -> list[tuple[int, int]]:
        """(next_attempt_at, seq) of the deliveries `due` finds: what a tick plans with,
        read without loading the delivery records."""
        rows = self._due("SELECT next_attempt_at, seq FROM webhook_deliveries", until, limit)
        return [(at, seq) for at, seq in rows]

    def _due(self, select: str, until: int, limit: int, unleased_at: float | None = None) -> Cursor:
        lease = "" if unleased_at is None else "AND (lease_until IS NULL OR lease_until < ?) "
        return self.conn.execute(
            f"{select} WHERE state = 'pending' AND next_attempt_at <= ? {lease}"
            "AND endpoint IN (SELECT id FROM webhook_endpoints WHERE status = 'enabled' "
            "AND deleted = 0) ORDER BY next_attempt_at, seq LIMIT ?",
            [until, *([] if unleased_at is None else [unleased_at]), limit],
        )

    def of_event(self, event_id: str) -> list[WebhookDelivery]:
        rows = self.conn.execute(f"{DELIVERIES.select} WHERE event = ? ORDER BY seq", [event_id])
        return [DELIVERIES.record(row) for row in rows]

    def pending_of_endpoint(self, endpoint_id: str) -> list[WebhookDelivery]:
        rows = self.conn.execute(
            f"{DELIVERIES.select} WHERE endpoint = ? AND state = 'pending' ORDER BY seq",
            [endpoint_id],
        )
        return [DELIVERIES.record(row) for row in rows]

    def holding(self, invoice_id: str) -> int:
        """How many deliveries of the invoice's `invoice.created` are still pending."""
        return int(
            self.conn.execute(
                "SELECT count(*) FROM webhook_deliveries WHERE invoice = ? AND state = 'pending'",
                [invoice_id],
            ).fetchone()[0]
        )

    def pending_count(self, event_id: str) -> int:
        return self.pending_counts([event_id]).get(event_id, 0)

    def pending_counts(self, event_ids: list[str]) -> dict[str, int]:
        """How many deliveries of each event are still pending (events with none left
        out): one query for a page of events."""
        found: dict[str, int] = {}
        for start in range(0, len(event_ids), 500):
            batch = event_ids[start : start + 500]
            marks = ", ".join("?" * len(batch))
            rows = self.conn.execute(
                "SELECT event, count(*) FROM webhook_deliveries "
                f"WHERE event IN ({marks}) AND state = 'pending' GROUP BY event",
                batch,
            )
            found.update((event, int(count)) for event, count in rows)
        return found

    def all(self) -> Iterator[WebhookDelivery]:
        for row in self.conn.execute(f"{DELIVERIES.select} ORDER BY seq"):
            yield DELIVERIES.record(row)


class WebhookAttempts:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, attempt: WebhookAttempt) -> None:
        ATTEMPTS.add_many(self.conn, [attempt])

    def of_event(self, event_id: str) -> list[WebhookAttempt]:
        rows = self.conn.execute(f"{ATTEMPTS.select} WHERE event = ? ORDER BY seq", [event_id])
        return [ATTEMPTS.record(row) for row in rows]

    def counts(self) -> dict[tuple[str, str], tuple[int, int]]:
        """(event, endpoint) → (attempts, successful attempts), for `ledger check`."""
        rows = self.conn.execute(
            "SELECT event, endpoint, count(*), "
            "sum(status_code BETWEEN 200 AND 299) FROM webhook_attempts GROUP BY event, endpoint"
        )
        return {(e, p): (int(n), int(ok or 0)) for e, p, n, ok in rows}
