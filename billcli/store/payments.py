"""Payment methods, payment intents, charges, refunds and setup intents in the ledger."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from billcli.core.pagination import PageRequest
from billcli.core.tick import AUTHORIZATION, Step, step
from billcli.store.mapping import Mapper, Table
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records.payments import (
        Charge,
        PaymentIntent,
        PaymentMethod,
        Refund,
        SetupIntent,
        Token,
    )

RECORDS = "billcli.core.records.payments"
PAYMENT_METHODS = Mapper["PaymentMethod"](RECORDS, "PaymentMethod", "payment_methods")
PAYMENT_INTENTS = Mapper["PaymentIntent"](RECORDS, "PaymentIntent", "payment_intents")
CHARGES = Mapper["Charge"](RECORDS, "Charge", "charges")
REFUNDS = Mapper["Refund"](RECORDS, "Refund", "refunds")
SETUP_INTENTS = Mapper["SetupIntent"](RECORDS, "SetupIntent", "setup_intents")
TOKENS = Mapper["Token"](RECORDS, "Token", "tokens")


def _filtered(filters: Sequence[tuple[str, Any]]) -> tuple[str, list[Any]]:
    """A WHERE clause of `column = ?` for each filter given (None: not given)."""
    clauses, params = ["TRUE"], []
    for column, value in filters:
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    return " AND ".join(clauses), params


class PaymentMethods(Table["PaymentMethod"]):
    mapper = PAYMENT_METHODS
    owner = "customer"

    def page(
        self,
        request: PageRequest,
        *,
        customer: str | None,
        sources: bool = False,
        allow_redisplay: str | None = None,
    ) -> tuple[list[PaymentMethod], bool]:
        """A customer's methods (or every one); `sources`: only their card sources."""
        where, params = _filtered([("customer", customer), ("allow_redisplay", allow_redisplay)])
        if sources:
            where += " AND substr(id, 1, 5) = 'card_'"
        return fetch_page(
            self.conn,
            PAYMENT_METHODS,
            kind="PaymentMethod",
            where=where,
            params=params,
            request=request,
        )


class PaymentIntents(Table["PaymentIntent"]):
    mapper = PAYMENT_INTENTS
    owner = "customer"

    def by_action_secret(self, secret: str) -> PaymentIntent | None:
        return self.claimed(PAYMENT_INTENTS.find(self.conn, "action_secret", secret))

    def of_invoice(self, invoice_id: str) -> PaymentIntent | None:
        return PAYMENT_INTENTS.find(self.conn, "invoice", invoice_id)

    def unfinished_of(self, customer_id: str) -> list[PaymentIntent]:
        """The customer's intents that may still charge (neither succeeded nor canceled)."""
        rows = self.conn.execute(
            f"{PAYMENT_INTENTS.select} WHERE customer = ? "
            "AND status NOT IN ('succeeded', 'canceled') ORDER BY created, seq",
            [customer_id],
        )
        return [PAYMENT_INTENTS.record(r) for r in rows]

    def page(
        self, request: PageRequest, *, customer: str | None = None, status: str | None = None
    ) -> tuple[list[PaymentIntent], bool]:
        where, params = _filtered([("customer", customer), ("status", status)])
        return fetch_page(
            self.conn,
            PAYMENT_INTENTS,
            kind="payment_intent",
            where=where,
            params=params,
            request=request,
        )

    def of_invoices(
        self,
        request: PageRequest,
        *,
        invoice: str | None,
        intent: str | None,
        status: str | None,
    ) -> tuple[list[PaymentIntent], bool]:
        """Invoices' intents, for their InvoicePayments (`status` in InvoicePayment's
        words: paid, canceled, or open for every other)."""
        where, params = _filtered([("invoice", invoice), ("id", intent)])
        where += " AND invoice IS NOT NULL"
        if status is not None:
            where += {
                "paid": " AND status = 'succeeded'",
                "canceled": " AND status = 'canceled'",
                "open": " AND status NOT IN ('succeeded', 'canceled')",
            }[status]
        return fetch_page(
            self.conn,
            PAYMENT_INTENTS,
            kind="invoice_payment",
            where=where,
            params=params,
            request=request,
        )


class Charges(Table["Charge"]):
    mapper = CHARGES
    owner = "customer"

    def page(
        self,
        request: PageRequest,
        *,
        customer: str | None = None,
        payment_intent: str | None = None,
    ) -> tuple[list[Charge], bool]:
        where, params = _filtered([("customer", customer), ("payment_intent", payment_intent)])
        return fetch_page(
            self.conn, CHARGES, kind="charge", where=where, params=params, request=request
        )

    def authorizations_due(self, until: int, limit: int, *, clock: str | None) -> list[Step]:
        """Authorizations still held whose `capture_before` falls by `until`, on one clock
        (their customer's test clock; None: the ledger's, for a charge of nobody too)."""
        rows = self.conn.execute(
            "SELECT h.capture_before, h.id, h.seq FROM charges AS h "
            "LEFT JOIN customers AS c ON c.id = h.customer "
            "WHERE h.capture_before IS NOT NULL AND h.captured_at IS NULL "
            "AND h.amount_refunded = 0 AND h.capture_before <= ? AND c.test_clock IS ? "
            "ORDER BY h.capture_before, h.seq LIMIT ?",
            [until, clock, limit],
        )
        return [step(at, AUTHORIZATION, i, s) for at, i, s in rows]


class Refunds(Table["Refund"]):
    mapper = REFUNDS

    def of_charge(self, charge_id: str) -> list[Refund]:
        rows = self.conn.execute(
            f"{REFUNDS.select} WHERE charge = ? ORDER BY created, seq", [charge_id]
        )
        return [REFUNDS.record(r) for r in rows]

    def page(
        self,
        request: PageRequest,
        *,
        charge: str | None = None,
        payment_intent: str | None = None,
    ) -> tuple[list[Refund], bool]:
        where, params = _filtered([("charge", charge), ("payment_intent", payment_intent)])
        return fetch_page(
            self.conn, REFUNDS, kind="refund", where=where, params=params, request=request
        )


class SetupIntents(Table["SetupIntent"]):
    mapper = SETUP_INTENTS
    owner = "customer"

    def by_action_secret(self, secret: str) -> SetupIntent | None:
        return self.claimed(SETUP_INTENTS.find(self.conn, "action_secret", secret))

    def page(
        self,
        request: PageRequest,
        *,
        customer: str | None = None,
        payment_method: str | None = None,
    ) -> tuple[list[SetupIntent], bool]:
        where, params = _filtered([("customer", customer), ("payment_method", payment_method)])
        return fetch_page(
            self.conn,
            SETUP_INTENTS,
            kind="setup_intent",
            where=where,
            params=params,
            request=request,
        )


class Tokens(Table["Token"]):
    mapper: Mapper[Token] = TOKENS
