"""What tax rates and customers' tax IDs show: list columns and detail rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.core.tax import percent_words
from billcli.render import text
from billcli.render.columns import KEEP, Column, field, meta, timestamp
from billcli.render.text import rate_words

Obj = dict[str, Any]


def _verification(t: Obj) -> str:
    return str((t.get("verification") or {}).get("status") or "")


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
    "tax_id": [
        field("id", "id", priority=KEEP),
        field("type", "type", priority=KEEP),
        field("value", "value", priority=KEEP),
        field("country", "country", priority=6),
        Column("verification", _verification, _verification, priority=5),
        field("customer", "customer", in_table=False),
        timestamp("created", "created", priority=2),
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


def _tax_id_details(o: Obj) -> list[tuple[str, str]]:
    return [
        ("ID", o["id"]),
        ("Customer", text.plain(o.get("customer"))),
        ("Type", o["type"]),
        ("Value", o["value"]),
        ("Country", text.plain(o.get("country"))),
        ("Verification", _verification(o)),
        ("Created", text.when(o.get("created"))),
    ]


DETAILS: dict[str, Callable[[Obj], list[tuple[str, str]]]] = {
    "tax_rate": _rate_details,
    "tax_id": _tax_id_details,
}
