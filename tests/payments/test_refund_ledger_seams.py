"""`ledger check` holds a refund to its charge and an intent to the charge that paid it:
a refund is in its charge's currency and names its charge's PaymentIntent (Stripe's
refund carries both from the charge), and a succeeded intent was paid by a charge of its
currency and amount (Stripe's `amount_received` never exceeds `amount`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from billcli.core.payment_checks import Payments, check_charges, check_intents
from billcli.core.records.payments import Charge, PaymentIntent, Refund
from tests.conftest import on_postgresql

PAID = 5000


def _paid() -> tuple[Payments, PaymentIntent]:
    """A $50.00 intent paid by its charge, $10.00 of it refunded: consistent."""
    charge = Charge(
        "ch_1", 0, PAID, "usd", "succeeded", "visa", payment_intent="pi_1",
        amount_captured=PAID, captured_at=0, amount_refunded=1000,
    )  # fmt: skip
    payments = Payments()
    payments.add_charge(charge)
    payments.refunds["ch_1"] = [Refund("re_1", 0, 1000, "usd", "ch_1", payment_intent="pi_1")]
    intent = PaymentIntent(
        "pi_1", 0, PAID, "usd", "succeeded", "s", latest_charge="ch_1", amount_received=PAID
    )
    return payments, intent


def test_ledger_check_finds_a_refund_in_another_currency_or_of_another_intent() -> None:
    payments, _ = _paid()
    assert check_charges(payments) == []
    refund = payments.refunds["ch_1"][0]
    for wrong in (replace(refund, currency="eur"), replace(refund, payment_intent="pi_2")):
        payments.refunds["ch_1"] = [wrong]
        found = [(p.object_id, p.message) for p in check_charges(payments)]
        assert [obj for obj, _ in found] == ["re_1"], found
    payments.refunds["ch_1"] = [replace(refund, currency="eur")]
    assert "in eur, its charge ch_1 in usd" in check_charges(payments)[0].message
    payments.refunds["ch_1"] = [replace(refund, payment_intent=None)]
    assert "it names no PaymentIntent, its charge ch_1 pi_1" in check_charges(payments)[0].message


def test_ledger_check_finds_an_intent_paid_in_another_currency_or_amount() -> None:
    payments, intent = _paid()
    assert check_intents([intent], payments, {}) == []
    in_euros = check_intents([replace(intent, currency="eur")], payments, {})
    assert [(p.object_id, p.message) for p in in_euros] == [
        ("pi_1", "it is in eur, its charge ch_1 in usd")
    ]
    smaller = check_intents([replace(intent, amount=4000)], payments, {})
    assert [(p.object_id, p.message) for p in smaller] == [
        ("pi_1", "it is for 4000, its charge ch_1 for 5000")
    ]


@pytest.mark.skipif(on_postgresql(), reason="edits the SQLite file behind billcli's back")
def test_a_refund_edited_into_another_currency_is_named_by_ledger_check(
    ok: Callable[..., Any],
    billcli: Any,
    ledger_path: Path,
    customer: Callable[..., str],
    open_invoice: Any,
    checked_ledger: Any,
) -> None:
    invoice = ok("invoices", "pay", open_invoice(customer(), PAID)["id"])
    refund = ok("refunds", "create", "--charge", invoice["charge"], "--amount", "10.00")
    assert (refund["amount"], refund["currency"], refund["payment_intent"]) == (
        1000,
        "usd",
        invoice["payment_intent"],
    )
    checked_ledger()
    conn = sqlite3.connect(ledger_path)
    conn.execute(f"UPDATE refunds SET currency = 'eur' WHERE id = '{refund['id']}'")
    conn.execute(
        f"UPDATE payment_intents SET amount = 4000 WHERE id = '{refund['payment_intent']}'"
    )
    conn.commit()
    conn.close()
    result = billcli("ledger", "check", "--json")
    assert result.code == 1
    problems = {(p["object"], p["message"]) for p in result.json["problems"]}
    assert problems == {
        (refund["id"], f"it is in eur, its charge {invoice['charge']} in usd"),
        (invoice["payment_intent"], f"it is for 4000, its charge {invoice['charge']} for 5000"),
    }


@pytest.mark.skipif(on_postgresql(), reason="edits the SQLite file behind billcli's back")
@pytest.mark.parametrize(
    "edit, message",
    [
        ("currency = 'eur'", "it is in eur, its invoice {invoice} in usd"),
        ("amount = 1234", "it asks for 1234, its invoice {invoice} owes 5000"),
    ],
)
def test_an_open_invoices_intent_edited_away_from_what_the_invoice_owes_is_named(
    ok: Callable[..., Any],
    billcli: Any,
    ledger_path: Path,
    customer: Callable[..., str],
    open_invoice: Any,
    checked_ledger: Any,
    edit: str,
    message: str,
) -> None:
    invoice = open_invoice(customer(), PAID)
    intent = ok("payment-intents", "show", invoice["payment_intent"])
    assert (intent["amount"], intent["currency"], intent["status"]) == (
        PAID,
        "usd",
        "requires_payment_method",
    )
    checked_ledger()
    conn = sqlite3.connect(ledger_path)
    conn.execute(f"UPDATE payment_intents SET {edit} WHERE id = '{intent['id']}'")
    conn.commit()
    conn.close()
    result = billcli("ledger", "check", "--json")
    assert result.code == 1
    problems = {(p["object"], p["message"]) for p in result.json["problems"]}
    assert problems == {(intent["id"], message.format(invoice=invoice["id"]))}
