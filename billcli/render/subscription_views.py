"""What subscriptions show: list columns and detail rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.render import text
from billcli.render.columns import KEEP, Column, field, meta, timestamp
from billcli.render.discount_views import discount_words
from billcli.render.text import item_words, price_words

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


def _items(o: Obj) -> list[tuple[str, str]]:
    rows = []
    for item in o["items"]["data"]:
        price = item["price"]
        own = ", ".join(text.rate_words(r) for r in item.get("tax_rates") or [])
        times = f"{item['quantity']} × " if "quantity" in item else ""
        words = price_words(price, o.get("currency"))
        rows.append(
            (
                "Item",
                f"{item['id']}: {times}{price['product']} at {words} ({price['id']})"
                + (f", taxed {own}" if own else ""),
            )
        )
    return rows


def _subscription_status() -> Column:
    return Column(
        "status",
        lambda s: s.get("status"),
        lambda s: text.plain(s.get("status")),
        style=lambda s: SUBSCRIPTION_STYLES.get(str(s.get("status")), ""),
        priority=KEEP,
    )


COLUMNS: dict[str, list[Column]] = {
    "subscription": [
        field("id", "id", priority=KEEP),
        field("customer", "customer", priority=7),
        _subscription_status(),
        Column(
            "items",
            lambda o: " ".join(
                i["price"]["id"] + (f":{i['quantity']}" if "quantity" in i else "")
                for i in o["items"]["data"]
            ),
            lambda o: ", ".join(item_words(i, o.get("currency")) for i in o["items"]["data"]),
            wrap=True,
            priority=KEEP,
        ),
        timestamp("current_period_end", "current_period_end", priority=6),
        field("collection_method", "collection_method", in_table=False),
        timestamp("trial_end", "trial_end", priority=2),
        field("cancel_at_period_end", "cancel_at_period_end", in_table=False),
        timestamp("created", "created", priority=1),
        meta(),
    ],
}


def _span(start: int | None, end: int | None) -> str:
    return "" if end is None else f"{text.when(start)} → {text.when(end)}"


# What a renewal does while payments are paused (pause_collection.behavior).
PAUSED_RENEWALS = {
    "keep_as_draft": "kept as a draft: not finalized, sent or charged",
    "mark_uncollectible": "finalized and marked uncollectible: not charged",
    "void": "finalized and voided: not charged",
}


def _paused_at(pause: Obj | None, at: int) -> Obj | None:
    """The pause still in force at `at` (one with no end lasts), if any."""
    if pause and (pause["resumes_at"] is None or at < pause["resumes_at"]):
        return pause
    return None


def _pause_words(pause: Obj | None) -> str:
    if not pause:
        return ""
    until = (
        f"until {text.when(pause['resumes_at'])}"
        if pause["resumes_at"]
        else "until resumed (subscriptions update --resume-collection)"
    )
    return f"{pause['behavior']} {until}: each renewal is {PAUSED_RENEWALS[pause['behavior']]}"


def _next_invoice(upcoming: Obj | None, pause: Obj | None) -> str:
    if not upcoming:
        return ""
    amount = text.money(upcoming["amount_due"], upcoming["currency"])
    when = text.when(upcoming["created"])
    paused = _paused_at(pause, upcoming["created"])
    if paused:
        return f"{when}, {amount}, {PAUSED_RENEWALS[paused['behavior']]} (payments paused)"
    return f"{when}, {amount} due"


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
        ("Payments paused", _pause_words(o.get("pause_collection"))),
        ("Next invoice", _next_invoice(nxt, o.get("pause_collection"))),
        ("Ends", ending or text.when(o.get("ended_at"))),
        ("Latest invoice", text.plain(o.get("latest_invoice"))),
        ("Payment method", text.plain(o.get("default_payment_method")) or "the customer's"),
        ("Discount", discount_words(o.get("discount"))),
        ("Tax rates", ", ".join(text.rate_words(r) for r in o.get("default_tax_rates") or [])),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]
    return [(label, value) for label, value in rows if value or label in ("Items", "Status")]


DETAILS: dict[str, Callable[[Obj], list[tuple[str, str]]]] = {
    "subscription": _subscription_details,
}
