"""Post-payment invoices (`invoice_creation`): a `payment` session that completes makes
its customer one paid invoice of what the page charged, paid by the session's own
PaymentIntent (never a second charge), with `invoice_data` on it. Amounts from the
prices: one-time price 15.00, coupon 5.00 off, a 10% exclusive tax rate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from billcli.services.checkout import completion
from billcli.services.payments import confirmation
from billcli.store.ledger import Ledger

SUCCESS = "https://shop.example/done"
INVOICED = ("--invoice-creation", "--success-url", SUCCESS)


def _session(ok: Callable[..., Any], *args: str) -> dict[str, Any]:
    made: dict[str, Any] = ok("checkout", "sessions", "create", "--mode", "payment", *args)
    return made


def _invoice_of(ok: Callable[..., Any], session_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    shown = ok("checkout", "sessions", "show", session_id)
    assert shown["invoice"] is not None, shown
    return shown, ok("invoices", "show", shown["invoice"])


def test_a_paid_session_with_invoice_creation_makes_one_paid_invoice_of_its_lines_and_data(
    ok, one_time, fill_in, events, checked_ledger
):
    made = _session(
        ok, "--price", f"{one_time}:2", *INVOICED,
        "--invoice-description", "Order 42", "--invoice-footer", "Thank you",
        "--invoice-metadata", "order=42", "--invoice-custom-field", "PO=7781",
    )  # fmt: skip
    assert made["invoice_creation"]["enabled"] is True and made["invoice"] is None
    assert fill_in(made["url"]).status_code == 200
    shown, invoice = _invoice_of(ok, made["id"])
    assert shown["customer"] is not None  # Stripe makes one: an invoice needs it
    assert (invoice["status"], invoice["customer"]) == ("paid", shown["customer"])
    assert invoice["subtotal"] == shown["amount_subtotal"] == 3000
    assert invoice["total"] == invoice["amount_paid"] == shown["amount_total"] == 3000
    assert invoice["amount_remaining"] == 0
    [line] = invoice["lines"]["data"]
    assert (line["quantity"], line["amount"], line["description"]) == (2, 3000, "Engine manual")
    assert (invoice["description"], invoice["footer"]) == ("Order 42", "Thank you")
    assert invoice["metadata"] == {"order": "42"}
    assert invoice["custom_fields"] == [{"name": "PO", "value": "7781"}]
    pi = ok("payment-intents", "show", shown["payment_intent"])
    assert invoice["payment_intent"] == pi["id"] and pi["invoice"] == invoice["id"]
    charges = ok("charges", "list", "--all")["data"]
    assert [c["id"] for c in charges] == [pi["latest_charge"]]  # one charge, not two
    for kind in ("invoice.created", "invoice.finalized", "invoice.payment_succeeded",
                 "invoice.paid"):  # fmt: skip
        assert [e["data"]["object"]["id"] for e in events(kind)] == [invoice["id"]]
    [completed] = events("checkout.session.completed")
    assert completed["data"]["object"]["invoice"] == invoice["id"]
    checked_ledger()


def test_a_challenge_passed_later_makes_the_invoice_once(ok, one_time, ledger_path, checked_ledger):
    made = _session(ok, "--price", one_time, *INVOICED)
    secret = made["url"].rsplit("/c/", 1)[1]
    with Ledger(ledger_path) as ledger:
        outcome = completion.pay(ledger, secret, "pm_card_threeDSecure2Required", "ada@example.com")
        assert outcome.next_url is not None and not outcome.completed
        assert ok("checkout", "sessions", "show", made["id"])["invoice"] is None
        action = outcome.next_url.rsplit("/authenticate/", 1)[1]
        confirmation.authenticate(ledger, action, succeeded=True)
        assert completion.returned(ledger, secret).completed  # back on the page: no second
    shown, invoice = _invoice_of(ok, made["id"])
    assert invoice["status"] == "paid" and invoice["total"] == shown["amount_total"] == 1500
    assert len(ok("invoices", "list", "--all")["data"]) == 1
    assert len(ok("charges", "list", "--all")["data"]) == 1
    checked_ledger()


def test_a_discounted_and_taxed_sessions_invoice_shows_the_discount_and_equals_its_totals(
    ok, one_time, fill_in, checked_ledger
):
    ok("coupons", "create", "--id", "FIVE", "--amount-off", "500", "--currency", "usd")
    ok("promotion-codes", "create", "--coupon", "FIVE", "--code", "SPRING")
    rate = ok("tax-rates", "create", "--display-name", "VAT", "--percentage", "10")["id"]
    made = _session(ok, "--price", one_time, "--promotion-code", "SPRING",
                    "--item-tax-rate", f"{one_time}={rate}", *INVOICED)  # fmt: skip
    assert fill_in(made["url"]).status_code == 200
    shown, invoice = _invoice_of(ok, made["id"])
    assert shown["amount_total"] == 1500 - 500 + 100
    assert (invoice["subtotal"], invoice["total"]) == (
        shown["amount_subtotal"],
        shown["amount_total"],
    )
    assert invoice["amount_paid"] == shown["amount_total"]
    assert [d["amount"] for d in invoice["total_discount_amounts"]] == [500]
    [line] = invoice["lines"]["data"]
    assert [d["amount"] for d in line["discount_amounts"]] == [500]
    assert invoice["tax"] == 100 and line["tax_amounts"][0]["amount"] == 100
    checked_ledger()


def test_a_declined_payment_makes_no_invoice_and_the_next_try_keeps_its_one_customer(
    ok, one_time, ledger_path, checked_ledger
):
    """The customer is made when the buyer confirms, before the card is charged (so
    the payment names it from its first event); a decline keeps it on the session, and
    the next try pays as that customer rather than making another."""
    made = _session(ok, "--price", one_time, *INVOICED)
    secret = made["url"].rsplit("/c/", 1)[1]
    with Ledger(ledger_path) as ledger:
        assert completion.pay(ledger, secret, "pm_card_chargeDeclined", "ada@example.com").declined
    shown = ok("checkout", "sessions", "show", made["id"])
    assert (shown["status"], shown["invoice"]) == ("open", None)
    assert ok("invoices", "list", "--all")["data"] == []
    customer = shown["customer"]
    declined = ok("charges", "list", "--customer", customer)["data"]
    assert [c["status"] for c in declined] == ["failed"]
    with Ledger(ledger_path) as ledger:
        assert completion.pay(ledger, secret, "pm_card_visa", "ada@example.com").completed
    done = ok("checkout", "sessions", "show", made["id"])
    assert done["customer"] == customer
    assert [c["id"] for c in ok("customers", "list", "--all")["data"]] == [customer]
    assert ok("invoices", "show", done["invoice"])["customer"] == customer
    checked_ledger()


def test_a_session_without_invoice_creation_still_makes_no_invoice(
    ok, one_time, fill_in, checked_ledger
):
    made = _session(ok, "--price", one_time, "--success-url", SUCCESS)
    assert made["invoice_creation"] is None
    assert fill_in(made["url"]).status_code == 200
    assert ok("checkout", "sessions", "show", made["id"])["invoice"] is None
    assert ok("invoices", "list", "--all")["data"] == []
    checked_ledger()


@pytest.mark.parametrize(
    ("args", "param"),
    [
        (["--mode", "subscription", "--invoice-creation"], "invoice_creation"),
        (["--mode", "payment", "--invoice-footer", "x"], "invoice_creation[enabled]"),
        (
            ["--mode", "payment", "--invoice-creation",
             *[f"--invoice-custom-field=F{n}=v" for n in range(5)]],
            "invoice_creation[invoice_data][custom_fields]",
        ),
        (
            ["--mode", "payment", "--invoice-creation",
             "--invoice-custom-field", "PO=" + "9" * 141],
            "invoice_creation[invoice_data][custom_fields][0][value]",
        ),
        (
            ["--mode", "payment", "--invoice-creation", "--invoice-description", "d" * 1501],
            "invoice_creation[invoice_data][description]",
        ),
    ],
)  # fmt: skip
def test_invoice_creation_outside_its_rules_is_refused_naming_the_parameter(
    ok, monthly, one_time, refused, args, param
):
    price = monthly if args[1] == "subscription" else one_time
    result = refused(
        ["checkout", "sessions", "create", "--price", price, "--success-url", SUCCESS, *args],
        1,
        param,
    )
    assert result.json["error"]["param"] == param
