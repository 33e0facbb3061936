"""List columns: a header, a raw value (CSV) and a human text (tables), per object kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from billcli.render import text

Obj = dict[str, Any]


@dataclass(frozen=True)
class Column:
    """A list column: its header, its raw value (CSV) and its human text (tables)."""

    header: str
    raw: Callable[[Obj], Any]
    human: Callable[[Obj], str]
    justify: str = "left"
    wrap: bool = False
    in_table: bool = True
    style: Callable[[Obj], str] | None = None
    priority: int = 5  # narrow terminals drop the lowest first; ids and money stay


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


def amount(header: str, key: str) -> Column:
    return Column(
        header,
        lambda o: o.get(key),
        lambda o: text.money(o.get(key), o.get("currency")),
        justify="right",
        priority=8,
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
    )
