"""Post-payment invoices (`invoice_creation`) made as every other invoice is: the
customer's invoice settings, lines priced as other lines, the charge naming its
invoice, a payment attempt recorded, the customer's currency and item events; and
`ledger check` tying the invoice to its session (customer, currency)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from billcli.services.checkout import completion
from billcli.services.payments import confirmation
from billcli.store.ledger import Ledger
from tests.conftest import raw_connection

SUCCESS = "https://shop.example/done"
INVOICED = ("--invoice-creation", "--success-url", SUCCESS)


def _paid_invoice(ok: Callable[..., Any], fill_in: Any, *args: str) -> dict[str, Any]:
    made = ok("checkout", "sessions", "create", "--mode", "payment", *args, *INVOICED)
    assert fill_in(made["url"]).status_code == 200
    shown = ok("checkout", "sessions", "show", made["id"])
    invoice: dict[str, Any] = ok("invoices", "show", shown["invoice"])
    return invoice


def test_a_post_payment_invoice_takes_the_customers_invoice_settings_like_every_invoice(
    ok, one_time, customer, fill_in
):
    cus = customer()
    ok("customers", "update", cus, "--invoice-footer", "Customer footer",
       "--invoice-custom-field", "VAT=GB1")  # fmt: skip
    regular = ok("invoices", "create", "--customer", cus)
    assert regular["footer"] == "Customer footer"  # what billcli's other invoices do
    invoice = _paid_invoice(ok, fill_in, "--price", one_time, "--customer", cus)
    assert invoice["footer"] == "Customer footer"
    assert invoice["custom_fields"] == [{"name": "VAT", "value": "GB1"}]


def test_a_post_payment_line_of_a_pack_price_has_no_unit_amount_like_other_invoice_lines(
    ok, customer, fill_in
):
    ok("products", "create", "--name", "Stickers", "--id", "stickers")
    pack = ok("prices", "create", "--product", "stickers", "--currency", "usd",
              "--unit-amount", "1500", "--divide-by", "10", "--round", "up")["id"]  # fmt: skip
    invoice = _paid_invoice(ok, fill_in, "--price", f"{pack}:15")
    [line] = invoice["lines"]["data"]
    assert (line["quantity"], line["amount"]) == (15, 3000)  # two packs of ten
    # 15 x 15.00 is not 30.00: billcli's own invoice lines (unit_amount_for) show none
    assert line["unit_amount_excluding_tax"] is None


def test_the_charge_of_a_post_payment_invoice_names_its_invoice_like_other_invoice_charges(
    ok, one_time, fill_in
):
    invoice = _paid_invoice(ok, fill_in, "--price", one_time)
    charge = ok("charges", "show", invoice["charge"])
    assert charge["invoice"] == invoice["id"]


def test_ledger_check_reports_a_post_payment_invoice_of_another_customer_than_its_session(
    ok, one_time, customer, fill_in, billcli, ledger_path
):
    invoice = _paid_invoice(ok, fill_in, "--price", one_time)
    other = customer()
    _edited(ledger_path, "UPDATE invoices SET customer = ? WHERE id = ?", other, invoice["id"])
    result = billcli("ledger", "check")
    assert result.code != 0, result.out


def _edited(ledger_path: Any, sql: str, *params: str) -> None:
    """An edit of a copy of the ledger behind billcli's back."""
    conn = raw_connection(ledger_path)
    try:
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def test_ledger_check_reports_a_post_payment_invoice_in_another_currency_than_its_session(
    ok, one_time, fill_in, billcli, ledger_path
):
    invoice = _paid_invoice(ok, fill_in, "--price", one_time)
    _edited(ledger_path, "UPDATE invoices SET currency = ? WHERE id = ?", "eur", invoice["id"])
    result = billcli("ledger", "check")
    assert result.code != 0 and "in eur" in result.out, result.out


def test_the_invoice_setting_the_session_gives_wins_field_by_field_over_the_customers(
    ok, one_time, customer, fill_in, checked_ledger
):
    cus = customer()
    ok("customers", "update", cus, "--invoice-footer", "Customer footer",
       "--invoice-custom-field", "VAT=GB1")  # fmt: skip
    invoice = _paid_invoice(
        ok, fill_in, "--price", one_time, "--customer", cus, "--invoice-footer", "Session footer"
    )
    assert invoice["footer"] == "Session footer"
    assert invoice["custom_fields"] == [{"name": "VAT", "value": "GB1"}]
    checked_ledger()


def test_a_post_payment_invoice_records_its_payment_as_its_one_attempt(
    ok, one_time, fill_in, ledger_path, checked_ledger
):
    invoice = _paid_invoice(ok, fill_in, "--price", one_time)
    assert (invoice["attempted"], invoice["attempt_count"]) == (True, 1)
    conn = raw_connection(ledger_path)
    try:
        rows = conn.execute(
            "SELECT payment_intent, charge, amount, succeeded, automatic FROM payment_attempts "
            "WHERE invoice = ?",
            (invoice["id"],),
        ).fetchall()
    finally:
        conn.close()
    assert [tuple(r) for r in rows] == [
        (invoice["payment_intent"], invoice["charge"], invoice["total"], 1, 0)
    ]
    checked_ledger()


def test_a_post_payment_invoice_is_made_through_the_invoice_services(
    ok, one_time, fill_in, events, checked_ledger
):
    """Its items are invoice items made as every item is (`invoiceitem.created`), and
    its customer, made by the session, takes its currency as every invoiced one does."""
    invoice = _paid_invoice(ok, fill_in, "--price", f"{one_time}:2")
    [line] = invoice["lines"]["data"]
    assert [e["data"]["object"]["invoice"] for e in events("invoiceitem.created")] == [
        invoice["id"]
    ]
    assert ok("customers", "show", invoice["customer"])["currency"] == "usd"
    assert (line["amount"], invoice["total"], invoice["amount_paid"]) == (3000, 3000, 3000)
    checked_ledger()


def test_the_charge_of_a_post_payment_invoice_can_be_refunded_and_names_one_invoice_only(
    ok, one_time, fill_in, ledger_path, checked_ledger
):
    invoice = _paid_invoice(ok, fill_in, "--price", one_time)
    refunded = ok("refunds", "create", "--charge", invoice["charge"], "--amount", "500")
    assert refunded["status"] == "succeeded"
    assert ok("charges", "show", invoice["charge"])["invoice"] == invoice["id"]
    checked_ledger()
    other = ok("invoices", "create", "--customer", invoice["customer"])["id"]
    with pytest.raises(Exception, match="charges are immutable"):
        _edited(ledger_path, "UPDATE charges SET invoice = ? WHERE id = ?", other,
                invoice["charge"])  # fmt: skip


def test_the_charge_and_intent_of_a_post_payment_invoice_name_its_customer_like_other_invoice_charges(  # noqa: E501
    ok: Callable[..., Any], one_time: str, fill_in: Any, checked_ledger: Any
) -> None:
    """A session without a customer makes one for its invoice; the charge and the
    PaymentIntent paying that invoice name that customer, as every invoice's do (and
    Stripe's do), so the customer's charges and payments list them."""
    made = ok("checkout", "sessions", "create", "--mode", "payment", "--price", one_time,
              *INVOICED)  # fmt: skip
    assert fill_in(made["url"]).status_code == 200
    shown = ok("checkout", "sessions", "show", made["id"])
    invoice = ok("invoices", "show", shown["invoice"])
    assert invoice["customer"] == shown["customer"] is not None
    charge = ok("charges", "show", invoice["charge"])
    pi = ok("payment-intents", "show", invoice["payment_intent"])
    listed = ok("charges", "list", "--customer", invoice["customer"], "--all")["data"]
    assert (charge["customer"], pi["customer"], [c["id"] for c in listed]) == (
        invoice["customer"],
        invoice["customer"],
        [charge["id"]],
    )
    checked_ledger()


@pytest.mark.parametrize("card", ["pm_card_visa", "pm_card_threeDSecure2Required"])
def test_a_payment_session_that_makes_its_customer_names_it_on_its_intent_and_charge(
    ok: Callable[..., Any], one_time: str, ledger_path: Any, checked_ledger: Any, card: str
) -> None:
    """Not only with invoice creation: `customer_creation=always` makes the customer
    once the payment succeeded (on the page, or when the bank's challenge is passed),
    and Stripe attaches the customer Checkout creates to the session's PaymentIntent:
    the intent and its charge name it, and the customer's charges list it."""
    made = ok("checkout", "sessions", "create", "--mode", "payment", "--price", one_time,
              "--customer-creation", "always", "--success-url", SUCCESS)  # fmt: skip
    secret = made["url"].rsplit("/c/", 1)[1]
    with Ledger(ledger_path) as ledger:
        outcome = completion.pay(ledger, secret, card, "ada@example.com")
        if not outcome.completed:
            assert outcome.next_url is not None
            confirmation.authenticate(
                ledger, outcome.next_url.rsplit("/authenticate/", 1)[1], succeeded=True
            )
    shown = ok("checkout", "sessions", "show", made["id"])
    assert (shown["status"], shown["invoice"]) == ("complete", None)
    cus = shown["customer"]
    assert cus is not None
    pi = ok("payment-intents", "show", shown["payment_intent"])
    charge = ok("charges", "show", pi["latest_charge"])
    assert (pi["customer"], charge["customer"]) == (cus, cus)
    listed = ok("charges", "list", "--customer", cus, "--all")["data"]
    assert [c["id"] for c in listed] == [charge["id"]]
    checked_ledger()


def test_ledger_check_reports_an_invoice_charge_of_another_customer_than_its_invoice(
    ok, one_time, customer, billcli, ledger_path
):
    """A charge that names an invoice names the invoice's customer (a card-paid invoice
    of billcli's, edited behind its back)."""
    cus = customer()
    ok("invoices", "items", "create", "--customer", cus, "--price", one_time)
    invoice = ok("invoices", "create", "--customer", cus, "--pending-items", "include")
    ok("invoices", "finalize", invoice["id"])
    paid = ok("invoices", "pay", invoice["id"])
    assert paid["status"] == "paid"
    other = customer(name="Bea")
    _edited(ledger_path, "UPDATE invoices SET customer = ? WHERE id = ?", other, invoice["id"])
    result = billcli("ledger", "check")
    assert result.code != 0
    assert paid["charge"] in result.out
    assert f"it pays {invoice['id']} of {other}, but names {cus}" in result.out


def test_a_post_payment_session_whose_product_was_archived_after_it_was_made_still_completes(
    ok: Callable[..., Any], one_time: str, fill_in: Any, checked_ledger: Any
) -> None:
    """Without `invoice_creation` such a session completes (the purchase was set up when
    the session was made: `prices.usable(set_up=True)`); with it, the invoice item the
    post-payment invoice makes refuses the inactive product, the card's charge is rolled
    back and the buyer can never pay."""
    made = ok("checkout", "sessions", "create", "--mode", "payment", "--price", one_time,
              *INVOICED)  # fmt: skip
    ok("products", "update", "manual", "--inactive")
    assert fill_in(made["url"]).status_code == 200
    shown = ok("checkout", "sessions", "show", made["id"])
    assert (shown["status"], shown["payment_status"]) == ("complete", "paid")
    assert ok("invoices", "show", shown["invoice"])["status"] == "paid"
    checked_ledger()
