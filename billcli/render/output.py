"""Writing results in the mode a caller chose: rich table, JSON or CSV.

JSON and CSV never import rich (JSON not even the column views), so script-facing
commands start fast. `--all` streams one page at a time in every mode, so memory
stays flat on any size of list.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterator
from typing import Any

from billcli.core.pagination import Page


def dump_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def emit_object(obj: dict[str, Any], *, as_json: bool, title: str | None = None) -> None:
    """One object: its Stripe JSON, or a detail table."""
    if as_json:
        sys.stdout.write(dump_json(obj) + "\n")
        return
    # startup: JSON output loads no table or view code
    from billcli.render.tables import detail_table

    kind = str(obj.get("object", ""))
    label = title or kind.replace("_", " ").capitalize()
    if obj.get("deleted"):
        detail_table(label, [("ID", str(obj["id"])), ("Status", "deleted")])
    elif kind == "invoice":
        # startup: JSON output loads no table or view code
        from billcli.render.invoice_view import invoice_view

        invoice_view(obj, title)
    else:
        # startup: JSON output loads no table or view code
        from billcli.render.views import DETAILS

        detail_table(label, DETAILS[kind](obj))


def emit_stream(items: Iterator[dict[str, Any]], url: str) -> None:
    """A list object of unknown length, written as the items come."""
    _write_list(url, items)


def emit_pages(pages: Iterator[Page], kind: str, *, mode: str) -> None:
    """A list, page by page: a Stripe list object, CSV rows, or a table."""
    if mode == "json":
        _stream_json(pages)
    elif mode == "csv":
        _stream_csv(pages, kind)
    else:
        # startup: JSON output loads no table or view code
        from billcli.render.tables import list_tables
        from billcli.render.views import COLUMNS

        list_tables(pages, COLUMNS[kind], kind)


def _stream_json(pages: Iterator[Page]) -> None:
    first = next(pages)
    second = next(pages, None)
    if second is None:
        sys.stdout.write(dump_json(first.to_stripe()) + "\n")
        return
    # Several pages (`--all`): the whole walk is one list object, written as it comes.
    pages = itertools.chain((first, second), pages)
    _write_list(first.url, (item for page in pages for item in page.data), first.object_type)


def _write_list(url: str, items: Iterator[dict[str, Any]], kind: str = "list") -> None:
    out = sys.stdout
    tail = ',\n  "next_page": null' if kind == "search_result" else ""
    out.write(
        f'{{\n  "object": "{kind}",\n  "url": '
        + json.dumps(url)
        + f',\n  "has_more": false{tail},\n  "data": ['
    )
    sep = "\n"
    for item in items:
        out.write(sep + _indent(dump_json(item)))
        sep = ",\n"
    out.write("\n  ]\n}\n" if sep != "\n" else "]\n}\n")


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def _stream_csv(pages: Iterator[Page], kind: str) -> None:
    # startup: JSON output loads no table or view code
    import csv

    # startup: JSON output loads no table or view code
    from billcli.render.views import COLUMNS

    columns = COLUMNS[kind]

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow([c.header for c in columns])
    for page in pages:
        for item in page.data:
            writer.writerow(["" if (v := c.raw(item)) is None else v for c in columns])
