"""What each object shows: its list columns and its detail rows.

One definition per object serves the rich table, the CSV file and the detail view,
so the three never disagree about what an object is made of.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.core.tick import STATUS_OUTCOMES
from billcli.render import invoice_print, text
from billcli.render.clock_views import clock_status
from billcli.render.columns import (
    KEEP,
    Column,
    amount,
    field,
    meta,
    status,
    timestamp,
    transition,
)
from billcli.render.discount_views import discount_words

Obj = dict[str, Any]


def _line_tax(o: Obj) -> int | None:
    """A line's tax, all its rates together (none when no rate taxes it)."""
    amounts = o.get("tax_amounts") or []
    return sum(t["amount"] for t in amounts) if amounts else None


COLUMNS: dict[str, list[Column]] = {
    "customer": [
        field("id", "id", priority=KEEP),
        timestamp("created", "created"),
        field("name", "name", wrap=True, priority=KEEP),
        field("email", "email", wrap=True, priority=6),
        field("currency", "currency", in_table=False),
        amount("balance", "balance", priority=KEEP),
        field("invoice_prefix", "invoice_prefix", priority=4),
        meta(),
    ],
    "customer_balance_transaction": [
        field("id", "id", priority=KEEP),
        timestamp("created", "created"),
        field("type", "type", priority=9),
        amount("amount", "amount", priority=KEEP),
        field("currency", "currency", in_table=False),
        amount("ending_balance", "ending_balance", priority=7),
        field("description", "description", wrap=True, priority=KEEP),
        field("invoice", "invoice", priority=4),
        meta(),
    ],
    "invoice": [
        field("id", "id", priority=KEEP),
        field("number", "number", priority=7),
        field("customer", "customer", priority=6),
        status(),
        field("collection_method", "collection_method", in_table=False),
        field("currency", "currency", in_table=False),
        field("subtotal", "subtotal", in_table=False),
        field("tax", "tax", in_table=False),
        amount("total", "total", priority=KEEP),
        amount("amount_due", "amount_due", priority=5),
        field("amount_paid", "amount_paid", in_table=False),
        amount("remaining", "amount_remaining", priority=8),
        timestamp("due", "due_date", priority=4),
        timestamp("created", "created"),
        transition("finalized_at"),
        transition("paid_at"),
    ],
    "invoiceitem": [
        field("id", "id", priority=KEEP),
        timestamp("created", "date"),
        field("customer", "customer", priority=4),
        field("description", "description", wrap=True, priority=KEEP),
        field("quantity", "quantity"),
        amount("unit_amount", "unit_amount", priority=6),
        amount("amount", "amount", priority=KEEP),
        field("currency", "currency", in_table=False),
        Column(
            "invoice",
            lambda o: o.get("invoice"),
            lambda o: text.plain(o.get("invoice")) or "pending",
            priority=7,
        ),
        meta(),
    ],
    "line_item": [
        field("id", "id", priority=KEEP),
        field("invoice_item", "invoice_item", in_table=False),
        field("description", "description", wrap=True, priority=KEEP),
        field("quantity", "quantity", priority=6),
        amount("amount", "amount", priority=KEEP),
        Column(
            "tax",
            _line_tax,
            lambda o: text.money(_line_tax(o), o.get("currency")),
            justify="right",
            priority=7,
        ),
        field("currency", "currency", in_table=False),
        meta(),
    ],
    "email": [
        field("id", "id", priority=KEEP),
        timestamp("created", "created"),
        field("to", "to", priority=6),
        field("subject", "subject", wrap=True, priority=KEEP),
        field("invoice", "invoice", priority=5),
        field("url", "url", in_table=False),
    ],
    "event": [
        field("id", "id", priority=KEEP),
        timestamp("created", "created", priority=6),
        field("type", "type", priority=KEEP),
        Column(
            "object",
            lambda o: o["data"]["object"].get("id"),
            lambda o: text.plain(o["data"]["object"].get("id")),
            priority=7,
        ),
    ],
    "billing_portal.configuration": [
        field("id", "id", priority=KEEP),
        timestamp("created", "created"),
        field("default", "is_default", priority=8),
        field("active", "active", priority=KEEP),
        Column(
            "features",
            lambda o: ",".join(_enabled_features(o)),
            lambda o: ", ".join(_enabled_features(o)),
            wrap=True,
        ),
        Column(
            "headline",
            lambda o: o["business_profile"].get("headline"),
            lambda o: text.plain(o["business_profile"].get("headline")),
            in_table=False,
        ),
        field("default_return_url", "default_return_url", priority=2),
        meta(),
    ],
    "webhook_endpoint": [
        field("id", "id", priority=KEEP),
        timestamp("created", "created"),
        field("url", "url", priority=9),
        field("status", "status", priority=KEEP),
        Column(
            "enabled_events",
            lambda o: ",".join(o["enabled_events"]),
            lambda o: ", ".join(o["enabled_events"]),
            wrap=True,
        ),
        field("description", "description", wrap=True, priority=2),
    ],
    "webhook_attempt": [
        timestamp("created", "created", priority=KEEP),
        field("endpoint", "endpoint", priority=8),
        Column(
            "status",
            lambda o: o.get("status_code"),
            lambda o: text.plain(o.get("status_code")) or "—",
            style=lambda o: "green" if 200 <= (o.get("status_code") or 0) < 300 else "red",
            priority=KEEP,
        ),
        Column(
            "duration_ms",
            lambda o: o.get("duration_ms"),
            lambda o: f"{o['duration_ms']:,} ms",
            justify="right",
        ),
        field("error", "error", wrap=True, priority=7),
        field("response", "response_excerpt", in_table=False),
    ],
    "billing_portal.session": [
        field("id", "id", priority=KEEP),
        field("customer", "customer", priority=8),
        field("url", "url", priority=9),
        field("return_url", "return_url", in_table=False),
    ],
}


def _enabled_features(o: Obj) -> list[str]:
    return [name for name, feature in o["features"].items() if feature.get("enabled")]


def _configuration_details(o: Obj) -> list[tuple[str, str]]:
    features = o["features"]
    profile = o["business_profile"]
    cancel = features["subscription_cancel"]
    update = features["subscription_update"]
    customer_update = features["customer_update"]
    return [
        ("ID", o["id"]),
        ("Active", text.plain(o["active"])),
        ("Default", text.plain(o["is_default"])),
        ("Headline", text.plain(profile.get("headline"))),
        ("Privacy policy", text.plain(profile.get("privacy_policy_url"))),
        ("Terms of service", text.plain(profile.get("terms_of_service_url"))),
        ("Return URL", text.plain(o.get("default_return_url"))),
        ("Invoice history", text.plain(features["invoice_history"]["enabled"])),
        (
            "Customer update",
            ", ".join(customer_update["allowed_updates"]) if customer_update["enabled"] else "no",
        ),
        ("Payment method update", text.plain(features["payment_method_update"]["enabled"])),
        (
            "Subscription cancel",
            f"yes, {cancel['mode'].replace('_', ' ')}" if cancel["enabled"] else "no",
        ),
        ("Subscription pause", text.plain(features["subscription_pause"]["enabled"])),
        ("Subscription update", text.plain(update["enabled"])),
        ("Login page", text.plain(o["login_page"]["url"]) or "no"),
        ("Created", text.when(o.get("created"))),
        ("Updated", text.when(o.get("updated"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]


def _session_details(o: Obj) -> list[tuple[str, str]]:
    return [
        ("ID", o["id"]),
        ("Customer", o["customer"]),
        ("Configuration", o["configuration"]),
        ("URL", o["url"]),
        ("Return URL", text.plain(o.get("return_url"))),
        ("Locale", text.plain(o.get("locale"))),
        ("Created", text.when(o.get("created"))),
        ("Open it within", "5 minutes, once"),
    ]


def _customer_details(o: Obj) -> list[tuple[str, str]]:
    if o.get("deleted"):
        return [("ID", o["id"]), ("Status", "deleted")]
    currency = o.get("currency")
    sequence = o.get("next_invoice_sequence", 1)
    return [
        ("ID", o["id"]),
        ("Name", text.plain(o.get("name"))),
        ("Email", text.plain(o.get("email"))),
        ("Phone", text.plain(o.get("phone"))),
        ("Description", text.plain(o.get("description"))),
        (
            "Balance",
            text.balance_words(o.get("balance", 0), currency)
            if currency
            else "none (no currency yet)",
        ),
        ("Currency", text.plain(currency) or "(set by the first balance or invoice)"),
        ("Invoice prefix", text.plain(o.get("invoice_prefix"))),
        ("Next invoice", f"{o.get('invoice_prefix')}-{sequence:04d}"),
        (
            "Payment method",
            text.plain(o.get("invoice_settings", {}).get("default_payment_method")) or "none",
        ),
        ("Discount", discount_words(o.get("discount")) or "none"),
        *invoice_print.customer_rows(o),
        ("Test clock", text.plain(o.get("test_clock")) or "none (the ledger clock)"),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]


def _transaction_details(o: Obj) -> list[tuple[str, str]]:
    currency = o.get("currency")
    return [
        ("ID", o["id"]),
        ("Customer", o["customer"]),
        ("Type", o["type"]),
        ("Amount", text.money(o["amount"], currency)),
        ("Ending balance", text.balance_words(o["ending_balance"], currency)),
        ("Description", text.plain(o.get("description"))),
        ("Invoice", text.plain(o.get("invoice"))),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]


def _event_details(o: Obj) -> list[tuple[str, str]]:
    obj = o["data"]["object"]
    changed = ", ".join(sorted(o["data"].get("previous_attributes") or {}))
    return [
        ("ID", o["id"]),
        ("Type", o["type"]),
        ("Created", text.when(o.get("created"))),
        ("Object", f"{obj.get('object')} {obj.get('id')}"),
        ("Changed", changed),
        ("Pending webhooks", str(o.get("pending_webhooks", 0))),
    ]


DETAILS: dict[str, Callable[[Obj], list[tuple[str, str]]]] = {
    "customer": _customer_details,
    "customer_balance_transaction": _transaction_details,
    "event": _event_details,
    "billing_portal.configuration": _configuration_details,
    "billing_portal.session": _session_details,
}


def _ledger_details(o: Obj) -> list[tuple[str, str]]:
    clock = o["clock"]
    rows = [
        ("Path", o["path"]),
        ("Schema version", str(o["schema_version"])),
        ("Clock", _clock_text(clock)),
    ]
    rows += [
        (name.replace("_", " ").capitalize(), f"{count:,}") for name, count in o["counts"].items()
    ]
    return rows


def _clock_text(clock: Obj) -> str:
    mode = "frozen" if clock["frozen"] else "following system time"
    return f"{text.when(clock['now'])} ({mode})"


def _check_details(o: Obj) -> list[tuple[str, str]]:
    if o["ok"]:
        return [("Result", "consistent"), ("Checked", o["checked"])]
    return [("Result", f"{len(o['problems'])} violation(s)"), ("Checked", o["checked"])] + [
        (p["object"], p["message"]) for p in o["problems"]
    ]


DETAILS.update(
    {
        "ledger": _ledger_details,
        "ledger_clock": lambda o: [("Clock", _clock_text(o)), ("Unix time", str(o["now"]))],
        "ledger_config": lambda o: [(k, v) for k, v in o["settings"].items()],
        "ledger_check": _check_details,
    }
)


def _import_details(o: Obj) -> list[tuple[str, str]]:
    rows = [
        ("Rows", f"{o['rows']:,}"),
        ("Applied", f"{o['applied']:,}"),
        ("Skipped (key already used)", f"{o['skipped']:,}"),
        ("Customers touched", f"{o['customers']:,}"),
    ]
    rows += [
        (f"Net {currency}", text.money(amount, currency)) for currency, amount in o["net"].items()
    ]
    return rows


DETAILS["balance_import"] = _import_details


def _item_details(o: Obj) -> list[tuple[str, str]]:
    currency = o.get("currency")
    unit = o.get("unit_amount")
    return [
        ("ID", o["id"]),
        ("Customer", o["customer"]),
        ("Invoice", text.plain(o.get("invoice")) or "pending (goes on the next invoice)"),
        ("Description", text.plain(o.get("description"))),
        ("Unit amount", "" if unit is None else text.money(unit, currency)),
        ("Quantity", str(o.get("quantity"))),
        ("Amount", text.money(o["amount"], currency)),
        (
            "Tax rates",
            ", ".join(text.rate_words(r) for r in o.get("tax_rates") or [])
            or "the invoice's defaults",
        ),
        ("Created", text.when(o.get("date"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]


def _email_details(o: Obj) -> list[tuple[str, str]]:
    return [
        ("ID", o["id"]),
        ("To", o["to"]),
        ("Subject", o["subject"]),
        ("Created", text.when(o["created"])),
        ("Invoice", text.plain(o.get("invoice"))),
        ("Body", o["body"]),
    ]


DETAILS["invoiceitem"] = _item_details
DETAILS["email"] = _email_details


def _tick_details(o: Obj) -> list[tuple[str, str]]:
    moved = "(dry run: nothing written)" if o["dry_run"] else ""
    rows = [
        ("Clock before", text.when(o["clock_before"])),
        ("Clock after", f"{text.when(o['clock_after'])} {moved}".strip()),
        ("Steps", f"{o['steps']:,}" + ("" if o["complete"] else " (stopped early)")),
    ]
    for name, per_currency in o["outcomes"].items():
        label = name.replace("_", " ").capitalize()
        if not per_currency:
            rows.append((label, "0"))
            continue
        count = sum(v["count"] for v in per_currency.values())
        if name in STATUS_OUTCOMES:
            rows.append((label, f"{count:,}"))
            continue
        amounts = ", ".join(text.money(v["amount"], cur) for cur, v in per_currency.items())
        rows.append((label, f"{count:,}  ({amounts})"))
    hooks = o.get("webhooks") or {}
    if any(hooks.values()):
        rows.append(
            (
                "Webhooks",
                f"{hooks['delivered']} delivered, {hooks['retrying']} to retry, "
                f"{hooks['failed']} given up",
            )
        )
    if o.get("test_clock"):
        rows.append(("Test clock", clock_status(o["test_clock"])))
    for entry in o.get("plan") or []:
        rows.append(
            (
                text.when(entry["at"]),
                f"{entry['step']} {entry['invoice']}: {', '.join(entry['outcomes'])}",
            )
        )
    return rows


DETAILS["tick"] = _tick_details


def _endpoint_details(o: Obj) -> list[tuple[str, str]]:
    rows = [
        ("ID", o["id"]),
        ("URL", o["url"]),
        ("Status", o["status"]),
        ("Events", ", ".join(o["enabled_events"])),
        ("Description", text.plain(o.get("description"))),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]
    if "secret" in o:
        rows.append(("Signing secret", o["secret"]))
    return rows


def _delivery_report_details(o: Obj) -> list[tuple[str, str]]:
    rows = [
        ("Delivered", str(o["delivered"])),
        ("Will retry", str(o["retrying"])),
        ("Gave up", str(o["failed"])),
    ]
    for attempt in o["attempts"]:
        outcome = attempt["error"] or f"HTTP {attempt['status_code']}"
        rows.append((attempt["event"], f"{attempt['endpoint']}: {outcome}"))
    return rows


DETAILS["webhook_endpoint"] = _endpoint_details
DETAILS["api_key"] = lambda o: [
    ("Key", o["key"] or f"…{o['last4']} (shown only when made)"),
    ("Note", o["note"] or "Shown once: keep it where your code reads its Stripe key."),
]
DETAILS["webhook_delivery_report"] = _delivery_report_details


def _register_catalog() -> None:
    """Products and prices, subscriptions, coupons, credit notes and payments describe
    themselves in their own modules."""
    # startup: loaded only by the views that use it
    from billcli.render import (
        catalog_views,
        checkout_views,
        clock_views,
        credit_note_views,
        discount_views,
        ledger_views,
        meter_views,
        payment_views,
        schedule_views,
        subscription_views,
        tax_views,
    )

    modules = (catalog_views, subscription_views, discount_views, credit_note_views)
    for module in (
        *modules,
        payment_views,
        clock_views,
        tax_views,
        meter_views,
        checkout_views,
        schedule_views,
        ledger_views,
    ):
        COLUMNS.update(module.COLUMNS)
        DETAILS.update(module.DETAILS)


_register_catalog()
