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
# When a subscription is due for a tick's step, at the instant given (also the partial
# index's condition, which a query must imply for SQLite to use it).
DUE = "next_action_at IS NOT NULL AND next_action_at <= ?"


class Subscriptions(Table["Subscription"]):
    mapper = SUBSCRIPTIONS
    owner = "customer"

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
        test_clock: str | None = None,
    ) -> tuple[list[Subscription], bool]:
        """A customer's subscriptions, or else one clock's (None: the ledger clock's)."""
        clauses, params = ["TRUE"], list[object]()
        if customer is not None:
            clauses.append("customer = ?")
            params.append(customer)
        else:
            clauses.append("test_clock IS ?")
            params.append(test_clock)
        if collection_method is not None:
            clauses.append("collection_method = ?")
            params.append(collection_method)
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

    def due(self, until: int, limit: int, *, clock: str | None = None) -> list[Step]:
        """The subscriptions on one clock (None: the ledger's) whose next action falls
        by `until`, earliest first."""
        rows = self.conn.execute(
            "SELECT next_action_at, id, seq FROM subscriptions INDEXED BY subscriptions_due "
            f"WHERE test_clock IS ? AND {DUE} ORDER BY next_action_at, seq LIMIT ?",
            [clock, until, limit],
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
