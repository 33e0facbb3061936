"""Refunds: a credit note's refund_amount refunds the invoice's charge; `refunds create`
gives back part or all of a charge and never more (notes §3.3-3.4); `reports revenue`
collects succeeded charges less refunds, each in its own period, and out-of-band
payments (billcli-decisions)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ledger_digest
from tests.payments.conftest import event_types


@pytest.fixture
def paid(ok: Callable[..., Any], customer: Callable[..., str], open_invoice: Any) -> dict[str, Any]:
    """An invoice of 50.00 paid by card, and its charge."""
    invoice = ok("invoices", "pay", open_invoice(customer(), 5000)["id"])
    return {"invoice": invoice, "charge": invoice["charge"]}


def test_a_credit_notes_refund_amount_is_a_refund_of_the_invoices_charge(
    ok: Callable[..., Any], paid: dict[str, Any], assert_valid: Any, checked_ledger: Any
) -> None:
    mark = ok("events", "list", "--limit", "1")["data"][0]["id"]
    note = ok(
        "credit-notes",
        "create",
        "--invoice",
        paid["invoice"]["id"],
        "--amount",
        "1200",
        "--refund-amount",
        "1200",
        "--reason",
        "duplicate",
    )
    refund = ok("refunds", "show", note["refund"])
    assert (refund["amount"], refund["charge"], refund["reason"], refund["status"]) == (
        1200,
        paid["charge"],
        "duplicate",
        "succeeded",
    )
    charge = ok("charges", "show", paid["charge"])
    assert (charge["amount_refunded"], charge["refunded"]) == (1200, False)
    assert [r["id"] for r in charge["refunds"]["data"]] == [refund["id"]]
    types = event_types(ok, after=mark)
    assert types.index("refund.created") < types.index("charge.refunded")
    assert types.index("charge.refunded") < types.index("credit_note.created")
    assert_valid(refund)
    assert_valid(charge)
    checked_ledger()


def test_refunds_create_gives_back_part_then_the_rest_and_then_nothing(
    ok: Callable[..., Any],
    billcli: Any,
    paid: dict[str, Any],
    ledger_path: Path,
    checked_ledger: Any,
) -> None:
    part = ok("refunds", "create", "--charge", paid["charge"], "--amount", "5.00")
    assert part["amount"] == 500 and part["payment_intent"] == paid["invoice"]["payment_intent"]
    rest = ok("refunds", "create", "--payment-intent", paid["invoice"]["payment_intent"])
    assert rest["amount"] == 4500
    charge = ok("charges", "show", paid["charge"])
    assert (charge["amount_refunded"], charge["refunded"]) == (5000, True)
    assert ok("invoices", "show", paid["invoice"]["id"])["status"] == "paid"
    before = ledger_digest(ledger_path)
    again = billcli("refunds", "create", "--charge", paid["charge"], "--json")
    assert again.code == 1 and again.json["error"]["code"] == "charge_already_refunded"
    assert ledger_digest(ledger_path) == before
    listed = ok("refunds", "list", "--charge", paid["charge"])["data"]
    assert [r["id"] for r in listed] == [rest["id"], part["id"]]
    checked_ledger()


def test_a_credit_note_cannot_refund_what_was_refunded_directly(
    ok: Callable[..., Any], billcli: Any, paid: dict[str, Any]
) -> None:
    ok("refunds", "create", "--charge", paid["charge"], "--amount", "4000")
    result = billcli(
        "credit-notes",
        "create",
        "--invoice",
        paid["invoice"]["id"],
        "--amount",
        "2000",
        "--refund-amount",
        "2000",
    )
    assert result.code == 1 and "$10.00 was paid by card and not yet refunded" in result.err


BAD = [
    (
        ["refunds", "create", "--charge", "{charge}", "--amount", "5001"],
        1,
        "Refund amount ($50.01) is greater than unrefunded amount on charge ($50.00)",
    ),
    (
        ["refunds", "create", "--charge", "{charge}", "--amount", "0"],
        1,
        "Invalid amount: $0.00; a refund takes back a positive amount",
    ),
    (["refunds", "create", "--charge", "{failed}"], 1, "only a succeeded charge"),
    (
        ["refunds", "create", "--payment-intent", "{open_intent}"],
        1,
        "does not have a successful charge to refund",
    ),
    (["refunds", "create"], 1, "Give one of charge or payment_intent"),
    (
        ["refunds", "create", "--charge", "{charge}", "--reason", "changed_mind"],
        1,
        "Invalid reason",
    ),
    (["refunds", "create", "--charge", "ch_" + "0" * 24], 6, "No such charge"),
    (["refunds", "show", "re_" + "0" * 24], 6, "No such refund"),
]


@pytest.fixture
def states(
    ok: Callable[..., Any],
    billcli: Any,
    customer: Callable[..., str],
    open_invoice: Any,
    paid: dict[str, Any],
) -> dict[str, str]:
    waiting = open_invoice(customer(name="Bob"), 700)
    declined = billcli(
        "invoices",
        "pay",
        waiting["id"],
        "--payment-method",
        "pm_card_visa_chargeDeclined",
        "--json",
    )
    return {
        "{charge}": paid["charge"],
        "{failed}": declined.json["error"]["charge"],
        "{open_intent}": waiting["payment_intent"],
    }


@pytest.mark.parametrize(("args", "code", "fragment"), BAD, ids=[" ".join(b[0])[:50] for b in BAD])
def test_a_bad_refund_is_refused_with_its_reason_and_writes_nothing(
    refused: Any, states: dict[str, str], args: list[str], code: int, fragment: str
) -> None:
    refused([states.get(a, a) for a in args], code, fragment)


def test_collected_revenue_is_succeeded_charges_less_refunds_in_their_own_period(
    ok: Callable[..., Any], customer: Callable[..., str], open_invoice: Any, at_start: int
) -> None:
    ada, bob = customer(), customer(name="Bob")
    first = ok("invoices", "pay", open_invoice(ada, 3000)["id"])  # charged on day 0
    declined = open_invoice(bob, 1000)
    ok("invoices", "pay", declined["id"], "--paid-out-of-band")  # collected, no charge
    ok("invoices", "tick", "--by", "40d")
    ok("refunds", "create", "--charge", first["charge"], "--amount", "700")  # refunded later
    ok(
        "payment-intents",
        "create",
        "--amount",
        "450",
        "--currency",
        "usd",
        "--payment-method",
        "pm_card_visa",
        "--confirm",
    )  # a payment of no invoice is collected money too
    report = ok("reports", "revenue", "--by", "month", "--from", str(at_start))
    by_month = {p["start"]: p for p in report["periods"] if p["currency"] == "usd"}
    march, april = sorted(by_month)[:2]
    assert by_month[march]["collected"] == 3000 + 1000
    assert by_month[april]["collected"] == 450 - 700


def test_a_refund_is_recorded_once_under_an_idempotency_key(
    ok: Callable[..., Any], paid: dict[str, Any]
) -> None:
    args = (
        "refunds",
        "create",
        "--charge",
        paid["charge"],
        "--amount",
        "100",
        "--idempotency-key",
        "refund-1",
    )
    assert ok(*args)["id"] == ok(*args)["id"]
    assert ok("charges", "show", paid["charge"])["amount_refunded"] == 100


def test_a_credit_note_and_a_refund_of_the_intent_give_back_the_same_charge(
    ok: Callable[..., Any],
    billcli: Any,
    customer: Callable[..., str],
    open_invoice: Any,
    checked_ledger: Any,
) -> None:
    """The charge that paid an invoice is one charge however it is reached: after a
    declined attempt and a paying one, a credit note's refund and a refund of the
    invoice's intent both land on the succeeded charge, never on the failed one."""
    cus = customer(card="pm_card_chargeCustomerFail")
    invoice = open_invoice(cus, 3000)
    assert billcli("invoices", "pay", invoice["id"]).code == 4
    (failed,) = ok("charges", "list", "--customer", cus)["data"]
    paid = ok("invoices", "pay", invoice["id"], "--payment-method", "pm_card_visa")
    note = ok("credit-notes", "create", "--invoice", invoice["id"], "--amount", "1000",
              "--refund-amount", "1000")  # fmt: skip
    direct = ok("refunds", "create", "--payment-intent", paid["payment_intent"], "--amount", "500")
    by_note = ok("refunds", "show", note["refund"])
    assert by_note["charge"] == direct["charge"] == paid["charge"] != failed["id"]
    charge = ok("charges", "show", paid["charge"])
    assert (charge["status"], charge["amount_refunded"]) == ("succeeded", 1500)
    checked_ledger()
