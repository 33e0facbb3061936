"""What Checkout Sessions show: list columns and detail rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.render import text
from billcli.render.columns import KEEP, Column, amount, field, meta, timestamp

Obj = dict[str, Any]


def _items(o: Obj) -> str:
    listed = (o.get("line_items") or {}).get("data") or []
    return "; ".join(
        f"{item['quantity']} × {item['description']} ({item['price']['id']}) "
        f"{text.money(item['amount_total'], item['currency'])}"
        for item in listed
    )


def _promotion_code(o: Obj) -> str | None:
    return next(
        (d["promotion_code"] for d in o.get("discounts") or [] if d["promotion_code"]), None
    )


def _session_details(o: Obj) -> list[tuple[str, str]]:
    totals = o["total_details"]
    rows = [
        ("ID", o["id"]),
        ("Mode", o["mode"]),
        ("Status", o["status"]),
        ("Payment status", o["payment_status"]),
        ("Subtotal", text.money(o["amount_subtotal"], o["currency"])),
        ("Discount", text.money(totals["amount_discount"], o["currency"])
         if totals["amount_discount"] else ""),
        ("Promotion code", text.plain(_promotion_code(o))),
        ("Tax", text.money(totals["amount_tax"], o["currency"]) if totals["amount_tax"] else ""),
        ("Total", text.money(o["amount_total"], o["currency"])),
        ("Line items", _items(o)),
        ("Customer", text.plain(o.get("customer"))),
        ("Customer email", text.plain(o.get("customer_email"))),
        ("Subscription", text.plain(o.get("subscription"))),
        ("Payment intent", text.plain(o.get("payment_intent"))),
        ("Setup intent", text.plain(o.get("setup_intent"))),
        ("URL", text.plain(o.get("url"))),
        ("Success URL", text.plain(o.get("success_url"))),
        ("Expires", text.when(o.get("expires_at"))),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]  # fmt: skip
    return [(label, value) for label, value in rows if value or label in ("ID", "Status")]


COLUMNS: dict[str, list[Column]] = {
    "checkout.session": [
        field("id", "id", priority=KEEP),
        timestamp("created", "created"),
        field("mode", "mode", priority=5),
        field("status", "status", priority=KEEP),
        field("payment_status", "payment_status", priority=4),
        amount("amount_total", "amount_total", priority=KEEP),
        field("currency", "currency", in_table=False),
        field("customer", "customer", priority=6),
        field("subscription", "subscription", priority=3),
        timestamp("expires_at", "expires_at"),
        meta(),
    ],
}

DETAILS: dict[str, Callable[[Obj], list[tuple[str, str]]]] = {
    "checkout.session": _session_details,
}
