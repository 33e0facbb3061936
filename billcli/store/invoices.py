"""Invoices, their items (an invoice's lines are its items), attempts and the outbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from billcli.core.pagination import PageRequest, Range
from billcli.core.tick import CHARGE, FINALIZE, Step, step
from billcli.store.dialect import Connection
from billcli.store.mapping import Mapper, Owned
from billcli.store.pages import fetch_page

if TYPE_CHECKING:
    from billcli.core.records.invoices import Email, Invoice, InvoiceItem, PaymentAttempt

RECORDS = "billcli.core.records.invoices"
INVOICES = Mapper["Invoice"](RECORDS, "Invoice", "invoices")
ITEMS = Mapper["InvoiceItem"](RECORDS, "InvoiceItem", "invoice_items")
ATTEMPTS = Mapper["PaymentAttempt"](RECORDS, "PaymentAttempt", "payment_attempts")
OUTBOX = Mapper["Email"](RECORDS, "Email", "outbox")
# When an invoice is due for a tick's step, at the instant given (also the partial
# indexes' conditions, which a query must imply for SQLite to use them).
TO_FINALIZE = "status = 'draft' AND auto_advance = 1 AND finalizes_at <= ?"
TO_CHARGE = "next_payment_attempt IS NOT NULL AND next_payment_attempt <= ?"


def _where(filters: dict[str, Any]) -> tuple[str, list[Any]]:
    given = {k: v for k, v in filters.items() if v is not None}
    if not given:
        return "TRUE", []
    return " AND ".join(f"{k} = ?" for k in given), list(given.values())


def _credited(on: str, *, net: bool = True) -> str:
    """What issued credit notes took back of the lines `on` picks: net of the discount
    share they returned, or before it."""
    taken = "l.amount - l.discount_amount" if net else "l.amount"
    return (
        f"coalesce((SELECT sum({taken}) FROM credit_note_lines AS l JOIN credit_notes AS c "
        f"ON c.id = l.credit_note WHERE {on} AND c.status = 'issued'), 0)"
    )


class Invoices(Owned):
    owner = "customer"

    def __init__(self, conn: Connection):
        self.conn = conn

    def get(self, invoice_id: str) -> Invoice | None:
        return INVOICES.get(self.conn, invoice_id)

    def add(self, invoice: Invoice) -> None:
        INVOICES.add_many(self.conn, [invoice])
        self.claim([invoice])

    def save(self, invoice: Invoice) -> None:
        INVOICES.save(self.conn, invoice)
        self.claim([invoice])

    def by_number(self, number: str) -> Invoice | None:
        return INVOICES.find(self.conn, "number", number)

    def by_page_secret(self, secret: str) -> Invoice | None:
        return self.claimed(INVOICES.find(self.conn, "page_secret", secret))

    def clock_of(self, invoice_id: str) -> str | None:
        """The clock an invoice lives on (its customer's, filled in by the ledger)."""
        row = self.conn.execute(
            "SELECT test_clock FROM invoices WHERE id = ?", [invoice_id]
        ).fetchone()
        return None if row is None else row[0]

    def seq(self, invoice_id: str) -> int:
        """The invoice's row number: its place among invoices created the same second."""
        return int(
            self.conn.execute("SELECT seq FROM invoices WHERE id = ?", [invoice_id]).fetchone()[0]
        )

    def of_subscription(self, subscription_id: str) -> list[Invoice]:
        """A subscription's invoices, oldest first."""
        rows = self.conn.execute(
            f"{INVOICES.select} WHERE subscription = ? ORDER BY created, seq", [subscription_id]
        )
        return [INVOICES.record(r) for r in rows]

    def numbered(self, customer_id: str) -> bool:
        """Whether any of a customer's invoices carries a number yet."""
        row = self.conn.execute(
            "SELECT 1 FROM invoices WHERE customer = ? AND number IS NOT NULL LIMIT 1",
            [customer_id],
        ).fetchone()
        return row is not None

    def collecting(self, customer_id: str) -> list[Invoice]:
        """A customer's drafts and open invoices that still advance by themselves."""
        rows = self.conn.execute(
            f"{INVOICES.select} WHERE customer = ? AND status IN ('draft', 'open') "
            "AND auto_advance = 1 ORDER BY created, seq",
            [customer_id],
        )
        return [INVOICES.record(r) for r in rows]

    def history(self, customer_id: str, limit: int) -> tuple[list[Invoice], bool]:
        """A customer's finalized invoices, newest first (what the portal lists)."""
        rows = self.conn.execute(
            f"{INVOICES.select} WHERE customer = ? AND status <> 'draft' "
            "ORDER BY created DESC, seq DESC LIMIT ?",
            [customer_id, limit + 1],
        ).fetchall()
        return [INVOICES.record(row) for row in rows[:limit]], len(rows) > limit

    def has_paid(self, customer_id: str) -> bool:
        """Whether the customer has a paid invoice or a captured charge (a promotion
        code for first-time transactions is not for them; a hold never captured is no
        payment)."""
        row = self.conn.execute(
            "SELECT EXISTS (SELECT 1 FROM invoices WHERE customer = ? AND status = 'paid') "
            "OR EXISTS (SELECT 1 FROM charges WHERE customer = ? AND status = 'succeeded' "
            "AND captured_at IS NOT NULL)",
            [customer_id, customer_id],
        )
        return bool(row.fetchone()[0])

    def delete(self, invoice_id: str) -> None:
        self.conn.execute("DELETE FROM invoices WHERE id = ?", [invoice_id])

    def page(
        self, request: PageRequest, *, due: Range | None = None, **filters: Any
    ) -> tuple[list[Invoice], bool]:
        where, params = _where(filters)
        for op, value in due.bounds() if due else []:
            where += f" AND due_date {op} ?"
            params.append(value)
        return fetch_page(
            self.conn, INVOICES, kind="invoice", where=where, params=params, request=request
        )

    def due(self, until: int, limit: int, *, clock: str | None = None) -> list[Step]:
        """The earliest work due by `until` on one clock (None: the ledger's): drafts
        to finalize, payments to attempt."""
        # Without statistics SQLite prefers `invoices_by_status` and then sorts every
        # draft; the partial index holds exactly the auto-advancing ones, by clock and
        # in due order.
        finalize = self.conn.execute(
            "SELECT finalizes_at, id, seq FROM invoices INDEXED BY invoices_to_finalize "
            f"WHERE test_clock IS ? AND {TO_FINALIZE} ORDER BY finalizes_at, seq LIMIT ?",
            [clock, until, limit],
        )
        charge = self.conn.execute(
            "SELECT next_payment_attempt, id, seq FROM invoices INDEXED BY invoices_to_charge "
            f"WHERE test_clock IS ? AND {TO_CHARGE} ORDER BY next_payment_attempt, seq LIMIT ?",
            [clock, until, limit],
        )
        return [step(at, FINALIZE, i, s) for at, i, s in finalize] + [
            step(at, CHARGE, i, s) for at, i, s in charge
        ]

    def all(self) -> Iterator[Invoice]:
        for row in self.conn.execute(f"{INVOICES.select} ORDER BY seq"):
            yield INVOICES.record(row)

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM invoices").fetchone()[0])


class InvoiceItems(Owned):
    owner = "customer"

    def __init__(self, conn: Connection):
        self.conn = conn

    def get(self, item_id: str) -> InvoiceItem | None:
        return ITEMS.get(self.conn, item_id)

    def add(self, item: InvoiceItem) -> None:
        ITEMS.add_many(self.conn, [item])
        self.claim([item])

    def save(self, item: InvoiceItem) -> None:
        ITEMS.save(self.conn, item)
        self.claim([item])

    def delete(self, item_id: str) -> None:
        self.conn.execute("DELETE FROM invoice_items WHERE id = ?", [item_id])

    def page(
        self,
        request: PageRequest,
        *,
        customer: str | None = None,
        invoice: str | None = None,
        pending: bool = False,
    ) -> tuple[list[InvoiceItem], bool]:
        where, params = _where({"customer": customer, "invoice": invoice})
        where += " AND type = 'invoiceitem'"  # a subscription's lines are not items
        if pending:
            where += " AND invoice IS NULL"
        return fetch_page(
            self.conn, ITEMS, kind="invoice item", where=where, params=params, request=request
        )

    def lines(self, invoice_id: str, request: PageRequest) -> tuple[list[InvoiceItem], bool]:
        """An invoice's lines in the order they were added."""
        return fetch_page(
            self.conn,
            ITEMS,
            kind="invoice line item",
            where="invoice = ?",
            params=[invoice_id],
            request=request,
            oldest_first=True,
            cursor_column="line_id",
        )

    def on_invoice(self, invoice_id: str) -> list[InvoiceItem]:
        rows = self.conn.execute(
            f"{ITEMS.select} WHERE invoice = ? ORDER BY created, seq", [invoice_id]
        )
        return [ITEMS.record(r) for r in rows]

    def pending(
        self, customer_id: str, currency: str, limit: int, *, subscription: str | None = None
    ) -> list[InvoiceItem]:
        """The customer's oldest pending items in `currency`, at most `limit`: those of no
        subscription or of an ended one (a cancellation's credit waits for the customer's
        next invoice), and with `subscription` that subscription's own (its prorations)."""
        rows = self.conn.execute(
            f"{ITEMS.select} WHERE customer = ? AND invoice IS NULL AND currency = ? "
            "AND (subscription IS NULL OR subscription = ? OR EXISTS (SELECT 1 FROM "
            "subscriptions AS s WHERE s.id = invoice_items.subscription "
            "AND s.status IN ('canceled', 'incomplete_expired'))) ORDER BY created, seq LIMIT ?",
            [customer_id, currency, subscription, limit],
        )
        return [ITEMS.record(r) for r in rows]

    def add_many(self, items: list[InvoiceItem]) -> None:
        ITEMS.add_many(self.conn, items)
        self.claim(items)

    def pending_of(self, subscription_id: str) -> list[InvoiceItem]:
        """A subscription's items waiting for its next invoice (its prorations)."""
        rows = self.conn.execute(
            f"{ITEMS.select} WHERE subscription = ? AND invoice IS NULL ORDER BY created, seq",
            [subscription_id],
        )
        return [ITEMS.record(r) for r in rows]

    def charges_of(self, subscription_item: str) -> list[tuple[Any, ...]]:
        """Every line that billed a subscription item for a period (pending, or on an
        invoice not voided), oldest first: (amount, invoice and own discounts, proration discount,
        period start, period end, discount id, what issued credit notes took back of
        this line (net of their discount, and before it), what its invoice's issued
        amount-only credit notes took back, what the invoice's lines came to after the
        credit notes on lines, the tax rates that tax it: its own, else its invoice's
        defaults)."""
        rows = self.conn.execute(
            "SELECT i.amount, i.discount_amount + i.item_discount_amount, "
            "i.proration_discount_amount, i.period_start, "
            "i.period_end, coalesce(i.proration_discount, "
            "CASE WHEN i.discount_amount > 0 THEN v.discount END), "
            f"{_credited('l.invoice_line_item = i.line_id')}, "
            f"{_credited('l.invoice_line_item = i.line_id', net=False)}, "
            f"{_credited('c.invoice = i.invoice AND l.invoice_line_item IS NULL')}, "
            "(SELECT sum(o.amount - o.discount_amount - o.item_discount_amount) "
            "FROM invoice_items AS o "
            "WHERE o.invoice = i.invoice) - "
            f"{_credited('c.invoice = i.invoice AND l.invoice_line_item IS NOT NULL')}, "
            "coalesce(i.tax_rates, v.default_tax_rates, '[]') "
            "FROM invoice_items AS i LEFT JOIN invoices AS v ON v.id = i.invoice "
            "WHERE i.subscription_item = ? AND i.period_start IS NOT NULL "
            "AND i.usage_cycle_start IS NULL "
            "AND coalesce(v.status, '') <> 'void' ORDER BY i.created, i.seq",
            [subscription_item],
        ).fetchall()
        return [(*row[:-1], tuple(json.loads(row[-1]))) for row in rows]

    def usage_of(self, subscription_item: str, cycle_start: int) -> list[InvoiceItem]:
        """The usage lines that billed a subscription item in the cycle starting at
        `cycle_start` (pending, or on an invoice not voided), oldest first."""
        rows = self.conn.execute(
            f"{ITEMS.select} WHERE subscription_item = ? AND usage_cycle_start = ? "
            "AND coalesce((SELECT status FROM invoices AS v WHERE v.id = invoice_items.invoice), "
            "'') <> 'void' ORDER BY created, seq",
            [subscription_item, cycle_start],
        )
        return [ITEMS.record(r) for r in rows]

    def usage_lines(self) -> Iterator[InvoiceItem]:
        """Every usage line, oldest first (`ledger check`)."""
        for row in self.conn.execute(
            f"{ITEMS.select} WHERE usage_cycle_start IS NOT NULL ORDER BY created, seq"
        ):
            yield ITEMS.record(row)

    def totals_by_invoice(self) -> dict[str, Any]:
        """For each invoice, its lines' sum (less their own discounts), their invoice
        discounts' sum, and how many lines carry a discount they cannot have (a credit, a
        proration, more than the line; a proration's own discount that is negative or
        names no discount)."""
        # startup: only `ledger check` reads the checks' types
        from billcli.core.invoice_checks import LineSums

        rows = self.conn.execute(
            "SELECT invoice, sum(amount - item_discount_amount), sum(discount_amount), "
            "sum(discount_amount < 0 OR discount_amount > max(amount - item_discount_amount, 0) "
            "OR (discount_amount != 0 AND proration = 1) OR item_discount_amount < 0 "
            "OR item_discount_amount > max(amount, 0) OR proration_discount_amount < 0 "
            "OR (proration_discount_amount != 0 "
            "AND (proration = 0 OR proration_discount IS NULL))) "
            "FROM invoice_items WHERE invoice IS NOT NULL GROUP BY invoice"
        )
        return {invoice: LineSums(*sums) for invoice, *sums in rows}

    def count_on(self, invoice_id: str) -> int:
        return int(
            self.conn.execute(
                "SELECT count(*) FROM invoice_items WHERE invoice = ?", [invoice_id]
            ).fetchone()[0]
        )

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM invoice_items").fetchone()[0])


class PaymentAttempts:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, attempt: PaymentAttempt) -> None:
        ATTEMPTS.add_many(self.conn, [attempt])

    def of_invoice(self, invoice_id: str) -> list[PaymentAttempt]:
        rows = self.conn.execute(f"{ATTEMPTS.select} WHERE invoice = ? ORDER BY seq", [invoice_id])
        return [ATTEMPTS.record(r) for r in rows]

    def all(self) -> Iterator[PaymentAttempt]:
        for row in self.conn.execute(f"{ATTEMPTS.select} ORDER BY seq"):
            yield ATTEMPTS.record(row)


class Outbox:
    def __init__(self, conn: Connection):
        self.conn = conn

    def add(self, email: Email) -> None:
        OUTBOX.add_many(self.conn, [email])

    def get(self, email_id: str) -> Email | None:
        return OUTBOX.get(self.conn, email_id)

    def page(self, request: PageRequest, *, invoice: str | None = None) -> tuple[list[Email], bool]:
        where, params = _where({"invoice": invoice})
        return fetch_page(
            self.conn, OUTBOX, kind="email", where=where, params=params, request=request
        )
