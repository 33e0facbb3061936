"""The seam machine's own bookkeeping: what a ledger's money must be, computed here from
what billcli shows (its invoices, lines, subscriptions), never from billcli's arithmetic.

Each function states the rule it checks, in Stripe's terms: what a credit for unused
time may be at most, what a subscription brings a month, what the revenue report sums.
"""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from billcli.cli.main import run
from tests.conftest import Result as Done


class Cli:
    """billcli in this process, on one ledger, stdout and stderr apart."""

    def __init__(self, path: Path):
        self.path = path
        self.commands = 0

    def run(self, *args: str) -> Done:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = run([*args, "--ledger", str(self.path)])
        self.commands += 1
        done = Done(code, out.getvalue(), err.getvalue())
        assert code != 70, f"internal error in {args}: {done.err}"
        if code:
            assert len(done.err.strip().splitlines()) == 1, (args, done.err)
            assert "Traceback" not in done.err
        return done

    def ok(self, *args: str) -> Any:
        done = self.run(*args, "--json")
        assert done.code == 0, (args, done.err)
        return done.json

    def every(self, *args: str) -> list[dict[str, Any]]:
        return list(self.ok(*args, "--all")["data"])


def rounded(exact: Fraction) -> int:
    """Half away from zero."""
    magnitude = int(abs(exact) + Fraction(1, 2))
    return -magnitude if exact < 0 else magnitude


@dataclass(frozen=True)
class Line:
    """A line that billed (or credited) a subscription item: pending, or on an invoice."""

    key: str  # the invoice item's id, or the subscription line's
    item: str | None
    net: Fraction  # after its discount and its share of the invoice's credit notes
    start: int
    end: int
    proration: bool
    void: bool


def customer_lines(cli: Cli, customer: str) -> list[Line]:
    """Every line of the customer's invoices and pending items, each standing for what
    its invoice was paid: the invoice's total less all its credit notes. A credit note
    on a line takes back from that line; one for an amount names no line, so it takes
    the same share of every line (docs/design.md, "Credit notes")."""
    credited: dict[str, int] = {}  # by invoice line
    on_lines: dict[str, int] = {}  # by invoice: credit notes on lines, and all of them
    noted: dict[str, int] = {}
    for note in cli.every("credit-notes", "list", "--customer", customer):
        if note["status"] != "issued":
            continue
        noted[note["invoice"]] = noted.get(note["invoice"], 0) + note["total"]
        for cn_line in note["lines"]["data"]:
            if cn_line.get("invoice_line_item"):
                net = cn_line["amount"] - cn_line["discount_amount"]
                key = cn_line["invoice_line_item"]
                credited[key] = credited.get(key, 0) + net
                on_lines[note["invoice"]] = on_lines.get(note["invoice"], 0) + net
    lines = []
    for invoice in cli.every("invoices", "list", "--customer", customer):
        data = invoice["lines"]["data"]
        if invoice["lines"]["has_more"]:
            data = cli.every("invoices", "lines", invoice["id"])
        before = invoice["total"] - on_lines.get(invoice["id"], 0)
        paid = invoice["total"] - noted.get(invoice["id"], 0)
        kept = Fraction(paid, before) if before > 0 else Fraction(1)
        for line in data:
            discount = sum(d["amount"] for d in line["discount_amounts"])
            lines.append(
                Line(
                    line.get("invoice_item") or line["id"],
                    line.get("subscription_item"),
                    (line["amount"] - discount - credited.get(line["id"], 0)) * kept,
                    line["period"]["start"],
                    line["period"]["end"],
                    line["proration"],
                    invoice["status"] == "void",
                )
            )
    for item in cli.every("invoices", "items", "list", "--customer", customer, "--pending"):
        lines.append(
            Line(
                item["id"],
                item.get("subscription_item"),
                Fraction(item["amount"]),
                item["period"]["start"],
                item["period"]["end"],
                item["proration"],
                False,
            )
        )
    return lines


def paid_for(lines: list[Line], item: str, start: int, end: int) -> int:
    """What the item was billed for [start, end), to the second: each line not voided,
    net of its discount and credit notes, for the part of its period inside."""
    exact = Fraction(0)
    for line in lines:
        if line.item != item or line.void or line.end <= line.start:
            continue
        overlap = min(end, line.end) - max(start, line.start)
        if overlap > 0:
            exact += Fraction(line.net * overlap, line.end - line.start)
    return max(0, rounded(exact))


def lines_of(invoice: dict[str, Any]) -> list[tuple[Any, ...]]:
    """An invoice's lines as what they bill, to compare a preview with an invoice."""
    return sorted(
        (
            line["amount"],
            line["description"],
            line["period"]["start"],
            line["period"]["end"],
            line["proration"],
            sum(d["amount"] for d in line["discount_amounts"]),
        )
        for line in invoice["lines"]["data"]
    )


def money_of(invoice: dict[str, Any]) -> tuple[int, int]:
    return invoice["subtotal"], invoice["total"]


def monthly(amount: int, interval: str, count: int) -> int:
    """A price as a month's share: yearly ÷ 12, weekly × 52/12, daily × 365/12."""
    times, months = {"month": (1, 1), "year": (1, 12), "week": (52, 12), "day": (365, 12)}[interval]
    return rounded(Fraction(amount * times, months * count))


def mrr_of(sub: dict[str, Any], customer_discount: dict[str, Any] | None) -> int:
    """What a subscription brings a month: its items' monthly shares while it is active
    or past due and collected, less a recurring discount (its own, else its
    customer's; a `once` coupon is no recurring revenue)."""
    if sub["status"] not in ("active", "past_due") or sub["pause_collection"]:
        return 0
    total = 0
    for item in sub["items"]["data"]:
        price = item["price"]
        recurring = price["recurring"]
        amount = price["unit_amount"] * item["quantity"]
        total += monthly(amount, recurring["interval"], recurring["interval_count"])
    discount = sub["discount"] or customer_discount
    coupon = discount["coupon"] if discount else None
    if coupon is None or coupon["duration"] == "once":
        return total
    if coupon["percent_off"] is not None:
        return total - rounded(Fraction(total) * Fraction(str(coupon["percent_off"])) / 100)
    interval = sub["items"]["data"][0]["price"]["recurring"]
    off = monthly(coupon["amount_off"], interval["interval"], interval["interval_count"])
    return max(total - off, 0)


def revenue_of(invoices: list[dict[str, Any]], notes: list[dict[str, Any]]) -> dict[str, int]:
    """The revenue report's figures over all time, summed from the invoices themselves."""
    sums = {"invoiced": 0, "collected": 0, "voided": 0, "written_off": 0, "credit_notes": 0}
    for inv in invoices:
        moments = inv["status_transitions"]
        if moments["finalized_at"] is not None:
            sums["invoiced"] += inv["total"]
        if moments["paid_at"] is not None:
            sums["collected"] += inv["amount_paid"]
        if moments["voided_at"] is not None:
            sums["voided"] += inv["total"]
        if moments["marked_uncollectible_at"] is not None:
            sums["written_off"] += inv["amount_due"] - inv["amount_paid"]
    sums["credit_notes"] = sum(n["total"] for n in notes if n["status"] == "issued")
    return sums
