"""A charge's embedded `refunds` list is Stripe's first page of them: the ten newest,
with `has_more` true when older refunds lie beyond it (Stripe's list object: "True if
this list has another page of items after this one that can be fetched")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def test_a_charge_with_more_than_ten_refunds_says_its_list_has_more(
    ok: Callable[..., Any],
    customer: Callable[..., str],
    open_invoice: Any,
    assert_valid: Any,
    checked_ledger: Any,
) -> None:
    invoice = ok("invoices", "pay", open_invoice(customer(), 5000)["id"])
    charge_id = invoice["charge"]
    made = [
        ok("refunds", "create", "--charge", charge_id, "--amount", "1.00")["id"] for _ in range(10)
    ]
    ten = ok("charges", "show", charge_id)
    assert ten["refunds"]["has_more"] is False  # exactly one page: nothing beyond it
    assert [r["id"] for r in ten["refunds"]["data"]] == made[::-1]
    made.append(ok("refunds", "create", "--charge", charge_id, "--amount", "1.00")["id"])
    charge = ok("charges", "show", charge_id)
    assert (charge["amount_refunded"], charge["refunded"]) == (1100, False)
    assert [r["id"] for r in charge["refunds"]["data"]] == made[:0:-1]  # the ten newest
    assert charge["refunds"]["has_more"] is True
    assert charge["refunds"]["url"] == f"/v1/charges/{charge_id}/refunds"
    listed = ok("refunds", "list", "--charge", charge_id, "--limit", "10")
    assert (listed["has_more"], [r["id"] for r in listed["data"]]) == (True, made[:0:-1])
    assert_valid(charge)
    checked_ledger()
