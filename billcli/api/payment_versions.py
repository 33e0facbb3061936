"""The payment objects' version changes (2025-03-31.basil): an invoice's `payments` and
`confirmation_secret`, the fields new payment objects gain and the 2023 ones they lose.
`versions.py` lists them in its chain."""

from __future__ import annotations

from typing import Any

from billcli.core.payment_objects import invoice_payment

Obj = dict[str, Any]


def invoice_payments(obj: Obj, context: Obj) -> None:
    """`payments` (its default InvoicePayment) and `confirmation_secret` from the
    invoice's intent, which the API looks up for the versions that show them."""
    intent = (context.get("intents") or {}).get(obj.get("payment_intent") or "")
    paid_at = (obj.get("status_transitions") or {}).get("paid_at")
    invoice = obj.get("id")  # a preview has none, and no payments
    obj["payments"] = {
        "object": "list",
        "data": [invoice_payment(invoice, intent, paid_at)] if intent and invoice else [],
        "has_more": False,
        "url": "/v1/invoice_payments" + (f"?invoice={invoice}" if invoice else ""),
    }
    obj["confirmation_secret"] = (
        None
        if intent is None
        else {"client_secret": intent["client_secret"], "type": "payment_intent"}
    )


def invoice_intents(value: Any) -> set[str]:
    """The intents of the invoices anywhere in an answer (events' included)."""
    if isinstance(value, list):
        return set().union(*(invoice_intents(item) for item in value)) if value else set()
    if not isinstance(value, dict):
        return set()
    found = set().union(*(invoice_intents(item) for item in value.values())) if value else set()
    if value.get("object") == "invoice" and value.get("payment_intent"):
        found.add(value["payment_intent"])
    return found


def payment_intent(obj: Obj, _: Obj) -> None:
    obj["excluded_payment_method_types"] = None
    obj["payment_method_configuration_details"] = None
    obj["source"] = None
    obj.pop("invoice", None)


def setup_intent(obj: Obj, _: Obj) -> None:
    obj["excluded_payment_method_types"] = None
    obj["payment_method_configuration_details"] = None


def charge(obj: Obj, _: Obj) -> None:
    obj["source"] = None
    obj.pop("invoice", None)


def refund(obj: Obj, _: Obj) -> None:
    obj["destination_details"] = {"card": {"type": "refund"}, "type": "card"}


def payment_method(obj: Obj, _: Obj) -> None:
    obj.setdefault("allow_redisplay", "unspecified")
