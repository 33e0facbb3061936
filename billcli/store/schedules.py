"""Subscription schedules in the ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from billcli.core.pagination import PageRequest
from billcli.core.tick import SCHEDULE, Step, step
from billcli.store.mapping import Mapper, Table
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records.schedules import SubscriptionSchedule

SCHEDULES = Mapper["SubscriptionSchedule"](
    "billcli.core.records.schedules", "SubscriptionSchedule", "subscription_schedules"
)


class SubscriptionSchedules(Table["SubscriptionSchedule"]):
    mapper = SCHEDULES
    owner = "customer"

    def seq(self, schedule_id: str) -> int:
        row = self.conn.execute(
            "SELECT seq FROM subscription_schedules WHERE id = ?", [schedule_id]
        )
        return int(row.fetchone()[0])

    def managing(self, subscription_id: str) -> SubscriptionSchedule | None:
        """The schedule that manages a subscription, if one does (a canceled one names
        the subscription it ended, and manages it no more)."""
        row = self.conn.execute(
            f"{SCHEDULES.select} WHERE subscription = ? AND status IN ('not_started', 'active')",
            [subscription_id],
        ).fetchone()
        return SCHEDULES.record(row) if row else None

    def page(
        self, request: PageRequest, *, customer: str | None = None
    ) -> tuple[list[SubscriptionSchedule], bool]:
        where, params = ("customer = ?", [customer]) if customer else ("1", [])
        return fetch_page(
            self.conn,
            SCHEDULES,
            kind="subscription_schedule",
            where=where,
            params=params,
            request=request,
        )

    def due(self, until: int, limit: int, *, clock: str | None = None) -> list[Step]:
        """The schedules on one clock (None: the ledger's) that clock must look at by
        `until`, earliest first."""
        rows = self.conn.execute(
            "SELECT next_action_at, id, seq FROM subscription_schedules "
            "INDEXED BY subscription_schedules_due WHERE test_clock IS ? "
            "AND next_action_at IS NOT NULL AND next_action_at <= ? "
            "ORDER BY next_action_at, seq LIMIT ?",
            [clock, until, limit],
        )
        return [step(at, SCHEDULE, i, s) for at, i, s in rows]
