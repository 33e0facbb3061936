"""What coupons, promotion codes and discounts show: list columns and detail rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.core.discounts import off_words
from billcli.render import text
from billcli.render.columns import KEEP, Column, field, meta, timestamp

Obj = dict[str, Any]


def coupon_terms(c: Obj) -> str:
    """`25% off, for 3 months`: what a coupon takes off, and for how long."""
    off = off_words(c.get("percent_off"), c.get("amount_off"), c.get("currency"))
    duration = c.get("duration")
    if duration == "repeating":
        months = c.get("duration_in_months")
        return f"{off}, for {months} month{'s' if months != 1 else ''}"
    return f"{off}, {'once' if duration == 'once' else 'forever'}"


def discount_words(d: Obj | None) -> str:
    """A customer's or subscription's discount, in a detail row."""
    if not d:
        return ""
    coupon = d["coupon"]
    until = f" until {text.when(d['end'])}" if d.get("end") else ""
    return f"{coupon['name'] or coupon['id']}: {coupon_terms(coupon)}{until} ({d['id']})"


def _redeemed(c: Obj) -> str:
    most = c.get("max_redemptions")
    return f"{c['times_redeemed']}" + (f" of {most}" if most else "")


def _code_terms(p: Obj) -> str:
    return coupon_terms(p["coupon"])


def restriction_words(p: Obj) -> str:
    """`first purchase, from $50.00, for cus_…`: who may redeem a promotion code."""
    held = p["restrictions"]
    words = ["first purchase"] if held.get("first_time_transaction") else []
    if held.get("minimum_amount") is not None:
        minimum = held["minimum_amount"]
        words.append(f"from {text.money(minimum, held['minimum_amount_currency'])}")
    if p.get("customer"):
        words.append(f"for {p['customer']}")
    return ", ".join(words)


COLUMNS: dict[str, list[Column]] = {
    "coupon": [
        field("id", "id", priority=KEEP),
        field("name", "name", wrap=True, priority=6),
        Column("terms", coupon_terms, coupon_terms, priority=KEEP),
        field("percent_off", "percent_off", in_table=False),
        field("amount_off", "amount_off", in_table=False),
        field("currency", "currency", in_table=False),
        field("duration", "duration", in_table=False),
        field("duration_in_months", "duration_in_months", in_table=False),
        Column("redeemed", lambda c: c["times_redeemed"], _redeemed, justify="right"),
        field("max_redemptions", "max_redemptions", in_table=False),
        timestamp("redeem_by", "redeem_by"),
        field("valid", "valid", priority=KEEP),
        timestamp("created", "created", priority=2),
        meta(),
    ],
    "promotion_code": [
        field("id", "id", priority=KEEP),
        field("code", "code", priority=KEEP),
        Column("coupon", lambda p: p["coupon"]["id"], lambda p: p["coupon"]["id"], priority=8),
        Column("terms", _code_terms, _code_terms, priority=7),
        field("active", "active", priority=KEEP),
        Column("redeemed", lambda p: p["times_redeemed"], _redeemed, justify="right"),
        field("max_redemptions", "max_redemptions", in_table=False),
        Column("restrictions", restriction_words, restriction_words, wrap=True, priority=4),
        field("customer", "customer", in_table=False),
        timestamp("expires_at", "expires_at", priority=3),
        timestamp("created", "created", priority=2),
        meta(),
    ],
}


def _coupon_details(o: Obj) -> list[tuple[str, str]]:
    return [
        ("ID", o["id"]),
        ("Name", text.plain(o.get("name"))),
        ("Terms", coupon_terms(o)),
        ("Redeemed", _redeemed(o)),
        ("Redeem by", text.when(o.get("redeem_by"))),
        ("Valid", text.plain(o.get("valid"))),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]


def _promotion_code_details(o: Obj) -> list[tuple[str, str]]:
    return [
        ("ID", o["id"]),
        ("Code", o["code"]),
        ("Coupon", f"{o['coupon']['id']}: {coupon_terms(o['coupon'])}"),
        ("Active", text.plain(o.get("active"))),
        ("Redeemed", _redeemed(o)),
        ("Restrictions", restriction_words(o) or "none"),
        ("Expires", text.when(o.get("expires_at"))),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]


DETAILS: dict[str, Callable[[Obj], list[tuple[str, str]]]] = {
    "coupon": _coupon_details,
    "promotion_code": _promotion_code_details,
}
