"""Stored results of requests made with an idempotency key."""

from __future__ import annotations

from typing import Any

from billcli.store.codec import compact
from billcli.store.dialect import Connection


class IdempotencyKeys:
    def __init__(self, conn: Connection):
        self.conn = conn

    def find(self, command: str, key: str, *, not_before: int) -> tuple[str, str] | None:
        """(params_hash, response) of a key still within its retention window."""
        row = self.conn.execute(
            "SELECT params_hash, response FROM idempotency_keys "
            "WHERE command = ? AND key = ? AND created >= ?",
            [command, key, not_before],
        ).fetchone()
        return (row[0], row[1]) if row else None

    def store(
        self, command: str, key: str, params_hash: str, response: dict[str, Any], created: int
    ) -> None:
        self.conn.execute(
            "INSERT INTO idempotency_keys (command, key, params_hash, response, created) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (command, key) DO UPDATE SET "
            "params_hash = excluded.params_hash, response = excluded.response, "
            "created = excluded.created",
            [command, key, params_hash, compact(response), created],
        )

    def forget_before(self, instant: int) -> None:
        self.conn.execute("DELETE FROM idempotency_keys WHERE created < ?", [instant])
