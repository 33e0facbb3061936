"""What payment methods, setup and payment intents, charges, refunds and invoice
payments show: list columns and detail rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.render import text
from billcli.render.columns import KEEP, Column, amount, field, meta, timestamp

Obj = dict[str, Any]


def card_words(card: Obj | None) -> str:
    """`Visa •••• 4242, 12/2034`."""
    if not card:
        return ""
    return (
        f"{str(card['brand']).capitalize()} •••• {card['last4']}, "
        f"{card['exp_month']:02d}/{card['exp_year']}"
    )


def _card_column(card_of: Callable[[Obj], Obj | None], *, priority: int) -> Column:
    """The card a method is, or a charge was made with, in its few words."""
    return Column(
        "card",
        lambda o: (card_of(o) or {}).get("last4"),
        lambda o: card_words(card_of(o)),
        priority=priority,
    )


def _method_card(o: Obj) -> Obj | None:
    return o.get("card")


def _charge_card(o: Obj) -> Obj | None:
    return (o.get("payment_method_details") or {}).get("card")


def _reason(o: Obj) -> str:
    """Why a charge failed or an intent waits: the decline's code and reason."""
    error = o.get("last_payment_error") or o.get("last_setup_error") or {}
    if o.get("object") == "charge":
        return ", ".join(
            filter(None, [o.get("failure_code"), (o.get("outcome") or {}).get("reason")])
        )
    return ", ".join(filter(None, [error.get("code"), error.get("decline_code")]))


COLUMNS: dict[str, list[Column]] = {
    "payment_method": [
        field("id", "id", priority=KEEP),
        timestamp("created", "created"),
        field("customer", "customer", priority=6),
        _card_column(_method_card, priority=8),
        Column("fingerprint", lambda o: o["card"]["fingerprint"], lambda o: "", in_table=False),
        meta(),
    ],
    "setup_intent": [
        field("id", "id", priority=KEEP),
        timestamp("created", "created"),
        field("customer", "customer", priority=6),
        field("status", "status", priority=KEEP),
        field("usage", "usage", priority=4),
        field("payment_method", "payment_method", priority=5),
        Column("error", _reason, _reason, priority=3),
        meta(),
    ],
    "payment_intent": [
        field("id", "id", priority=KEEP),
        timestamp("created", "created"),
        field("customer", "customer", priority=6),
        field("status", "status", priority=KEEP),
        amount("amount", "amount", priority=KEEP),
        field("currency", "currency", in_table=False),
        field("invoice", "invoice", priority=4),
        Column("error", _reason, _reason, priority=3),
        meta(),
    ],
    "charge": [
        field("id", "id", priority=KEEP),
        timestamp("created", "created"),
        field("customer", "customer", priority=6),
        field("status", "status", priority=KEEP),
        amount("amount", "amount", priority=KEEP),
        amount("refunded", "amount_refunded"),
        field("currency", "currency", in_table=False),
        _card_column(_charge_card, priority=7),
        Column("failure", _reason, _reason, priority=5),
        field("payment_intent", "payment_intent", in_table=False),
        meta(),
    ],
    "refund": [
        field("id", "id", priority=KEEP),
        timestamp("created", "created"),
        field("charge", "charge", priority=6),
        amount("amount", "amount", priority=KEEP),
        field("currency", "currency", in_table=False),
        field("status", "status", priority=KEEP),
        field("reason", "reason", priority=4),
        meta(),
    ],
    "invoice_payment": [
        field("id", "id", priority=KEEP),
        field("invoice", "invoice", priority=8),
        field("status", "status", priority=KEEP),
        amount("amount_requested", "amount_requested", priority=KEEP),
        field("currency", "currency", in_table=False),
    ],
}


def _method_details(o: Obj) -> list[tuple[str, str]]:
    card = o["card"]
    billing = o.get("billing_details") or {}
    return [
        ("ID", o["id"]),
        ("Card", card_words(card)),
        ("Funding", f"{card['funding']} ({card['country']})"),
        ("Fingerprint", card["fingerprint"]),
        ("Customer", text.plain(o.get("customer")) or "none (not saved)"),
        ("Billing", ", ".join(str(v) for k, v in billing.items() if v and k != "address")),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]


def _action(o: Obj) -> str:
    step = o.get("next_action") or {}
    url = (step.get("redirect_to_url") or {}).get("url")
    return f"the customer authenticates at {url}" if url else ""


def _intent_details(o: Obj) -> list[tuple[str, str]]:
    currency = o["currency"]
    rows = [
        ("ID", o["id"]),
        ("Status", o["status"]),
        ("Amount", text.money(o["amount"], currency)),
        ("Received", text.money(o["amount_received"], currency)),
        (
            "Capturable",
            text.money(o["amount_capturable"], currency) if o.get("amount_capturable") else "",
        ),
        ("Customer", text.plain(o.get("customer"))),
        ("Invoice", text.plain(o.get("invoice"))),
        ("Description", text.plain(o.get("description"))),
        ("Payment method", text.plain(o.get("payment_method"))),
        ("Latest charge", text.plain(o.get("latest_charge"))),
        ("Last error", _error_words(o.get("last_payment_error"))),
        ("Next action", _action(o)),
        ("Canceled", _canceled(o)),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]
    return [(label, value) for label, value in rows if value or label in ("ID", "Status")]


def _error_words(error: Obj | None) -> str:
    if not error:
        return ""
    reason = ", ".join(filter(None, [error.get("code"), error.get("decline_code")]))
    return f"{error.get('message', '')} [{reason}]"


def _canceled(o: Obj) -> str:
    if o.get("canceled_at") is None:
        return ""
    return f"{text.when(o['canceled_at'])} ({o.get('cancellation_reason') or 'no reason given'})"


def _setup_details(o: Obj) -> list[tuple[str, str]]:
    rows = [
        ("ID", o["id"]),
        ("Status", o["status"]),
        ("Usage", o["usage"]),
        ("Customer", text.plain(o.get("customer"))),
        ("Payment method", text.plain(o.get("payment_method"))),
        ("Last error", _error_words(o.get("last_setup_error"))),
        ("Next action", _action(o)),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]
    return [(label, value) for label, value in rows if value or label in ("ID", "Status")]


def _charge_details(o: Obj) -> list[tuple[str, str]]:
    currency = o["currency"]
    outcome = o.get("outcome") or {}
    secure = (_charge_card(o) or {}).get("three_d_secure")
    rows = [
        ("ID", o["id"]),
        ("Status", o["status"]),
        ("Amount", text.money(o["amount"], currency)),
        ("Captured", _captured(o)),
        ("Refunded", text.money(o["amount_refunded"], currency) if o["amount_refunded"] else ""),
        ("Card", card_words(_charge_card(o))),
        ("3-D Secure", "authenticated" if secure else ""),
        ("Outcome", text.plain(outcome.get("seller_message"))),
        (
            "Failure",
            f"{o.get('failure_message') or ''} [{_reason(o)}]" if o.get("failure_code") else "",
        ),
        ("Customer", text.plain(o.get("customer"))),
        ("Payment intent", text.plain(o.get("payment_intent"))),
        ("Invoice", text.plain(o.get("invoice"))),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]
    for refund in (o.get("refunds") or {}).get("data", []):
        rows.append(("Refund", f"{refund['id']}: {text.money(refund['amount'], currency)}"))
    return [(label, value) for label, value in rows if value or label in ("ID", "Status")]


def _captured(o: Obj) -> str:
    """Said only of an authorization (manual capture): held until when, or how much of
    it was captured; a charge captured whole at once says nothing."""
    if o["status"] != "succeeded" or o.get("amount_captured") == o["amount"]:
        return ""
    if o.get("captured"):
        return text.money(o["amount_captured"], o["currency"])
    if o.get("refunded"):
        return "no (released)"
    before = (_charge_card(o) or {}).get("capture_before")
    return f"not yet (held until {text.when(before)})" if before else "not yet"


def _refund_details(o: Obj) -> list[tuple[str, str]]:
    return [
        ("ID", o["id"]),
        ("Status", o["status"]),
        ("Amount", text.money(o["amount"], o["currency"])),
        ("Charge", o["charge"]),
        ("Payment intent", text.plain(o.get("payment_intent"))),
        ("Reason", text.plain(o.get("reason"))),
        ("Created", text.when(o.get("created"))),
        ("Metadata", text.metadata(o.get("metadata"))),
    ]


DETAILS: dict[str, Callable[[Obj], list[tuple[str, str]]]] = {
    "payment_method": _method_details,
    "payment_intent": _intent_details,
    "setup_intent": _setup_details,
    "charge": _charge_details,
    "refund": _refund_details,
}
