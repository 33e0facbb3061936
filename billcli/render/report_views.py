"""Reports for people: a table per currency, and a chart where a chart says it better.

Charts are drawn with block characters (each series its own character, a legend
beneath), so they read without colour, and fit 80 columns. CSV rows carry the same
numbers as `--json`.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from typing import Any

from rich.text import Text

from billcli.core.money import format_amount
from billcli.render.columns import KEEP
from billcli.render.report_parts import (
    MOVE_HEADINGS,
    MOVES,
    SERIES,
    Obj,
    amount,
    bar,
    bar_width,
    bound,
    chart,
    covers,
    heading,
    note,
    period_label,
    share,
    span_words,
    table,
)
from billcli.render.tables import console
from billcli.render.tax_report_view import tax_view


def revenue_view(report: Obj) -> None:
    out = console()
    by = report["by"]
    heading(f"Revenue by {by}, {span_words(report)}")
    for currency in report["currencies"]:
        rows = [p for p in report["periods"] if p["currency"] == currency]
        out.print(Text(f"\n{currency.upper()}", style="bold cyan"))
        figures = ("invoiced", "collected", "credit_applied", "credit_notes", "voided",
                   "written_off", "net", "tax")  # fmt: skip
        table(
            [
                by,
                "invoiced",
                "collected",
                "credit",
                "cred.notes",
                "voided",
                "written off",
                "net",
                "tax",
            ],
            ([period_label(p, by), *(amount(p[k], currency) for k in figures)] for p in rows),
            [KEEP, KEEP, 9, 5, 6, 4, 7, KEEP, 8],
        )
        top = max([max(p["invoiced"], p["collected"]) for p in rows] + [0])
        lines = []
        for p in rows:
            label = period_label(p, by)
            for key, char in SERIES.items():
                drawn = bar(p[key], top, char)
                if drawn:
                    lines.append(f"{label:<11}{drawn} {amount(p[key], currency)}")
                    label = ""
        chart(lines, "█ invoiced  ▒ collected (periods with neither are left out)")
    covers(report)
    note(report)


def mrr_view(report: Obj) -> None:
    out = console()
    by = report["by"]
    heading(f"Recurring revenue by {by}, {span_words(report)}")
    for currency in report["currencies"]:
        rows = [p for p in report["periods"] if p["currency"] == currency]
        out.print(Text(f"\n{currency.upper()}", style="bold cyan"))
        table(
            [by, "MRR", *MOVE_HEADINGS.values(), "subs", "cust", "NRR"],
            (
                [
                    period_label(p, by),
                    amount(p["mrr"], currency),
                    *(amount(p[k], currency) for k in MOVES),
                    str(p["active_subscriptions"]),
                    str(p["paying_customers"]),
                    share(p["net_revenue_retention"]),
                ]
                for p in rows
            ),
            [KEEP, KEEP, 7, 6, 5, 6, 7, 8, 4, 3],
        )
        top = max([p["mrr"] for p in rows] + [0])
        chart(
            [
                f"{period_label(p, by):<11}{bar(p['mrr'], top, '█')} {amount(p['mrr'], currency)}"
                for p in rows
                if p["mrr"]
            ],
            "█ MRR at the period's end",
        )
        moved = max([sum(p[k] for k in MOVES) for p in rows] + [0])
        lines = []
        for p in rows:
            segments = "".join(
                char * max(1, round(p[k] * bar_width() / moved))
                for k, char in MOVES.items()
                if p[k]
            )
            gained = p["new"] + p["expansion"] + p["reactivated"]
            lost = p["contraction"] + p["churned"]
            if segments:
                lines.append(
                    f"{period_label(p, by):<11}{segments} "
                    f"+{amount(gained, currency)} -{amount(lost, currency)}"
                )
        chart(lines, "█ new  ▓ expansion  ▒ reactivated  ░ contraction  · churned")
    covers(report)
    note(report)


BUCKET_NAMES = {
    "current": "current",
    "1_30": "1-30",
    "31_60": "31-60",
    "61_90": "61-90",
    "over_90": "90+",
}


def aging_view(report: Obj) -> None:
    out = console()
    heading(f"Receivables as of {bound(report['as_of'], end=True)}, by days past due")
    for total in report["totals"]:
        currency = total["currency"]
        rows = [c for c in report["customers"] if c["currency"] == currency]
        out.print(Text(f"\n{currency.upper()}", style="bold cyan"))
        headers = ["customer", *BUCKET_NAMES.values(), "total"]
        lines = [
            [
                c["name"] or c["customer"],
                *(amount(c[b], currency) for b in BUCKET_NAMES),
                amount(c["total"], currency),
            ]
            for c in rows
        ]
        lines.append(
            [
                "total",
                *(amount(total[b], currency) for b in BUCKET_NAMES),
                amount(total["total"], currency),
            ]
        )
        table(headers, lines, [KEEP, 6, 5, 4, 3, 7, KEEP])
        top = max(total[b] for b in BUCKET_NAMES)
        chart(
            [
                f"{name:<8}{bar(total[b], top, '█')} {amount(total[b], currency)}"
                for b, name in BUCKET_NAMES.items()
            ],
            "█ owed, by days past due",
        )
    covers(report)
    note(report)


def balances_view(report: Obj) -> None:
    out = console()
    heading(
        f"Customer balances at {bound(report['to'], end=True)}, movement since "
        f"{bound(report['from'], end=False)}"
    )
    for row in report["balances"]:
        currency = row["currency"]
        move = row["movement"]
        out.print(Text(f"\n{currency.upper()}", style="bold cyan"))
        table(
            ["", "amount", "customers"],
            [
                [
                    "credit (owed to customers)",
                    amount(row["credit"], currency),
                    str(row["customers_in_credit"]),
                ],
                [
                    "debit (owed by customers)",
                    amount(row["debit"], currency),
                    str(row["customers_in_debit"]),
                ],
            ],
            [KEEP, KEEP, 5],
        )
        out.print()
        table(
            ["movement", "amount"],
            [
                ["balance at the start", amount(move["start"], currency)],
                *(
                    [kind.replace("_", " "), amount(value, currency)]
                    for kind, value in sorted(move["by_type"].items())
                ),
                ["balance at the end", amount(move["end"], currency)],
            ],
            [KEEP, KEEP],
        )
        if row["largest"]:
            out.print()
            table(
                ["largest balances", "", "balance"],
                [
                    [b["customer"], b["name"] or "", format_amount(b["balance"], currency)]
                    for b in row["largest"]
                ],
                [KEEP, 5, KEEP],
                text=(1,),
            )
    covers(report)
    note(report)


VIEWS: dict[str, Callable[[Obj], None]] = {
    "report.revenue": revenue_view,
    "report.mrr": mrr_view,
    "report.aging": aging_view,
    "report.balances": balances_view,
    "report.tax": tax_view,
}


def csv_rows(report: Obj) -> tuple[list[str], list[list[Any]]]:
    """The report's figures as one header and rows, the same numbers as its JSON."""
    kind = report["object"]
    if kind in ("report.revenue", "report.mrr", "report.tax"):
        rows = report["periods"]
        header = list(rows[0]) if rows else ["start", "end", "currency"]
        return header, [[r[k] for k in header] for r in rows]
    if kind == "report.aging":
        header = ["customer", "name", "currency", *report["buckets"], "total", "invoices"]
        rows = [[c[k] for k in header] for c in report["customers"]]
        for t in report["totals"]:
            rows.append(
                ["", "total", t["currency"], *(t[b] for b in report["buckets"]), t["total"], ""]
            )
        return header, rows
    header = [
        "currency",
        "credit",
        "debit",
        "customers_in_credit",
        "customers_in_debit",
        "movement_start",
        "movement_change",
        "movement_end",
    ]
    return header, [
        [
            b["currency"],
            b["credit"],
            b["debit"],
            b["customers_in_credit"],
            b["customers_in_debit"],
            b["movement"]["start"],
            b["movement"]["change"],
            b["movement"]["end"],
        ]
        for b in report["balances"]
    ]


def emit_report(report: Obj, mode: str) -> None:
    """A report as JSON, CSV, or tables and charts."""
    if mode == "json":
        # startup: loaded only by the output format that uses it
        import json
        from itertools import islice

        # Written as it is encoded, so an aging report of 100,000 customers is never held
        # as one string beside its objects; in joined runs of tokens, because a write per
        # token tripled the time of that report.
        tokens = json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(report)
        while run := "".join(islice(tokens, 16_384)):
            sys.stdout.write(run)
        sys.stdout.write("\n")
    elif mode == "csv":
        header, rows = csv_rows(report)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    else:
        VIEWS[report["object"]](report)
