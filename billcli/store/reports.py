"""The aggregations behind `billcli reports`, each one SQL statement over the ledger,
and the history of subscriptions' monthly recurring revenue they read."""

from __future__ import annotations

from typing import Any

from billcli.store.dialect import Connection

# An invoice's or a credit note's tax (its `tax_amounts` summed), and the part of an
# uncollectible invoice's tax in what it still owed (its share, rounded half away from zero).
# JSON numbers are cast: PostgreSQL reads a JSON value as text, SQLite as a number.
_AMOUNT = "CAST(json_extract(j.value, '$.amount') AS INTEGER)"
_TAXABLE = "CAST(json_extract(j.value, '$.taxable_amount') AS INTEGER)"
_TAX = f"(SELECT coalesce(sum({_AMOUNT}), 0) FROM json_each(tax_amounts) AS j)"
_OWED = "(amount_due - amount_paid)"
_OWED_TAX = (
    f"(CASE WHEN total > 0 THEN (CASE WHEN {_TAX} < 0 THEN -1 ELSE 1 END) "
    f"* ((2 * abs({_TAX}) * {_OWED} + total) / (2 * total)) ELSE 0 END)"
)


# Refunds of money taken: an authorization let go (`released`) never was.
_MONEY_REFUNDED = " AND status = 'succeeded' AND released = 0"


def revenue(
    conn: Connection, by: str, start: int, end: int, currency: str | None
) -> list[tuple[int, str, str, int]]:
    """(period start, currency, figure, amount) for every figure with activity (a figure
    may come in several parts: collected is what charges captured, when they captured it,
    less refunds in their own period (an authorization released is none), and what
    invoices were paid out of band). Invoiced, voided, credited and
    written off are net of tax; the tax they carry is the `tax` figure."""
    only = "" if currency is None else " AND currency = :currency"
    issued = " AND status = 'issued'"
    parts = [
        ("invoiced", "invoices", "finalized_at", f"total - {_TAX}", ""),
        ("collected", "charges", "captured_at", "amount_captured", " AND status = 'succeeded'"),
        ("collected", "refunds", "created", "-amount", _MONEY_REFUNDED),
        ("collected", "invoices", "paid_at", "amount_paid", " AND paid_out_of_band = 1"),
        ("voided", "invoices", "voided_at", f"total - {_TAX}", ""),
        ("written_off", "invoices", "marked_uncollectible_at", f"{_OWED} - {_OWED_TAX}", ""),
        ("credit_notes", "credit_notes", "created", f"total - {_TAX}", issued),
        ("tax", "invoices", "finalized_at", _TAX, ""),
        ("tax", "invoices", "voided_at", f"-{_TAX}", ""),
        ("tax", "invoices", "marked_uncollectible_at", f"-{_OWED_TAX}", ""),
        ("tax", "credit_notes", "created", f"-{_TAX}", issued),
        (
            "credit_applied",
            "balance_transactions",
            "created",
            "amount",
            " AND type IN ('applied_to_invoice', 'unapplied_from_invoice')",
        ),
    ]
    sql = " UNION ALL ".join(
        f"SELECT {conn.dialect.bucket(column, by)}, currency, '{name}', sum({amount}) FROM {table} "
        f"WHERE {column} BETWEEN :start AND :end{extra}{only} GROUP BY 1, 2"
        for name, table, column, amount, extra in parts
    )
    params = {"start": start, "end": end, "currency": currency}
    return [(int(r[0]), r[1], r[2], int(r[3])) for r in conn.execute(sql, params)]


def tax(
    conn: Connection, by: str, start: int, end: int, currency: str | None
) -> list[tuple[Any, ...]]:
    """(period start, currency, tax rate, figure, tax, taxable amount) per rate with
    activity: invoiced (invoices finalized), credited (credit notes issued), voided
    (invoices voided), each in the period it happened in."""
    only = "" if currency is None else " AND x.currency = :currency"
    parts = [
        ("invoiced", "invoices", "finalized_at", ""),
        ("credited", "credit_notes", "created", " AND x.status = 'issued'"),
        ("voided", "invoices", "voided_at", ""),
    ]
    sql = " UNION ALL ".join(
        f"SELECT {conn.dialect.bucket('x.' + column, by)}, x.currency, "
        f"json_extract(j.value, '$.tax_rate'), '{name}', sum({_AMOUNT}), sum({_TAXABLE}) "
        f"FROM {table} AS x, json_each(x.tax_amounts) AS j "
        f"WHERE x.{column} BETWEEN :start AND :end{extra}{only} GROUP BY 1, 2, 3"
        for name, table, column, extra in parts
    )
    params = {"start": start, "end": end, "currency": currency}
    return conn.execute(sql, params).fetchall()


def currencies(conn: Connection) -> list[str]:
    """Every currency the ledger holds money in."""
    rows = conn.execute(
        "SELECT currency FROM invoices UNION SELECT currency FROM balance_transactions "
        "UNION SELECT currency FROM subscriptions UNION SELECT currency FROM charges ORDER BY 1"
    )
    return [r[0] for r in rows]


def aging(conn: Connection, as_of: int) -> list[tuple[Any, ...]]:
    """(customer, name, currency, amount per bucket…, total, invoices) of what was owed at
    `as_of`, largest first:
    invoices finalized by then and neither paid, voided nor written off (uncollectible) by
    then, each for what it still owed then (credit notes issued later, or voided since,
    given back)."""
    return conn.execute(
        """
        WITH owed AS (
            SELECT i.customer, i.currency,
                CASE WHEN i.collection_method = 'send_invoice' AND i.due_date IS NOT NULL
                     THEN i.due_date ELSE i.finalized_at END AS due,
                i.amount_due - (CASE WHEN i.paid_at <= :at THEN i.amount_paid ELSE 0 END)
                + coalesce((SELECT sum(c.total) FROM credit_notes AS c WHERE c.invoice = i.id
                    AND c.type = 'pre_payment' AND c.status = 'issued' AND c.created > :at), 0)
                - coalesce((SELECT sum(c.total) FROM credit_notes AS c WHERE c.invoice = i.id
                    AND c.type = 'pre_payment' AND c.status = 'void' AND c.created <= :at
                    AND c.voided_at > :at), 0) AS amount
            FROM invoices AS i
            WHERE i.finalized_at <= :at AND i.status IN ('open', 'uncollectible', 'paid', 'void')
              AND coalesce(i.paid_at, :at + 1) > :at AND coalesce(i.voided_at, :at + 1) > :at
              AND coalesce(i.marked_uncollectible_at, :at + 1) > :at
        )
        , aged AS (
            SELECT customer, currency, amount,
                CASE WHEN :at < due OR (:at - due) / 86400 <= 0 THEN 'current'
                     WHEN (:at - due) / 86400 <= 30 THEN '1_30'
                     WHEN (:at - due) / 86400 <= 60 THEN '31_60'
                     WHEN (:at - due) / 86400 <= 90 THEN '61_90'
                     ELSE 'over_90' END AS bucket
            FROM owed WHERE amount > 0
        )
        SELECT a.customer, c.name, a.currency,
            sum(CASE WHEN bucket = 'current' THEN amount ELSE 0 END),
            sum(CASE WHEN bucket = '1_30' THEN amount ELSE 0 END),
            sum(CASE WHEN bucket = '31_60' THEN amount ELSE 0 END),
            sum(CASE WHEN bucket = '61_90' THEN amount ELSE 0 END),
            sum(CASE WHEN bucket = 'over_90' THEN amount ELSE 0 END),
            sum(amount), count(*)
        FROM aged AS a JOIN customers AS c ON c.id = a.customer
        GROUP BY a.currency, a.customer, c.name
        ORDER BY a.currency, sum(amount) DESC, a.customer
        """,
        {"at": as_of},
    ).fetchall()


def snapshot_balances(conn: Connection, end: int, *, current: bool) -> None:
    """Each customer's balance at `end` into `temp.balances_at`, read by the two queries
    below: the customers' own balances when `end` is now (`current`), else the sum of
    their transactions up to then."""
    conn.execute("DROP TABLE IF EXISTS temp.balances_at")
    if current:
        source = (
            "SELECT id AS customer, currency, balance FROM customers WHERE currency IS NOT NULL"
        )
        params: list[Any] = []
    else:
        source = (
            "SELECT customer, currency, sum(amount) AS balance FROM balance_transactions "
            "WHERE created <= ? GROUP BY customer, currency"
        )
        params = [end]
    conn.execute(
        f"CREATE TEMP TABLE balances_at AS SELECT * FROM ({source}) AS s WHERE balance != 0",
        params,
    )


def balances(conn: Connection) -> list[tuple[Any, ...]]:
    """(currency, credit, debit, customers in credit, in debit) of the snapshot."""
    return conn.execute(
        "SELECT currency, sum(CASE WHEN balance < 0 THEN -balance ELSE 0 END), "
        "sum(CASE WHEN balance > 0 THEN balance ELSE 0 END), sum(balance < 0), sum(balance > 0) "
        "FROM temp.balances_at GROUP BY currency ORDER BY currency"
    ).fetchall()


def largest_balances(conn: Connection, currency: str, count: int) -> list[tuple[Any, ...]]:
    """(customer, name, balance) of the snapshot's largest balances, credit or debit."""
    return conn.execute(
        "SELECT b.customer, c.name, b.balance FROM temp.balances_at AS b JOIN customers AS c "
        "ON c.id = b.customer WHERE b.currency = ? ORDER BY abs(b.balance) DESC, b.customer "
        "LIMIT ?",
        [currency, count],
    ).fetchall()


def balance_movement(conn: Connection, start: int, end: int) -> list[tuple[Any, ...]]:
    """(currency, type, sum before `start`, sum within [start, end]) of every transaction."""
    return conn.execute(
        "SELECT currency, type, sum(CASE WHEN created < :start THEN amount ELSE 0 END), "
        "sum(CASE WHEN created BETWEEN :start AND :end THEN amount ELSE 0 END) "
        "FROM balance_transactions WHERE created <= :end GROUP BY currency, type "
        "ORDER BY currency, type",
        {"start": start, "end": end},
    ).fetchall()


_MRR_AT = """CASE WHEN h.discount_end IS NOT NULL AND p.t >= h.discount_end THEN h.mrr
         WHEN h.discount_hundredths IS NOT NULL
         THEN h.mrr - (2 * h.mrr * h.discount_hundredths + 10000) / 20000
         WHEN h.discount_monthly IS NOT NULL THEN max(h.mrr - h.discount_monthly, 0)
         ELSE h.mrr END"""


def mrr(conn: Connection, points: list[int]) -> tuple[list[Any], list[Any]]:
    """At each instant of `points`: (instant, currency, MRR, subscriptions, customers)
    paying; and for each step between consecutive instants: (step, currency, movement,
    amount), each customer's MRR change classed as new, expansion, contraction, churned
    or reactivated. One statement: each customer's MRR at each instant is computed once
    (`c`) and read by both halves (the movement's name in a column of its own: a column
    of a UNION has one type on PostgreSQL)."""
    values = ", ".join("(?, ?)" for _ in points)
    flat = [v for i, t in enumerate(points) for v in (i, t)]
    rows = conn.execute(
        f"""
        WITH p(i, t) AS (VALUES {values}),
        h AS MATERIALIZED (
            SELECT *, lead(at) OVER (PARTITION BY subscription ORDER BY at, seq) AS until
            FROM subscription_mrr),
        c AS MATERIALIZED (
            SELECT p.i, h.customer, h.currency, sum({_MRR_AT}) AS m,
                sum(({_MRR_AT}) > 0) AS subs
            FROM p JOIN h ON h.at <= p.t AND (h.until IS NULL OR h.until > p.t)
            GROUP BY p.i, h.customer, h.currency),
        first AS (SELECT customer, currency, min(at) AS at FROM subscription_mrr
                  WHERE mrr > 0 GROUP BY customer, currency),
        steps AS (SELECT p.i AS step, c.customer, c.currency,
                      sum(CASE WHEN c.i = p.i - 1 THEN c.m ELSE 0 END) AS before,
                      sum(CASE WHEN c.i = p.i THEN c.m ELSE 0 END) AS after
                  FROM p JOIN c ON c.i IN (p.i - 1, p.i)
                  WHERE p.i > 0 GROUP BY p.i, c.customer, c.currency)
        SELECT 'total', i, currency, NULL, sum(m), sum(subs), sum(m > 0)
        FROM c GROUP BY i, currency
        UNION ALL
        SELECT 'move', s.step, s.currency,
            CASE WHEN s.before = 0 AND f.at < previous.t THEN 'reactivated'
                 WHEN s.before = 0 THEN 'new'
                 WHEN s.after = 0 THEN 'churned'
                 WHEN s.after > s.before THEN 'expansion'
                 ELSE 'contraction' END,
            sum(abs(s.after - s.before)), NULL, NULL
        FROM steps AS s JOIN p AS previous ON previous.i = s.step - 1
        LEFT JOIN first AS f ON f.customer = s.customer AND f.currency = s.currency
        WHERE s.before != s.after
        GROUP BY s.step, s.currency, 4
        """,
        flat,
    ).fetchall()
    totals = sorted((r[1], r[2], *r[4:]) for r in rows if r[0] == "total")
    moves = sorted(tuple(r[1:5]) for r in rows if r[0] == "move")
    return totals, moves
