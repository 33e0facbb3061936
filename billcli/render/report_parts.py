"""What every report's view shares: figures in major units, tables under the terminal's
one rule, block-character charts, the window's title, the notes beneath."""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter
from typing import Any

from rich.text import Text

from billcli.core.dates import utc_date, utc_text
from billcli.core.money import exponent
from billcli.render.columns import Column
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


def share(ratio: float | None) -> str:
    return "" if ratio is None else f"{ratio:.0%}"


def period_label(p: Obj, by: str) -> str:
    start = utc_date(p["start"])
    return start[:7] if by == "month" else start


def table(
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


def bar_width() -> int:
    return max(10, min(BAR_WIDTH, console().width - BESIDE_BAR))


def bound(instant: int, *, end: bool) -> str:
    """A window's bound as exactly as it was counted: a date when it is a whole day's
    edge (midnight to start, the last second to end), else the time."""
    whole = (instant + 1) % DAY_S == 0 if end else instant % DAY_S == 0
    return utc_date(instant) if whole else utc_text(instant)


def span_words(report: Obj) -> str:
    return f"{bound(report['from'], end=False)} to {bound(report['to'], end=True)}"


def bar(value: int, top: int, char: str) -> str:
    if top <= 0 or value <= 0:
        return ""
    return char * max(1, round(value * bar_width() / top))


def chart(lines: list[str], legend: str) -> None:
    """Bars, one per line, and what they show; nothing at all when there is none."""
    if not lines:
        return
    out = console()
    out.print()
    for line in lines:
        out.print(Text(line))
    out.print(Text(legend, style="dim"))


def heading(text: str) -> None:
    console().print(Text(text, style="bold"))


def note(report: Obj) -> None:
    if report.get("note"):
        console().print(Text(report["note"], style="dim"))


def covers(report: Obj) -> None:
    listed = ", ".join(report["currencies"]) or "no currency"
    console().print(Text(f"Currencies: {listed}", style="dim"))
