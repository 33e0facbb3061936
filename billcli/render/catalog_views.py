"""What products, prices and subscriptions show: list columns and detail rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.render import text
from billcli.render.adjustment_views import discount_words
from billcli.render.columns import Column, amount, field, meta, timestamp
from billcli.render.text import price_words

Obj = dict[str, Any]
SUBSCRIPTION_STYLES = {
    "active": "green",
    "trialing": "cyan",
    "past_due": "yellow",
    "unpaid": "red",
    "incomplete": "yellow",
    "incomplete_expired": "bright_black",
    "canceled": "bright_black",
    "paused": "dim",
}


def _tiers(p: Obj) -> str:
    rows = []
    for tier in p.get("tiers") or []:
        upto = "inf" if tier["up_to"] is None else f"up to {tier['up_to']}"
        flat = f" + {text.money(tier['flat_amount'], p['currency'])}" if tier["flat_amount"] else ""
        rows.append(f"{upto}: {text.money(tier['unit_amount'], p['currency'])} each{flat}")
    return "; ".join(rows)


def _items(o: Obj) -> list[tuple[str, str]]:
    rows = []
    for item in o["items"]["data"]:
        price = item["price"]
        rows.append(
            (
                f"  {item['id']}",
                f"{item['quantity']} × {price['product']} at {price_words(price)} ({price['id']})",
            )
        )
    return rows


def _subscription_status() -> Column:
    return Column(
        "status",
        lambda s: s.get("status"),
        lambda s: text.plain(s.get("status")),
        style=lambda s: SUBSCRIPTION_STYLES.get(str(s.get("status")), ""),
    )


COLUMNS: dict[str, list[Column]] = {
    "product": [
        field("id", "id", priority=10),
        timestamp("created", "created"),
        field("name", "name", wrap=True, priority=9),
        field("active", "active"),
        field("description", "description", wrap=True, priority=2),
        field("unit_label", "unit_label", in_table=False),
        meta(),
    ],
    "price": [
        field("id", "id", priority=10),
        field("product", "product", priority=7),
        Column("price", price_words, price_words, priority=9),
        field("type", "type", in_table=False),
        amount("unit_amount", "unit_amount"),
        field("currency", "currency", in_table=False),
        field("nickname", "nickname", wrap=True),
        field("lookup_key", "lookup_key", priority=4),
        field("active", "active"),
        meta(),
    ],
    "subscription": [
        field("id", "id", priority=10),
        field("customer", "customer", priority=7),
        _subscription_status(),
        Column(
            "items",
            lambda o: " ".join(f"{i['price']['id']}:{i['quantity']}" for i in o["items"]["data"]),
            lambda o: ", ".join(
                f"{i['quantity']} × {price_words(i['price'])}" for i in o["items"]["data"]
            ),
            wrap=True,
            priority=8,
        ),
        timestamp("current_period_end", "current_period_end", priority=6),
        field("collection_method", "collection_method", in_table=False),
        timestamp("trial_end", "trial_end", priority=2),
        field("cancel_at_period_end", "cancel_at_period_end", in_table=False),
        timestamp("created", "created", priority=1),
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
        ("Active", text.plain(o.get("active"))),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]
    if o.get("tiers"):
        rows.insert(3, ("Tiers", _tiers(o)))
    return rows


def _span(start: int | None, end: int | None) -> str:
    return "" if end is None else f"{text.when(start)} → {text.when(end)}"


def _next_invoice(upcoming: Obj | None) -> str:
    if not upcoming:
        return ""
    due = text.money(upcoming["amount_due"], upcoming["currency"])
    return f"{text.when(upcoming['created'])}, {due} due"


def _subscription_details(o: Obj) -> list[tuple[str, str]]:
    ending = ""
    if o.get("cancel_at_period_end"):
        ending = f"cancels at the period end, {text.when(o['current_period_end'])}"
    elif o.get("cancel_at"):
        ending = f"cancels {text.when(o['cancel_at'])}"
    nxt = o.get("upcoming")  # added by `subscriptions show` for people, never in JSON
    rows = [
        ("ID", o["id"]),
        ("Customer", o["customer"]),
        ("Status", o["status"]),
        ("Items", ""),
        *_items(o),
        ("Current period", _span(o["current_period_start"], o["current_period_end"])),
        ("Collection", o["collection_method"]),
        ("Trial", _span(o.get("trial_start"), o.get("trial_end"))),
        ("Next invoice", _next_invoice(nxt)),
        ("Ends", ending or text.when(o.get("ended_at"))),
        ("Latest invoice", text.plain(o.get("latest_invoice"))),
        ("Payment method", text.plain(o.get("default_payment_method")) or "the customer's"),
        ("Discount", discount_words(o.get("discount"))),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]
    return [(label, value) for label, value in rows if value or label in ("Items", "Status")]


DETAILS: dict[str, Callable[[Obj], list[tuple[str, str]]]] = {
    "product": _product_details,
    "price": _price_details,
    "subscription": _subscription_details,
}
