"""What tax rates show: list columns and detail rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.core.tax import percent_words
from billcli.render import text
from billcli.render.columns import KEEP, Column, field, meta, timestamp
from billcli.render.text import rate_words

Obj = dict[str, Any]


def _where(r: Obj) -> str:
    return " ".join(filter(None, [r.get("country"), r.get("state"), r.get("jurisdiction")]))


COLUMNS: dict[str, list[Column]] = {
    "tax_rate": [
        field("id", "id", priority=KEEP),
        Column("rate", rate_words, rate_words, priority=KEEP, wrap=True),
        Column(
            "percentage",
            lambda r: r["percentage"],
            lambda r: f"{percent_words(r['percentage'])}%",
            justify="right",
            in_table=False,
        ),
        field("inclusive", "inclusive", in_table=False),
        field("display_name", "display_name", in_table=False),
        Column("where", _where, _where, priority=6, wrap=True),
        field("country", "country", in_table=False),
        field("state", "state", in_table=False),
        field("jurisdiction", "jurisdiction", in_table=False),
        field("tax_type", "tax_type", priority=5),
        field("active", "active", priority=KEEP),
        timestamp("created", "created", priority=2),
        meta(),
    ],
}


def _rate_details(o: Obj) -> list[tuple[str, str]]:
    return [
        ("ID", o["id"]),
        ("Rate", rate_words(o)),
        ("Applies", "carved out of the amount" if o["inclusive"] else "added to the amount"),
        ("Active", text.plain(o["active"])),
        ("Country", text.plain(o.get("country"))),
        ("State", text.plain(o.get("state"))),
        ("Jurisdiction", text.plain(o.get("jurisdiction"))),
        ("Tax type", text.plain(o.get("tax_type"))),
        ("Description", text.plain(o.get("description"))),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]


DETAILS: dict[str, Callable[[Obj], list[tuple[str, str]]]] = {"tax_rate": _rate_details}
