"""Reports for people: a table per currency, and a chart where a chart says it better.

Charts are drawn with block characters (each series its own character, a legend
beneath), so they read without colour, and fit 80 columns. CSV rows carry the same
numbers as `--json`.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

from rich.text import Text

from billcli.core.dates import utc_date, utc_text
from billcli.core.money import exponent, format_amount
from billcli.render.columns import KEEP, Column
from billcli.render.tables import console, fit

Obj = dict[str, Any]
# The longest bar; on a narrow terminal, what leaves room for a label and two figures.
BAR_WIDTH = 40
BESIDE_BAR = 32
SERIES = {"invoiced": "█", "collected": "▒"}
MOVES = {"new": "█", "expansion": "▓", "reactivated": "▒", "contraction": "░", "churned": "·"}
# Each movement's column heading, in MOVES' order (the columns and the chart agree).
MOVE_HEADINGS = {
    "new": "new",
    "expansion": "expans.",
    "reactivated": "react.",
    "contraction": "contr.",
    "churned": "churned",
}
DAY_S = 86_400


def amount(value: int, currency: str) -> str:
    """A number in major units with separators, its currency named by the section."""
    places = exponent(currency)
    major, minor = divmod(abs(value), 10**places)
    text = f"{major:,}.{minor:0{places}d}" if places else f"{major:,}"
    return f"-{text}" if value < 0 else text


def _share(ratio: float | None) -> str:
    return "" if ratio is None else f"{ratio:.0%}"


def _period(p: Obj, by: str) -> str:
    start = utc_date(p["start"])
    return start[:7] if by == "month" else start


def _table(
    headers: list[str],
    rows: Iterable[list[str]],
    priorities: list[int],
    *,
    text: tuple[int, ...] = (0,),
) -> None:
    """A report's table under the rule every table follows (`render.tables.fit`): the
    `text` columns (the first, naming the row, unless said otherwise) are free text,
    shortened when they must be; the figures are hidden from the least important
    when the terminal is too narrow, and the table says which."""
    out = console(table=True)
    columns = [
        Column(
            header,
            itemgetter(str(n)),
            itemgetter(str(n)),
            justify="left" if n == 0 or n in text else "right",
            wrap=n in text,
            priority=priority,
        )
        for n, (header, priority) in enumerate(zip(headers, priorities, strict=True))
    ]
    lines = [{str(n): cell for n, cell in enumerate(row)} for row in rows]
    fitted = fit(columns, lines, out.width)
    out.print(fitted.table(lines))
    fitted.say_hidden(out)


def _bar_width() -> int:
    return max(10, min(BAR_WIDTH, console().width - BESIDE_BAR))


def _bound(instant: int, *, end: bool) -> str:
    """A window's bound as exactly as it was counted: a date when it is a whole day's
    edge (midnight to start, the last second to end), else the time."""
    whole = (instant + 1) % DAY_S == 0 if end else instant % DAY_S == 0
    return utc_date(instant) if whole else utc_text(instant)


def _span(report: Obj) -> str:
    return f"{_bound(report['from'], end=False)} to {_bound(report['to'], end=True)}"


def _bar(value: int, top: int, char: str) -> str:
    if top <= 0 or value <= 0:
        return ""
    return char * max(1, round(value * _bar_width() / top))


def _chart(lines: list[str], legend: str) -> None:
    """Bars, one per line, and what they show; nothing at all when there is none."""
    if not lines:
        return
    out = console()
    out.print()
    for line in lines:
        out.print(Text(line))
    out.print(Text(legend, style="dim"))


def _heading(text: str) -> None:
    console().print(Text(text, style="bold"))


def _note(report: Obj) -> None:
    if report.get("note"):
        console().print(Text(report["note"], style="dim"))


def _covers(report: Obj) -> None:
    listed = ", ".join(report["currencies"]) or "no currency"
    console().print(Text(f"Currencies: {listed}", style="dim"))


def revenue_view(report: Obj) -> None:
    out = console()
    by = report["by"]
    _heading(f"Revenue by {by}, {_span(report)}")
    for currency in report["currencies"]:
        rows = [p for p in report["periods"] if p["currency"] == currency]
        out.print(Text(f"\n{currency.upper()}", style="bold cyan"))
        figures = ("invoiced", "collected", "credit_applied", "credit_notes", "voided",
                   "written_off", "net")  # fmt: skip
        _table(
            [by, "invoiced", "collected", "credit", "cred.notes", "voided", "written off", "net"],
            ([_period(p, by), *(amount(p[k], currency) for k in figures)] for p in rows),
            [KEEP, KEEP, 9, 5, 6, 4, 7, KEEP],
        )
        top = max([max(p["invoiced"], p["collected"]) for p in rows] + [0])
        lines = []
        for p in rows:
            label = _period(p, by)
            for key, char in SERIES.items():
                bar = _bar(p[key], top, char)
                if bar:
                    lines.append(f"{label:<11}{bar} {amount(p[key], currency)}")
                    label = ""
        _chart(lines, "█ invoiced  ▒ collected (periods with neither are left out)")
    _covers(report)
    _note(report)


def mrr_view(report: Obj) -> None:
    out = console()
    by = report["by"]
    _heading(f"Recurring revenue by {by}, {_span(report)}")
    for currency in report["currencies"]:
        rows = [p for p in report["periods"] if p["currency"] == currency]
        out.print(Text(f"\n{currency.upper()}", style="bold cyan"))
        _table(
            [by, "MRR", *MOVE_HEADINGS.values(), "subs", "cust", "NRR"],
            (
                [
                    _period(p, by),
                    amount(p["mrr"], currency),
                    *(amount(p[k], currency) for k in MOVES),
                    str(p["active_subscriptions"]),
                    str(p["paying_customers"]),
                    _share(p["net_revenue_retention"]),
                ]
                for p in rows
            ),
            [KEEP, KEEP, 7, 6, 5, 6, 7, 8, 4, 3],
        )
        top = max([p["mrr"] for p in rows] + [0])
        _chart(
            [
                f"{_period(p, by):<11}{_bar(p['mrr'], top, '█')} {amount(p['mrr'], currency)}"
                for p in rows
                if p["mrr"]
            ],
            "█ MRR at the period's end",
        )
        moved = max([sum(p[k] for k in MOVES) for p in rows] + [0])
        lines = []
        for p in rows:
            segments = "".join(
                char * max(1, round(p[k] * _bar_width() / moved))
                for k, char in MOVES.items()
                if p[k]
            )
            gained = p["new"] + p["expansion"] + p["reactivated"]
            lost = p["contraction"] + p["churned"]
            if segments:
                lines.append(
                    f"{_period(p, by):<11}{segments} "
                    f"+{amount(gained, currency)} -{amount(lost, currency)}"
                )
        _chart(lines, "█ new  ▓ expansion  ▒ reactivated  ░ contraction  · churned")
    _covers(report)
    _note(report)


BUCKET_NAMES = {
    "current": "current",
    "1_30": "1-30",
    "31_60": "31-60",
    "61_90": "61-90",
    "over_90": "90+",
}


def aging_view(report: Obj) -> None:
    out = console()
    _heading(f"Receivables as of {_bound(report['as_of'], end=True)}, by days past due")
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
        _table(headers, lines, [KEEP, 6, 5, 4, 3, 7, KEEP])
        top = max(total[b] for b in BUCKET_NAMES)
        _chart(
            [
                f"{name:<8}{_bar(total[b], top, '█')} {amount(total[b], currency)}"
                for b, name in BUCKET_NAMES.items()
            ],
            "█ owed, by days past due",
        )
    _covers(report)
    _note(report)


def balances_view(report: Obj) -> None:
    out = console()
    _heading(
        f"Customer balances at {_bound(report['to'], end=True)}, movement since "
        f"{_bound(report['from'], end=False)}"
    )
    for row in report["balances"]:
        currency = row["currency"]
        move = row["movement"]
        out.print(Text(f"\n{currency.upper()}", style="bold cyan"))
        _table(
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
        _table(
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
            _table(
                ["largest balances", "", "balance"],
                [
                    [b["customer"], b["name"] or "", format_amount(b["balance"], currency)]
                    for b in row["largest"]
                ],
                [KEEP, 5, KEEP],
                text=(1,),
            )
    _covers(report)
    _note(report)


VIEWS: dict[str, Callable[[Obj], None]] = {
    "report.revenue": revenue_view,
    "report.mrr": mrr_view,
    "report.aging": aging_view,
    "report.balances": balances_view,
}


def csv_rows(report: Obj) -> tuple[list[str], list[list[Any]]]:
    """The report's figures as one header and rows, the same numbers as its JSON."""
    kind = report["object"]
    if kind in ("report.revenue", "report.mrr"):
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
