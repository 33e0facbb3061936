"""What products, prices and plans show: list columns and detail rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.render import text
from billcli.render.columns import KEEP, Column, amount, field, meta, timestamp
from billcli.render.text import price_words

Obj = dict[str, Any]


def _tiers(p: Obj) -> str:
    rows = []
    for tier in p.get("tiers") or []:
        upto = "inf" if tier["up_to"] is None else f"up to {tier['up_to']}"
        flat = f" + {text.money(tier['flat_amount'], p['currency'])}" if tier["flat_amount"] else ""
        rows.append(f"{upto}: {text.money(tier['unit_amount'], p['currency'])} each{flat}")
    return "; ".join(rows)


def plan_words(p: Obj) -> str:
    """A plan read as the price it is: `$20.00 / month`."""
    as_price = {
        "billing_scheme": p.get("billing_scheme"),
        "tiers_mode": p.get("tiers_mode"),
        "unit_amount": p.get("amount"),
        "currency": p.get("currency"),
        "recurring": {"interval": p["interval"], "interval_count": p["interval_count"]},
    }
    return price_words(as_price)


COLUMNS: dict[str, list[Column]] = {
    "product": [
        field("id", "id", priority=KEEP),
        timestamp("created", "created"),
        field("name", "name", wrap=True, priority=KEEP),
        field("active", "active", priority=KEEP),
        field("description", "description", wrap=True, priority=2),
        field("unit_label", "unit_label", in_table=False),
        meta(),
    ],
    "price": [
        field("id", "id", priority=KEEP),
        field("product", "product", priority=7),
        Column("price", price_words, price_words, priority=KEEP),
        field("type", "type", in_table=False),
        amount("unit_amount", "unit_amount", priority=3),
        field("currency", "currency", in_table=False),
        field("nickname", "nickname", wrap=True, priority=6),
        field("lookup_key", "lookup_key", priority=4),
        field("active", "active", priority=KEEP),
        meta(),
    ],
    "plan": [
        field("id", "id", priority=KEEP),
        field("product", "product", priority=7),
        Column("plan", plan_words, plan_words, priority=KEEP),
        amount("amount", "amount", priority=3),
        field("currency", "currency", in_table=False),
        field("interval", "interval", in_table=False),
        field("interval_count", "interval_count", in_table=False),
        field("nickname", "nickname", wrap=True, priority=6),
        field("trial_period_days", "trial_period_days", priority=4),
        field("active", "active", priority=KEEP),
        meta(),
    ],
}


def _product_details(o: Obj) -> list[tuple[str, str]]:
    return [
        ("ID", o["id"]),
        ("Name", text.plain(o.get("name"))),
        ("Active", text.plain(o.get("active"))),
        ("Description", text.plain(o.get("description"))),
        ("Unit label", text.plain(o.get("unit_label"))),
        ("URL", text.plain(o.get("url"))),
        ("Created", text.when(o.get("created"))),
        ("Updated", text.when(o.get("updated"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]


def _price_details(o: Obj) -> list[tuple[str, str]]:
    rows = [
        ("ID", o["id"]),
        ("Product", o["product"]),
        ("Price", price_words(o)),
        ("Type", "recurring" if o.get("recurring") else "one time"),
        ("Nickname", text.plain(o.get("nickname"))),
        ("Lookup key", text.plain(o.get("lookup_key"))),
    ]
    return _priced_rows(o, rows)


def _plan_details(o: Obj) -> list[tuple[str, str]]:
    trial = o.get("trial_period_days")
    rows = [
        ("ID", o["id"]),
        ("Product", text.plain(o.get("product"))),
        ("Plan", plan_words(o)),
        ("Nickname", text.plain(o.get("nickname"))),
        ("Trial", f"{trial} days" if trial else ""),
    ]
    return _priced_rows(o, rows)


def _priced_rows(o: Obj, rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A price's or a plan's own rows, then what both show: tiers (under the amount),
    whether it is active, when it was made, its metadata."""
    if o.get("tiers"):
        rows.insert(3, ("Tiers", _tiers(o)))
    return [
        *rows,
        ("Active", text.plain(o.get("active"))),
        ("Tax behavior", o.get("tax_behavior") or "unspecified"),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]


DETAILS: dict[str, Callable[[Obj], list[tuple[str, str]]]] = {
    "product": _product_details,
    "price": _price_details,
    "plan": _plan_details,
}
