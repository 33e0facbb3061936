"""Ledger-wide values: settings and the frozen clock instant."""

from __future__ import annotations

from billcli.store.dialect import Connection

CLOCK_KEY = "clock.frozen_at"


class Meta:
    def __init__(self, conn: Connection):
        self.conn = conn

    def get(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set(self, key: str, value: str | None) -> None:
        if value is None:
            self.conn.execute("DELETE FROM meta WHERE key = ?", [key])
        else:
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    def frozen_at(self) -> int | None:
        value = self.get(CLOCK_KEY)
        return int(value) if value is not None else None
