"""`billcli reports`: revenue, MRR, receivables aging and credit balances.

Each report is aggregated in SQL (`store/reports.py`) and shaped here into one
documented object: `report.revenue`, `report.mrr`, `report.aging`, `report.balances`.
Every amount is per currency; a report lists the currencies it covers, and says so
when it covers none.
"""

from __future__ import annotations

from typing import Any

from billcli.core.dates import utc_text
from billcli.core.reports import AGING_BUCKETS, MOVEMENTS, Window, day_end, retention, window
from billcli.errors import InvalidRequest
from billcli.store import reports as sql
from billcli.store.ledger import Ledger, Tx

REVENUE = ("invoiced", "collected", "credit_applied", "credit_notes", "voided", "written_off")
LARGEST = 10


def _not_after_now(tx: Tx, **instants: int | None) -> None:
    for name, value in instants.items():
        if value is not None and value > tx.now:
            raise InvalidRequest(
                f"Invalid {name}: {utc_text(value)} is after the ledger clock "
                f"({utc_text(tx.now)}); a report covers what has happened",
                param=name,
            )


def _window(tx: Tx, by: str | None, start: int | None, end: int | None, end_day: bool) -> Window:
    end = _end(tx, end, end_day)
    _not_after_now(tx, **{"from": start, "to": end})
    return window(by, start, end, tx.now)


def _end(tx: Tx, end: int | None, end_day: bool) -> int | None:
    """`end`, or with `end_day` (it was given as a date) the whole day it starts."""
    return day_end(end, tx.now) if end_day and end is not None else end


def _head(kind: str, span: Window) -> dict[str, Any]:
    return {"object": f"report.{kind}", "by": span.by, "from": span.start, "to": span.end}


def revenue(
    ledger: Ledger,
    *,
    by: str | None = None,
    start: int | None = None,
    end: int | None = None,
    end_day: bool = False,
    currency: str | None = None,
) -> dict[str, Any]:
    """Per period and currency: invoiced, collected, credit applied, credit notes,
    voided, written off, and the net (invoiced less voided, credited and written off)."""
    with ledger.read() as tx:
        span = _window(tx, by, start, end, end_day)
        rows = sql.revenue(tx.conn, span.by, span.start, span.end, currency)
    found: dict[tuple[int, str], dict[str, int]] = {}
    for period, money_in, figure, amount in rows:
        figures = found.setdefault((period, money_in), {})
        figures[figure] = figures.get(figure, 0) + amount
    covered = sorted({c for _, c in found})
    periods = []
    for money_in in covered:
        for first, after in span.periods:
            figures = {name: 0 for name in REVENUE}
            for (period, c), values in found.items():
                if c == money_in and first <= max(period, span.start) < after:
                    for name, amount in values.items():
                        figures[name] += amount
            net = (
                figures["invoiced"]
                - figures["voided"]
                - figures["credit_notes"]
                - figures["written_off"]
            )
            periods.append(
                {"start": first, "end": after - 1, "currency": money_in, **figures, "net": net}
            )
    report = _head("revenue", span) | {"currencies": covered, "periods": periods}
    if not covered:
        where = f" in {currency}" if currency else ""
        report["note"] = f"No invoices, payments or credits{where} in this window"
    return report


def _points(span: Window) -> list[int]:
    """The instants MRR is taken at: before the first period, then each period's end."""
    return [span.periods[0][0] - 1, *(after - 1 for _, after in span.periods)]


def mrr(
    ledger: Ledger,
    *,
    by: str | None = None,
    start: int | None = None,
    end: int | None = None,
    end_day: bool = False,
) -> dict[str, Any]:
    """MRR and ARR at each period's end per currency, the movement that made it, the
    paying subscriptions and customers, and net revenue retention."""
    with ledger.read() as tx:
        span = _window(tx, by, start, end, end_day)
        totals, moves = sql.mrr(tx.conn, _points(span))
    at: dict[tuple[int, str], tuple[int, int, int]] = {
        (i, c): (int(m), int(subs), int(customers)) for i, c, m, subs, customers in totals
    }
    moved: dict[tuple[int, str], dict[str, int]] = {}
    for step, c, kind, amount in moves:
        moved.setdefault((step, c), {})[kind] = int(amount)
    covered = sorted({c for _, c in at} | {c for _, c in moved})
    periods = []
    for money_in in covered:
        for step, (first, after) in enumerate(span.periods, start=1):
            before = at.get((step - 1, money_in), (0, 0, 0))[0]
            now, subs, customers = at.get((step, money_in), (0, 0, 0))
            kinds = {kind: moved.get((step, money_in), {}).get(kind, 0) for kind in MOVEMENTS}
            periods.append(
                {
                    "start": first,
                    "end": after - 1,
                    "currency": money_in,
                    "mrr": now,
                    "arr": now * 12,
                    "starting_mrr": before,
                    **kinds,
                    "active_subscriptions": subs,
                    "paying_customers": customers,
                    "net_revenue_retention": retention(
                        before, kinds["expansion"], kinds["contraction"], kinds["churned"]
                    ),
                }
            )
    report = _head("mrr", span) | {"currencies": covered, "periods": periods}
    if not covered:
        report["note"] = "No subscriptions brought recurring revenue in this window"
    return report


def aging(ledger: Ledger, *, as_of: int | None = None, as_of_day: bool = False) -> dict[str, Any]:
    """What customers owe at `as_of` (with `as_of_day`: at the end of that day), by how
    long past due, per customer and currency."""
    with ledger.read() as tx:
        instant = tx.now if as_of is None else day_end(as_of, tx.now) if as_of_day else as_of
        rows = sql.aging(tx.conn, instant)
        now = tx.now
    listed = []
    totals: dict[str, dict[str, int]] = {}
    for customer, name, money_in, *amounts, total, count in rows:
        buckets = dict(zip(AGING_BUCKETS, amounts, strict=True))
        listed.append(
            {
                "customer": customer,
                "name": name,
                "currency": money_in,
                **buckets,
                "total": total,
                "invoices": count,
            }
        )
        summed = totals.setdefault(money_in, {**dict.fromkeys(AGING_BUCKETS, 0), "total": 0})
        for bucket, amount in buckets.items():
            summed[bucket] += amount
        summed["total"] += total
    report: dict[str, Any] = {
        "object": "report.aging",
        "as_of": instant,
        "buckets": list(AGING_BUCKETS),
        "currencies": sorted(totals),
        "customers": listed,
        "totals": [{"currency": c, **t} for c, t in sorted(totals.items())],
    }
    notes = []
    if instant > now:
        notes.append(
            f"As of {utc_text(instant)}, after the ledger clock ({utc_text(now)}): what is "
            "owed now, aged as it will be then if nothing is paid meanwhile"
        )
    if not totals:
        notes.append("Nothing is owed")
    if notes:
        report["note"] = "; ".join(notes)
    return report


def balances(
    ledger: Ledger, *, start: int | None = None, end: int | None = None, end_day: bool = False
) -> dict[str, Any]:
    """Customer credit (what is owed to customers) and debit per currency at the window's
    end, the largest balances, and how the total moved over the window, by type."""
    with ledger.read() as tx:
        span = _window(tx, "month", start, end, end_day)
        sql.snapshot_balances(tx.conn, span.end, current=span.end >= tx.now)
        held = sql.balances(tx.conn)
        largest = {row[0]: sql.largest_balances(tx.conn, row[0], LARGEST) for row in held}
        movement = sql.balance_movement(tx.conn, span.start, span.end)
    moved: dict[str, dict[str, Any]] = {}
    for money_in, kind, before, within in movement:
        entry = moved.setdefault(money_in, {"start": 0, "change": 0, "by_type": {}})
        entry["start"] += before
        entry["change"] += within
        if within:
            entry["by_type"][kind] = within
    covered = sorted({row[0] for row in held} | set(moved))
    now = {row[0]: row for row in held}
    report_rows = []
    for money_in in covered:
        _, credit, debit, in_credit, in_debit = now.get(money_in, (money_in, 0, 0, 0, 0))
        move = moved.get(money_in, {"start": 0, "change": 0, "by_type": {}})
        report_rows.append(
            {
                "currency": money_in,
                "credit": credit,
                "debit": debit,
                "customers_in_credit": in_credit,
                "customers_in_debit": in_debit,
                "largest": [
                    {"customer": cid, "name": name, "balance": balance}
                    for cid, name, balance in largest.get(money_in, [])
                ],
                "movement": {
                    "start": move["start"],
                    "end": move["start"] + move["change"],
                    "change": move["change"],
                    "by_type": move["by_type"],
                },
            }
        )
    report: dict[str, Any] = {
        "object": "report.balances",
        "from": span.start,
        "to": span.end,
        "currencies": covered,
        "balances": report_rows,
    }
    if not covered:
        report["note"] = "No customer holds a balance"
    return report
