"""The history of subscriptions' monthly recurring revenue: a row per change."""

from __future__ import annotations

from typing import Any

from billcli.store.dialect import Connection

State = tuple[int, int | None, int | None, int | None]


class SubscriptionMrr:
    """`subscription_mrr`: a row per change of a subscription's MRR."""

    def __init__(self, conn: Connection):
        self.conn = conn

    def latest(self, subscription: str) -> State | None:
        row = self.conn.execute(
            "SELECT mrr, discount_hundredths, discount_monthly, discount_end "
            "FROM subscription_mrr WHERE subscription = ? ORDER BY at DESC, seq DESC LIMIT 1",
            [subscription],
        ).fetchone()
        return None if row is None else (row[0], row[1], row[2], row[3])

    def add(self, subscription: str, customer: str, currency: str, at: int, state: State) -> None:
        self.conn.execute(
            "INSERT INTO subscription_mrr (subscription, customer, currency, at, mrr, "
            "discount_hundredths, discount_monthly, discount_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [subscription, customer, currency, at, *state],
        )

    def all(self) -> list[tuple[Any, ...]]:
        return self.conn.execute(
            "SELECT subscription, customer, currency, at, mrr, discount_hundredths, "
            "discount_monthly, discount_end FROM subscription_mrr ORDER BY subscription, at, seq"
        ).fetchall()
