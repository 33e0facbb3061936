"""Rich tables for people at a terminal; imported only when a table is wanted."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from billcli.core.pagination import Page
from billcli.render.columns import Column


def console() -> Console:
    """A console that keeps rows whole when piped (rich assumes 80 columns there)."""
    # startup: loaded only when a table is sized for a terminal
    import os
    import sys

    width = None if sys.stdout.isatty() or "COLUMNS" in os.environ else 160
    return Console(soft_wrap=False, width=width)


def detail_table(title: str, rows: list[tuple[str, str]]) -> None:
    """A two-column view of one object."""
    table = Table(title=title, show_header=False, title_justify="left", box=None, padding=(0, 2))
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column(overflow="fold")
    for label, value in rows:
        if value:
            table.add_row(label, Text(value))
    console().print(table)


def list_tables(pages: Iterator[Page], columns: list[Column], kind: str) -> None:
    """One table per page, so `--all` prints as it reads; a footer says what is left."""
    columns = [column for column in columns if column.in_table]
    out = console()
    pages = iter(pages)
    first = next(pages)
    columns = fitting(columns, first.data, out.width)
    pages = itertools.chain([first], pages)
    shown, has_more, token = 0, False, None
    for number, page in enumerate(pages):
        table = Table(
            show_header=number == 0, header_style="bold", box=None, title=None, padding=(0, 1)
        )
        for column in columns:
            table.add_column(
                column.header,
                justify=column.justify,  # type: ignore[arg-type]
                overflow="fold",
                no_wrap=not column.wrap,
                min_width=_wrapped_width(column, first.data) if column.wrap else None,
            )
        for item in page.data:
            table.add_row(*(cell(column, item) for column in columns))
        if page.data:
            out.print(table)
        shown += len(page.data)
        has_more, token = page.has_more, page.next_page
    noun = kind.replace("billing_portal.", "portal ").replace("_", " ")
    more = ""
    if token:
        more = f" (more: --page {token}, or --all)"
    elif has_more:
        more = " (more: use --starting-after with the last id, or --all)"
    out.print(f"[dim]{shown} {noun}{'' if shown == 1 else 's'}{more}[/dim]")


def _wrapped_width(column: Column, rows: list[dict[str, Any]]) -> int:
    """A wrapping column is at least 16 wide, and never splits a word of up to 30."""
    words = [len(word) for r in rows for word in column.human(r).split()]
    return min(max([16, *words]), 30)


def cell(column: Column, item: dict[str, Any]) -> Text:
    """A value as plain text (never read as markup), styled when the column says so."""
    return Text(column.human(item), style=column.style(item) if column.style else "")


def fitting(columns: list[Column], rows: list[dict[str, Any]], width: int) -> list[Column]:
    """The columns that fit `width`, dropping empty ones, then the least important."""

    def needed(column: Column) -> int:
        widest = max([len(column.header)] + [len(column.human(r)) for r in rows])
        return (min(widest, 16) if column.wrap else widest) + 2

    def importance(column: Column) -> tuple[bool, int]:
        return any(column.human(r) for r in rows), column.priority

    kept = [column for column in columns if any(column.human(r) for r in rows)] or columns[:1]
    while len(kept) > 1 and sum(needed(c) for c in kept) > width:
        kept.remove(min(kept, key=importance))
    return kept
