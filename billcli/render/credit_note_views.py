"""What credit notes and their lines show: list columns and detail rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.render import text
from billcli.render.columns import KEEP, Column, amount, field, meta, timestamp

Obj = dict[str, Any]

COLUMNS: dict[str, list[Column]] = {
    "credit_note": [
        field("id", "id", priority=KEEP),
        field("number", "number", priority=8),
        field("invoice", "invoice", priority=4),
        field("customer", "customer", priority=3),
        field("type", "type", priority=5),
        field("status", "status", priority=KEEP),
        field("currency", "currency", in_table=False),
        amount("total", "total", priority=KEEP),
        field("reason", "reason", priority=2),
        timestamp("created", "created"),
        meta(),
    ],
    "credit_note_line_item": [
        field("id", "id", priority=KEEP),
        field("type", "type", priority=4),
        field("invoice_line_item", "invoice_line_item", priority=5),
        field("description", "description", wrap=True, priority=KEEP),
        field("quantity", "quantity", priority=6),
        amount("amount", "amount", priority=KEEP),
        amount("discount_amount", "discount_amount", priority=3),
    ],
}


def _credit_note_details(o: Obj) -> list[tuple[str, str]]:
    currency = o["currency"]
    rows = [
        ("ID", o["id"]),
        ("Number", o["number"]),
        ("Invoice", o["invoice"]),
        ("Customer", o["customer"]),
        ("Status", o["status"] + (f", {text.when(o['voided_at'])}" if o.get("voided_at") else "")),
        ("Type", o["type"].replace("_", " ")),
        ("Reason", text.plain(o.get("reason"))),
        ("Memo", text.plain(o.get("memo"))),
    ]
    for line in o["lines"]["data"]:
        how = f"{line['quantity']} × " if line.get("quantity") else ""
        rows.append(
            (
                "Line",
                f"{line['id']}: {how}{line.get('description') or ''}: "
                f"{text.money(line['amount'], currency)}",
            )
        )
    rows += [
        ("Subtotal", text.money(o["subtotal"], currency)),
        ("Discount", text.money(-o["discount_amount"], currency) if o["discount_amount"] else ""),
        ("Total", text.money(o["total"], currency)),
        ("Balance transaction", text.plain(o.get("customer_balance_transaction"))),
        ("Refund", text.plain(o.get("refund"))),
        (
            "Out of band",
            text.money(o["out_of_band_amount"], currency) if o.get("out_of_band_amount") else "",
        ),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]
    return [(label, value) for label, value in rows if value or label == "Total"]


def _line_details(o: Obj) -> list[tuple[str, str]]:
    return [(key, text.plain(o.get(key))) for key in ("id", "type", "description", "amount")]


DETAILS: dict[str, Callable[[Obj], list[tuple[str, str]]]] = {
    "credit_note": _credit_note_details,
    "credit_note_line_item": _line_details,
}
