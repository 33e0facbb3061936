"""Subscriptions and their items; which subscriptions the clock must look at next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from billcli.core.pagination import PageRequest
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
    ) -> tuple[list[Subscription], bool]:
        clauses, params = ["1"], []
        if customer is not None:
            clauses.append("customer = ?")
            params.append(customer)
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

    def with_threshold(self) -> list[Subscription]:
        """The subscriptions a billing threshold may invoice early (active or past due)."""
        rows = self.conn.execute(
            f"{SUBSCRIPTIONS.select} INDEXED BY subscriptions_with_threshold "
            "WHERE threshold_amount IS NOT NULL AND status IN ('active', 'past_due') ORDER BY seq"
        )
        return [SUBSCRIPTIONS.record(r) for r in rows]

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
