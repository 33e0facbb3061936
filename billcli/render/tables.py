"""Rich tables for people at a terminal; imported only when a table is wanted."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from billcli.core.pagination import Page
from billcli.render.columns import KEEP, Column

# Piped, a table is as wide as its rows: no terminal to fit, nothing hidden or cut.
WHOLE = 100_000


def console(*, table: bool = False) -> Console:
    """The terminal's console; piped (no terminal, no `COLUMNS`), 160 columns for text
    and, for a `table`, room for whole rows (rich would assume 80 columns and fit to
    them)."""
    # startup: loaded only when a table is sized for a terminal
    import os
    import sys

    if sys.stdout.isatty() or "COLUMNS" in os.environ:
        return Console(soft_wrap=False)
    return Console(soft_wrap=False, width=WHOLE if table else 160)


LINK = re.compile(r"https?://\S+")
# A Stripe id (`sub_…`, `cnli_…`): like a URL, copied whole, so never broken.
ID = re.compile(r"\b[a-z]+_[0-9A-Za-z]{14,}\b")


def detail_table(title: str, rows: list[tuple[str, str]]) -> None:
    """A two-column view of one object. Values wrap to the terminal, except those with
    a URL, or with an id too long for the room a value has: such a value is printed
    whole on one line, to be copied (the terminal may wrap it, billcli never breaks
    it)."""
    shown = [(label, value) for label, value in rows if value]
    width = max((cell_len(label) for label, _ in shown), default=0)
    out = console()
    room = out.width - width - 4 * PADDING  # the grid's padding either side of each
    out.print(Text(title, style="table.title"))
    grid: list[tuple[str, str]] = []
    for label, value in [*shown, ("", "")]:
        whole = LINK.search(value) or any(len(i) > room for i in ID.findall(value))
        if value and not whole:
            grid.append((label, value))
            continue
        if grid:
            out.print(_grid(grid, width))
            grid = []
        for n, line in enumerate(value.splitlines()):
            head = Text(f"  {label if n == 0 else '':<{width}}  ", style="bold cyan")
            out.print(Text.assemble(head, "  ", line), soft_wrap=True)


def _grid(rows: list[tuple[str, str]], label_width: int) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True, min_width=label_width)
    table.add_column(overflow="fold")
    for label, value in rows:
        table.add_row(label, Text(value))
    return table


def list_tables(pages: Iterator[Page], columns: list[Column], kind: str) -> None:
    """One table per page, so `--all` prints as it reads; a footer says what is left,
    and which columns the terminal had no room for."""
    out = console(table=True)
    pages = iter(pages)
    first = next(pages)
    fitted = fit(columns, first.data, out.width)
    pages = itertools.chain([first], pages)
    shown, has_more, token = 0, False, None
    for number, page in enumerate(pages):
        if page.data:
            out.print(fitted.table(page.data, header=number == 0))
        shown += len(page.data)
        has_more, token = page.has_more, page.next_page
    noun = kind.replace("billing_portal.", "portal ").replace("_", " ")
    more = ""
    if token:
        more = f" (more: --page {token}, or --all)"
    elif has_more:
        more = " (more: use --starting-after with the last id, or --all)"
    # A page token is printed whole, to be copied: the terminal may wrap it, rich won't.
    out.print(f"[dim]{shown} {noun}{'' if shown == 1 else 's'}{more}[/dim]", soft_wrap=bool(token))
    fitted.say_hidden(out)


def cell(column: Column, item: dict[str, Any]) -> Text:
    """A value as plain text (never read as markup), styled when the column says so."""
    return Text(column.human(item), style=column.style(item) if column.style else "")


# Free text is shortened to no fewer characters than this (or its header) before a
# column is hidden; a cell's padding takes two more.
SHORTEST_TEXT = 12
PADDING = 2


@dataclass(frozen=True)
class Fitted:
    """The columns a table shows at a width, how wide each may be (None: as wide as its
    text), and the headers of those hidden."""

    columns: list[Column]
    limits: list[int | None]
    hidden: list[str]
    width: int

    def table(self, rows: list[dict[str, Any]], *, header: bool = True) -> Table:
        table = Table(show_header=header, header_style="bold", box=None, padding=(0, 1))
        for column, limit in zip(self.columns, self.limits, strict=True):
            table.add_column(
                column.header,
                justify=column.justify,  # type: ignore[arg-type]
                no_wrap=True,
                overflow="ellipsis",
                min_width=limit,
                max_width=limit,
            )
        for item in rows:
            table.add_row(*(cell(column, item) for column in self.columns))
        return table

    def say_hidden(self, out: Console) -> None:
        """The dim footer naming the columns left out, when any were."""
        if self.hidden:
            count = len(self.hidden)
            out.print(
                Text(
                    f"{count} column{'' if count == 1 else 's'} hidden at {self.width} "
                    f"columns: {', '.join(self.hidden)} — widen the terminal or use "
                    "--json/--csv",
                    style="dim",
                )
            )


def fit(columns: list[Column], rows: list[dict[str, Any]], width: int) -> Fitted:
    """The one rule of every table (lists and reports): free text is shortened first,
    with an ellipsis; then the least important columns are hidden (the rightmost of
    equals first, never a `KEEP` one), and one hidden earlier comes back if a wider one
    hidden later left it room; columns empty in every row are left out. Should the
    `KEEP` columns alone be too wide, their text (not the first column, not amounts)
    is shortened too, widest first."""
    order = {id(c): n for n, c in enumerate(columns)}
    shown = [c for c in columns if c.in_table]
    shown = [c for c in shown if any(c.human(r) for r in rows)] or shown[:1]
    full = {id(c): max([cell_len(c.header)] + [cell_len(c.human(r)) for r in rows]) for c in shown}
    low = {id(c): min(full[id(c)], max(len(c.header), SHORTEST_TEXT)) for c in shown}
    floor = {id(c): low[id(c)] if c.wrap else full[id(c)] for c in shown}

    def needed(kept: list[Column]) -> int:
        return sum(floor[id(c)] + PADDING for c in kept)

    hidden: list[Column] = []
    while needed(shown) > width and any(c.priority < KEEP for c in shown):
        least = min(reversed([c for c in shown if c.priority < KEEP]), key=lambda c: c.priority)
        shown.remove(least)
        hidden.append(least)
    for column in sorted(hidden, key=lambda c: -c.priority):
        if needed([*shown, column]) <= width:
            hidden.remove(column)
            shown.append(column)
    shown.sort(key=lambda c: order[id(c)])
    links = {id(c) for c in shown if any(LINK.match(c.human(r)) for r in rows)}
    limits = _limits(shown, full, floor, low, width, links)
    named = [c.header for c in sorted(hidden, key=lambda c: order[id(c)])]
    return Fitted(shown, limits, named, width)


def _limits(
    shown: list[Column],
    full: dict[int, int],
    floor: dict[int, int],
    low: dict[int, int],
    width: int,
    links: set[int],
) -> list[int | None]:
    """Each column's width: the room left is given back to shortened free text; text
    that is too wide even so is cut, widest first (never the first column, amounts or
    URLs)."""
    limit = {id(c): floor[id(c)] for c in shown}
    room = width - sum(limit.values()) - PADDING * len(shown)
    for column in shown:
        grown = min(max(room, 0), full[id(column)] - limit[id(column)])
        limit[id(column)] += grown
        room -= grown
    cuttable = [c for c in shown[1:] if c.justify != "right" and id(c) not in links]
    while room < 0 and cuttable:
        widest = max(cuttable, key=lambda c: limit[id(c)])
        cut = min(-room, limit[id(widest)] - low[id(widest)])
        if cut <= 0:
            break
        limit[id(widest)] -= cut
        room += cut
    return [limit[id(c)] if limit[id(c)] < full[id(c)] else None for c in shown]
