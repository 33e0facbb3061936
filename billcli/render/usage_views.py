"""Usage for people: a meter's summaries as a table under a sparkline, and the usage
report; CSV and JSON carry the same numbers."""

from __future__ import annotations

import csv
import sys
from typing import Any

from rich.text import Text

from billcli.core.dates import utc_text
from billcli.render.columns import KEEP, Column
from billcli.render.output import dump_json
from billcli.render.tables import console, fit

Obj = dict[str, Any]
SPARKS = "▁▂▃▄▅▆▇█"
# The longest sparkline; a longer series is drawn a point per window still, wrapped.
SPARK_WIDTH = 120


def sparkline(values: list[int]) -> str:
    """One block per value, its height the value's share of the largest (▁ for none)."""
    top = max(values, default=0)
    if top <= 0:
        return SPARKS[0] * len(values)
    steps = len(SPARKS) - 1
    return "".join(SPARKS[0 if v <= 0 else max(1, round(v * steps / top))] for v in values)


def _number(value: int | float) -> str:
    return f"{value:,}"


SUMMARY_COLUMNS = [
    Column(
        "start",
        lambda o: o["start_time"],
        lambda o: utc_text(o["start_time"], short=True),
        priority=KEEP,
    ),
    Column(
        "end", lambda o: o["end_time"], lambda o: utc_text(o["end_time"], short=True), priority=6
    ),
    Column(
        "usage",
        lambda o: o["aggregated_value"],
        lambda o: _number(o["aggregated_value"]),
        justify="right",
        priority=KEEP,
    ),
]


def _for_scripts(whole: Obj, mode: str, fields: list[str], rows: list[Obj]) -> bool:
    """Print `whole` as JSON or `rows` as CSV of `fields`; False for a person's view."""
    if mode == "json":
        sys.stdout.write(dump_json(whole) + "\n")
    elif mode == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows([row[name] for name in fields] for row in rows)
    return mode in ("json", "csv")


def emit_summaries(listed: Obj, mode: str) -> None:
    """A page of summaries (newest first) as JSON, CSV, or a sparkline (oldest first, as
    time reads) over a table."""
    rows = listed["data"]
    fields = ["id", "meter", "start_time", "end_time", "aggregated_value"]
    if _for_scripts(listed, mode, fields, rows):
        return
    out = console()
    values = [s["aggregated_value"] for s in reversed(rows)]
    if len(values) > 1:
        out.print(Text(sparkline(values[-SPARK_WIDTH:])))
        first, last = rows[-1]["start_time"], rows[0]["end_time"]
        out.print(Text(f"{utc_text(first, short=True)} → {utc_text(last, short=True)}, "
                       f"top {_number(max(values))}", style="dim"))  # fmt: skip
    fitted = fit(SUMMARY_COLUMNS, rows, out.width)
    out.print(fitted.table(rows))
    more = " (more: use --starting-after with the last id)" if listed["has_more"] else ""
    noun = "summary" if len(rows) == 1 else "summaries"
    out.print(Text(f"{len(rows)} {noun}{more}", style="dim"))
    fitted.say_hidden(out)


def _period_text(p: Obj, by: str) -> str:
    day = utc_text(p["start"], short=True)[:10]
    return day[:7] if by == "month" else day


def emit_usage_report(report: Obj, mode: str) -> None:
    """The usage report: JSON as the service built it, CSV a row per meter and period,
    or a table per meter under its sparkline."""
    fields = ["meter", "start", "end", "customers", "usage"]
    if _for_scripts(report, mode, fields, report["periods"]):
        return
    out = console()
    by = report["by"]
    columns = [
        Column("period", lambda p: p["start"], lambda p: _period_text(p, by), priority=KEEP),
        Column(
            "customers",
            lambda p: p["customers"],
            lambda p: _number(p["customers"]),
            justify="right",
            priority=5,
        ),
        Column(
            "usage",
            lambda p: p["usage"],
            lambda p: _number(p["usage"]),
            justify="right",
            priority=KEEP,
        ),
    ]
    out.print(Text(f"Usage by {by}", style="bold"))
    for meter in report["meters"]:
        rows = [p for p in report["periods"] if p["meter"] == meter["id"]]
        out.print(Text(f"\n{meter['display_name']} ({meter['id']}, {meter['formula']} of "
                       f"{meter['event_name']})", style="bold cyan"))  # fmt: skip
        out.print(Text(sparkline([p["usage"] for p in rows][-SPARK_WIDTH:])))
        fitted = fit(columns, rows, out.width)
        out.print(fitted.table(rows))
        fitted.say_hidden(out)
    if report.get("note"):
        out.print(Text(report["note"], style="dim"))
