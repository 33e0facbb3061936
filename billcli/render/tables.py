"""Rich tables for people at a terminal; imported only when a table is wanted."""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Console
from rich.table import Table

from billcli.core.pagination import Page
from billcli.render.views import Column


def console() -> Console:
    """A console that keeps rows whole when piped (rich assumes 80 columns there)."""
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
            table.add_row(label, value)
    console().print(table)


def list_tables(pages: Iterator[Page], columns: list[Column], kind: str) -> None:
    """One table per page, so `--all` prints as it reads; a footer says what is left."""
    columns = [column for column in columns if column.in_table]
    out = console()
    shown, has_more = 0, False
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
                min_width=16 if column.wrap else None,
            )
        for item in page.data:
            table.add_row(*(column.human(item) for column in columns))
        if page.data:
            out.print(table)
        shown += len(page.data)
        has_more = page.has_more
    noun = kind.replace("_", " ")
    more = " (more: use --starting-after with the last id, or --all)" if has_more else ""
    out.print(f"[dim]{shown} {noun}{'' if shown == 1 else 's'}{more}[/dim]")
