"""Checkout Sessions in the ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from billcli.core.pagination import PageRequest
from billcli.core.tick import CHECKOUT, Step, step
from billcli.store.mapping import Mapper, Table
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records.checkout import CheckoutSession

SESSIONS = Mapper["CheckoutSession"](
    "billcli.core.records.checkout", "CheckoutSession", "checkout_sessions"
)


class CheckoutSessions(Table["CheckoutSession"]):
    mapper = SESSIONS

    def by_secret(self, secret: str) -> CheckoutSession | None:
        return SESSIONS.find(self.conn, "secret", secret)

    def holding(self, payment_intent: str) -> CheckoutSession | None:
        """The session whose payment is this PaymentIntent, if any."""
        return SESSIONS.find(self.conn, "payment_intent", payment_intent)

    def holding_setup(self, setup_intent: str) -> CheckoutSession | None:
        """The session that saves its card through this SetupIntent, if any."""
        return SESSIONS.find(self.conn, "setup_intent", setup_intent)

    def page(
        self,
        request: PageRequest,
        *,
        customer: str | None = None,
        status: str | None = None,
        subscription: str | None = None,
        payment_intent: str | None = None,
        email: str | None = None,
    ) -> tuple[list[CheckoutSession], bool]:
        clauses, params = ["TRUE"], []
        filters = (
            ("customer", customer),
            ("status", status),
            ("subscription", subscription),
            ("payment_intent", payment_intent),
        )
        for column, value in filters:
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if email is not None:
            clauses.append("json_extract(customer_details, '$.email') = ?")
            params.append(email)
        return fetch_page(
            self.conn,
            SESSIONS,
            kind="checkout.session",
            where=" AND ".join(clauses),
            params=params,
            request=request,
        )

    def due(self, until: int, limit: int) -> list[Step]:
        """Open sessions whose `expires_at` falls by `until`, earliest first."""
        rows = self.conn.execute(
            "SELECT expires_at, id, seq FROM checkout_sessions INDEXED BY checkout_sessions_due "
            "WHERE status = 'open' AND expires_at <= ? ORDER BY expires_at, seq LIMIT ?",
            [until, limit],
        )
        return [step(at, CHECKOUT, i, s) for at, i, s in rows]

    def challenged(self, column: str, value: str, other_than: str | None, now: int) -> int:
        """Open sessions holding the coupon or promotion code (`column`: which) whose
        PaymentIntent or SetupIntent awaits the bank's challenge, besides `other_than`,
        not past their `expires_at` at `now`."""
        assert column in ("coupon", "promotion_code"), column
        row = self.conn.execute(
            "SELECT count(*) FROM checkout_sessions s "
            "LEFT JOIN payment_intents p ON p.id = s.payment_intent "
            "LEFT JOIN setup_intents i ON i.id = s.setup_intent "
            f"WHERE s.{column} = ? AND s.status = 'open' AND s.id <> ? AND s.expires_at > ? "
            "AND (p.status = 'requires_action' OR i.status = 'requires_action')",
            [value, other_than or "", now],
        ).fetchone()
        return int(row[0])
