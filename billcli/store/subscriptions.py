"""Subscriptions and their items; which subscriptions the clock must look at next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from billcli.core.pagination import PageRequest, Range
from billcli.core.tick import SUBSCRIPTION, Step, step
from billcli.store.mapping import Mapper, Table
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records.subscriptions import Subscription, SubscriptionItem

RECORDS = "billcli.core.records.subscriptions"
SUBSCRIPTIONS = Mapper["Subscription"](RECORDS, "Subscription", "subscriptions")
ITEMS = Mapper["SubscriptionItem"](RECORDS, "SubscriptionItem", "subscription_items")


class Subscriptions(Table["Subscription"]):
    mapper = SUBSCRIPTIONS

    def seq(self, subscription_id: str) -> int:
        row = self.conn.execute("SELECT seq FROM subscriptions WHERE id = ?", [subscription_id])
        return int(row.fetchone()[0])

    def page(
        self,
        request: PageRequest,
        *,
        customer: str | None = None,
        statuses: tuple[str, ...] | None = None,
        price: str | None = None,
        collection_method: str | None = None,
        ranges: dict[str, Range | None] | None = None,
    ) -> tuple[list[Subscription], bool]:
        clauses, params = ["1"], list[object]()
        for column, value in (("customer", customer), ("collection_method", collection_method)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        for column, bounds in (ranges or {}).items():
            assert column in ("current_period_start", "current_period_end"), column
            for op, bound in bounds.bounds() if bounds else []:
                clauses.append(f"{column} {op} ?")
                params.append(bound)
        if statuses is not None:
            clauses.append(f"status IN ({', '.join('?' * len(statuses))})")
            params += statuses
        if price is not None:
            clauses.append("id IN (SELECT subscription FROM subscription_items WHERE price = ?)")
            params.append(price)
        return fetch_page(
            self.conn,
            SUBSCRIPTIONS,
            kind="subscription",
            where=" AND ".join(clauses),
            params=params,
            request=request,
        )

    def due(self, until: int, limit: int) -> list[Step]:
        """The subscriptions whose next action falls by `until`, earliest first."""
        rows = self.conn.execute(
            "SELECT next_action_at, id, seq FROM subscriptions INDEXED BY subscriptions_due "
            "WHERE next_action_at IS NOT NULL AND next_action_at <= ? "
            "ORDER BY next_action_at, seq LIMIT ?",
            [until, limit],
        )
        return [step(at, SUBSCRIPTION, i, s) for at, i, s in rows]

    def of_customer(self, customer_id: str) -> list[Subscription]:
        rows = self.conn.execute(
            f"{SUBSCRIPTIONS.select} WHERE customer = ? ORDER BY created DESC, seq DESC",
            [customer_id],
        )
        return [SUBSCRIPTIONS.record(r) for r in rows]


class SubscriptionItems(Table["SubscriptionItem"]):
    mapper = ITEMS

    def of(self, subscription_id: str) -> list[SubscriptionItem]:
        rows = self.conn.execute(
            f"{ITEMS.select} WHERE subscription = ? ORDER BY seq", [subscription_id]
        )
        return [ITEMS.record(r) for r in rows]

    def delete(self, item_id: str) -> None:
        self.conn.execute("DELETE FROM subscription_items WHERE id = ?", [item_id])
