"""Subscriptions taxed: the subscription's defaults and its items' own rates on every
renewal, proration and upcoming invoice; a proration credit carries the tax of what it
reverses, a charge the rates the item has once changed."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from tests.subscriptions.conftest import ts
from tests.taxes.conftest import by_rate, exclusive_tax, inclusive_taxes


def _pending(ok: Any, customer: str) -> list[dict[str, Any]]:
    return list(reversed(ok("invoices", "items", "list", "--customer", customer,
                            "--pending")["data"]))  # fmt: skip


def test_an_items_own_rates_win_over_the_subscriptions_defaults_on_every_renewal(
    ok, customer, catalog, rate, assert_valid, checked_ledger
) -> None:
    vat, reduced = rate("20"), rate("5", name="Reduced VAT")
    sub = ok("subscriptions", "create", "--customer", customer(), "--price", catalog["monthly"],
             "--price", f"{catalog['seat']}:2", "--default-tax-rate", vat,
             "--item-tax-rate", f"{catalog['seat']}={reduced}")  # fmt: skip
    assert_valid(sub)
    items = {i["price"]["id"]: i for i in sub["items"]["data"]}
    assert [r["id"] for r in sub["default_tax_rates"]] == [vat]
    assert [r["id"] for r in items[catalog["seat"]]["tax_rates"]] == [reduced]
    assert items[catalog["monthly"]]["tax_rates"] == []
    first = ok("invoices", "show", sub["latest_invoice"])
    assert [r["id"] for r in first["default_tax_rates"]] == [vat]
    expected = {vat: exclusive_tax(2000, "20"), reduced: exclusive_tax(2000, "5")}
    assert by_rate(first["total_tax_amounts"]) == expected
    assert first["total"] == 4000 + sum(expected.values())
    ok("invoices", "tick", "--to", "2027-03-01T00:00:00Z")
    renewal = ok("invoices", "show", ok("subscriptions", "show", sub["id"])["latest_invoice"])
    assert (renewal["billing_reason"], by_rate(renewal["total_tax_amounts"])) == (
        "subscription_cycle",
        expected,
    )
    seat_item = items[catalog["seat"]]["id"]
    ok("subscriptions", "update", sub["id"], "--item-tax-rate", f"{seat_item}=")
    shown = ok("subscriptions", "show", sub["id"])
    assert all(i["tax_rates"] == [] for i in shown["items"]["data"])
    checked_ledger()


def test_the_upcoming_invoice_is_the_renewal_to_the_cent_tax_included(
    ok, customer, catalog, rate, checked_ledger
) -> None:
    vat = rate("20", inclusive=True)
    levy = rate("2.5", name="Levy")
    sub = ok("subscriptions", "create", "--customer", customer(), "--price",
             f"{catalog['seat']}:3", "--default-tax-rate", vat, "--default-tax-rate",
             levy)  # fmt: skip
    upcoming = ok("invoices", "upcoming", "--customer", sub["customer"])
    carved = inclusive_taxes(3000, ["20"])[0]
    expected = {vat: carved, levy: exclusive_tax(3000 - carved, "2.5")}
    assert by_rate(upcoming["total_tax_amounts"]) == expected
    ok("invoices", "tick", "--to", "2027-03-01T00:00:00Z")
    renewal = ok("invoices", "show", ok("subscriptions", "show", sub["id"])["latest_invoice"])
    for field in ("subtotal", "subtotal_excluding_tax", "tax", "total", "total_excluding_tax",
                  "total_tax_amounts"):  # fmt: skip
        assert renewal[field] == upcoming[field], field
    checked_ledger()


def test_prorations_are_taxed_and_a_credit_keeps_the_rates_of_what_it_reverses(
    ok, customer, catalog, rate, checked_ledger
) -> None:
    """Seats 2 → 3 half-way through February, with the subscription's rate changed from
    20% to 21% in the same update: the credit for the unused time of 2 seats is taxed at
    20%, as the period it gives back was; the charge for 3 seats at 21%. The preview
    made with the same proration date shows the same tax."""
    old, new = rate("20"), rate("21", name="VAT (new)")
    ada = customer()
    sub = ok("subscriptions", "create", "--customer", ada, "--price", f"{catalog['seat']}:2",
             "--default-tax-rate", old)  # fmt: skip
    ok("invoices", "tick", "--to", "2027-02-14T12:00:00Z")
    at = str(ts("2027-02-14T12:00:00Z"))
    change = ("--quantity", "3", "--default-tax-rate", new, "--proration-date", at)
    preview = ok("invoices", "upcoming", "--customer", ada, "--subscription", sub["id"], *change)
    ok("subscriptions", "update", sub["id"], *change)
    credit, charge = _pending(ok, ada)
    assert credit["amount"] < 0 < charge["amount"]
    assert [r["id"] for r in credit["tax_rates"]] == [old]
    assert [r["id"] for r in charge["tax_rates"]] == [new]
    lines = {line["description"]: line for line in preview["lines"]["data"]}
    proration_lines = [lines[credit["description"]], lines[charge["description"]]]
    assert [by_rate(line["tax_amounts"]) for line in proration_lines] == [
        {old: exclusive_tax(credit["amount"], "20")},
        {new: exclusive_tax(charge["amount"], "21")},
    ]
    ok("invoices", "tick", "--to", "2027-03-01T00:00:00Z")
    renewal = ok("invoices", "show", ok("subscriptions", "show", sub["id"])["latest_invoice"])
    assert renewal["total_tax_amounts"] == preview["total_tax_amounts"]
    assert renewal["total"] == preview["total"]
    checked_ledger()


def test_a_change_of_tax_rates_alone_makes_no_proration(
    ok, customer, catalog, rate, checked_ledger
) -> None:
    vat = rate("20")
    ada = customer()
    sub = ok("subscriptions", "create", "--customer", ada, "--price", catalog["monthly"])
    ok("invoices", "tick", "--to", "2027-02-14T12:00:00Z")
    item = sub["items"]["data"][0]["id"]
    ok("subscriptions", "update", sub["id"], "--default-tax-rate", vat)
    ok("subscriptions", "update", sub["id"], "--item-tax-rate", f"{item}={vat}")
    assert _pending(ok, ada) == []
    checked_ledger()


def test_an_immediate_cancellation_credits_the_unused_time_with_its_tax(
    ok, customer, catalog, rate, checked_ledger
) -> None:
    """Cancelled with --prorate --invoice-now half-way: the final invoice credits the
    unused time at the rate the period was taxed, and the tax is negative with it."""
    vat = rate("20")
    ada = customer()
    sub = ok("subscriptions", "create", "--customer", ada, "--price", catalog["monthly"],
             "--default-tax-rate", vat)  # fmt: skip
    ok("invoices", "tick", "--to", "2027-02-14T12:00:00Z")
    ok("subscriptions", "cancel", sub["id"], "--prorate", "--invoice-now")
    final = ok("invoices", "show", ok("subscriptions", "show", sub["id"])["latest_invoice"])
    (line,) = final["lines"]["data"]
    assert line["amount"] < 0
    assert by_rate(final["total_tax_amounts"]) == {vat: exclusive_tax(line["amount"], "20")}
    assert final["total"] == line["amount"] + exclusive_tax(line["amount"], "20")
    checked_ledger()


def test_an_amount_only_credit_note_lowers_the_taxed_credit_for_the_unused_time(
    ok, customer, catalog, rate, checked_ledger
) -> None:
    """$20.00 a month at 20% exclusive is $24.00 paid; a credit note of $12.00 that names
    no line takes back half of it, $10.00 of the line and $2.00 of tax. Cancelled with
    --prorate --invoice-now half-way, the credit is the unused half of the $10.00 that
    stayed paid, net of tax, and is taxed at the period's rate."""
    vat = rate("20")
    ada = customer()
    sub = ok("subscriptions", "create", "--customer", ada, "--price", catalog["monthly"],
             "--default-tax-rate", vat)  # fmt: skip
    first = ok("invoices", "show", sub["latest_invoice"])
    assert first["total"] == 2000 + exclusive_tax(2000, "20")
    note = ok("credit-notes", "create", "--invoice", first["id"], "--amount", "12.00")
    assert (note["total"], by_rate(note["tax_amounts"])) == (1200, {vat: 200})
    ok("invoices", "tick", "--to", "2027-02-14T12:00:00Z")
    period = ok("subscriptions", "show", sub["id"])
    start, end = period["current_period_start"], period["current_period_end"]
    ok("subscriptions", "cancel", sub["id"], "--prorate", "--invoice-now")
    final = ok("invoices", "show", ok("subscriptions", "show", sub["id"])["latest_invoice"])
    (line,) = final["lines"]["data"]
    unused = Fraction(1000 * (end - ts("2027-02-14T12:00:00Z")), end - start)
    assert line["amount"] == -int(unused + Fraction(1, 2))
    assert by_rate(final["total_tax_amounts"]) == {vat: exclusive_tax(line["amount"], "20")}
    assert final["total"] == line["amount"] + exclusive_tax(line["amount"], "20")
    checked_ledger()
