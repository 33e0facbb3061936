"""List columns: a header, a raw value (CSV) and a human text (tables), per object kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from billcli.render import text

Obj = dict[str, Any]
# The columns that identify a row and its money (id, name or description, status,
# amount) have this priority: a narrow terminal never drops them.
KEEP = 10


@dataclass(frozen=True)
class Column:
    """A list column: its header, its raw value (CSV) and its human text (tables).

    When a table is wider than the terminal, free text (`wrap`) is shortened first,
    with an ellipsis; then the columns of lowest `priority` are hidden, and the table
    says which. Ids, amounts and URLs are never shortened; `KEEP` columns never hidden.
    """

    header: str
    raw: Callable[[Obj], Any]
    human: Callable[[Obj], str]
    justify: str = "left"
    wrap: bool = False
    in_table: bool = True
    style: Callable[[Obj], str] | None = None
    priority: int = 5


def field(
    header: str, key: str, *, wrap: bool = False, in_table: bool = True, priority: int = 5
) -> Column:
    return Column(
        header,
        lambda o: o.get(key),
        lambda o: text.plain(o.get(key)),
        wrap=wrap,
        in_table=in_table,
        priority=priority,
    )


def timestamp(header: str, key: str, *, priority: int = 3) -> Column:
    return Column(
        header, lambda o: o.get(key), lambda o: text.when(o.get(key), short=True), priority=priority
    )


def amount(header: str, key: str, *, priority: int = 8) -> Column:
    return Column(
        header,
        lambda o: o.get(key),
        lambda o: text.money(o.get(key), o.get("currency")),
        justify="right",
        priority=priority,
    )


def meta() -> Column:
    return Column(
        "metadata",
        lambda o: text.metadata(o.get("metadata")),
        lambda o: text.metadata(o.get("metadata")),
        in_table=False,
    )


def transition(key: str) -> Column:
    """A `status_transitions` time, for CSV only."""
    return Column(key, lambda o: o["status_transitions"][key], lambda o: "", in_table=False)


STATUS_STYLES = {
    "draft": "dim",
    "open": "cyan",
    "paid": "green",
    "uncollectible": "red",
    "void": "bright_black",
}


def status() -> Column:
    return Column(
        "status",
        lambda o: o.get("status"),
        lambda o: text.plain(o.get("status")),
        style=lambda o: STATUS_STYLES.get(str(o.get("status")), ""),
        priority=KEEP,
    )
