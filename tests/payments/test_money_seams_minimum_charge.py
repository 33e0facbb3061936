"""Money where credit notes meet the per-currency minimum charge: a pre-payment credit
note can leave an open invoice owing less than the currency's minimum, which no card
can be charged (Stripe: `amount_too_small`, "Amount must be at least €0.50 eur", an
invalid request that charges nothing); the invoice stays open for what it owes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def test_paying_an_invoice_left_below_the_minimum_by_a_credit_note_charges_nothing(
    ok: Callable[..., Any], at_start: int, refused: Callable[..., Any],
    checked_ledger: Callable[[], None],
) -> None:  # fmt: skip
    cus = ok("customers", "create", "--name", "Émile", "--email", "emile@example.com",
             "--currency", "eur", "--payment-method", "pm_card_visa")["id"]  # fmt: skip
    ok("invoices", "items", "create", "--customer", cus, "--amount", "5000", "--currency", "eur")
    draft = ok("invoices", "create", "--customer", cus, "--pending-items", "include",
               "--collection-method", "send_invoice", "--days-until-due", "10")  # fmt: skip
    invoice = ok("invoices", "finalize", draft["id"])
    ok("credit-notes", "create", "--invoice", invoice["id"], "--amount", "4980")
    owed = ok("invoices", "show", invoice["id"])
    assert (owed["status"], owed["amount_remaining"]) == ("open", 20)
    result = refused(["invoices", "pay", invoice["id"]], 1, "Amount must be at least €0.50 eur")
    assert result.json["error"]["code"] == "amount_too_small"
    assert ok("charges", "list", "--customer", cus)["data"] == []
    after = ok("invoices", "show", invoice["id"])
    assert (after["status"], after["amount_remaining"], after["attempt_count"]) == ("open", 20, 0)
    # what is owed can still be settled: out of band, or credited
    paid = ok("invoices", "pay", invoice["id"], "--paid-out-of-band")
    assert (paid["status"], paid["amount_paid"]) == ("paid", 20)
    checked_ledger()


def test_a_yen_invoice_left_at_49_yen_is_not_charged_and_one_at_50_yen_is(
    ok: Callable[..., Any], at_start: int, refused: Callable[..., Any],
    checked_ledger: Callable[[], None],
) -> None:  # fmt: skip
    cus = ok("customers", "create", "--name", "Jun", "--email", "jun@example.com",
             "--currency", "jpy", "--payment-method", "pm_card_visa")["id"]  # fmt: skip
    made = []
    for left in (49, 50):
        ok("invoices", "items", "create", "--customer", cus, "--amount", "1000", "--currency",
           "jpy")  # fmt: skip
        draft = ok("invoices", "create", "--customer", cus, "--pending-items", "include",
                   "--collection-method", "send_invoice", "--days-until-due", "10")  # fmt: skip
        invoice = ok("invoices", "finalize", draft["id"])
        ok("credit-notes", "create", "--invoice", invoice["id"], "--amount", str(1000 - left))
        made.append(invoice["id"])
    refused(["invoices", "pay", made[0]], 1, "Amount must be at least ¥50 jpy")
    paid = ok("invoices", "pay", made[1])
    assert (paid["status"], paid["amount_paid"]) == ("paid", 50)
    (charge,) = ok("charges", "list", "--customer", cus)["data"]
    assert (charge["amount"], charge["currency"]) == (50, "jpy")
    checked_ledger()


def test_a_retry_of_an_invoice_left_below_the_minimum_charges_nothing_and_stops(
    ok: Callable[..., Any], customer: Callable[..., str], events: Callable[..., Any],
    checked_ledger: Callable[[], None],
) -> None:  # fmt: skip
    cus = customer(card="pm_card_chargeCustomerFail")
    ok("invoices", "items", "create", "--customer", cus, "--amount", "4000")
    draft = ok("invoices", "create", "--customer", cus, "--pending-items", "include")
    ok("invoices", "tick", "--by", "2h")  # finalized, its first attempt declined
    first = ok("invoices", "show", draft["id"])
    assert (first["status"], first["attempt_count"]) == ("open", 1)
    assert first["next_payment_attempt"] is not None
    ok("credit-notes", "create", "--invoice", draft["id"], "--amount", "3970")  # $0.30 left
    ok("customers", "update", cus, "--payment-method", "pm_card_visa")  # a card that pays
    ok("invoices", "tick", "--by", "2d")  # the retry falls due
    after = ok("invoices", "show", draft["id"])
    assert (after["status"], after["amount_remaining"], after["attempt_count"]) == ("open", 30, 2)
    assert after["next_payment_attempt"] is None  # retrying cannot make $0.30 chargeable
    charged = [c for c in ok("charges", "list", "--customer", cus)["data"]]
    assert [c["status"] for c in charged] == ["failed"]  # only the first decline
    assert len(events("invoice.payment_failed")) == 2
    checked_ledger()
