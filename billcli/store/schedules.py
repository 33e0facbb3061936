"""Subscription schedules in the ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from billcli.core.pagination import PageRequest, Range
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

    def live_of(self, customer: str) -> list[SubscriptionSchedule]:
        """A customer's schedules still not_started or active, oldest first."""
        rows = self.conn.execute(
            f"{SCHEDULES.select} WHERE customer = ? AND status IN ('not_started', 'active') "
            "ORDER BY created, seq",
            [customer],
        )
        return [SCHEDULES.record(row) for row in rows]

    def page(
        self,
        request: PageRequest,
        *,
        customer: str | None = None,
        ranges: dict[str, Range | None] | None = None,
        scheduled: bool | None = None,
    ) -> tuple[list[SubscriptionSchedule], bool]:
        """`scheduled`: only schedules not started yet (True) or only those that have."""
        clauses, params = ["TRUE"], list[object]()
        if customer is not None:
            clauses.append("customer = ?")
            params.append(customer)
        for column, bounds in (ranges or {}).items():
            assert column in ("canceled_at", "completed_at", "released_at"), column
            for op, bound in bounds.bounds() if bounds else []:
                clauses.append(f"{column} {op} ?")
                params.append(bound)
        if scheduled is not None:
            clauses.append("status = 'not_started'" if scheduled else "status != 'not_started'")
        return fetch_page(
            self.conn,
            SCHEDULES,
            kind="subscription_schedule",
            where=" AND ".join(clauses),
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
