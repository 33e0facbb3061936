"""Worked examples of Stripe's tax rule on invoices, each recomputed here: exclusive and
inclusive rates, several rates on one line, discounts before tax, per-line rounding, the
customer's credit and the minimum charge acting on the total with tax."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.taxes.conftest import by_rate, exclusive_tax, half_up, inclusive_taxes


def _fields(invoice: dict[str, Any]) -> tuple[int, ...]:
    names = ("subtotal", "subtotal_excluding_tax", "tax", "total", "total_excluding_tax")
    return tuple(invoice[n] for n in names)


def test_an_exclusive_rate_is_added_to_the_line(
    ok, customer, rate, draft_with, assert_valid, checked_ledger
) -> None:
    """1000 at 20% exclusive: 200 of tax on top, 1200 due."""
    vat = rate("20")
    draft = draft_with(customer(), ("1000", [vat]))
    tax = exclusive_tax(1000, "20")
    assert _fields(draft) == (1000, 1000, tax, 1000 + tax, 1000)
    assert draft["total_tax_amounts"] == [
        {
            "amount": tax,
            "inclusive": False,
            "tax_rate": vat,
            "taxability_reason": None,
            "taxable_amount": 1000,
        }
    ]
    (line,) = draft["lines"]["data"]
    assert line["tax_amounts"] == draft["total_tax_amounts"]
    assert [r["id"] for r in line["tax_rates"]] == [vat]
    assert (line["amount"], line["amount_excluding_tax"]) == (1000, 1000)
    final = ok("invoices", "finalize", draft["id"])
    assert (final["amount_due"], final["tax"]) == (1000 + tax, tax)
    assert_valid(final)
    assert_valid(line)
    checked_ledger()


def test_an_inclusive_rate_is_carved_out_of_the_line(
    ok, customer, rate, draft_with, assert_valid, checked_ledger
) -> None:
    """1000 at 20% inclusive: the total stays 1000, of which 1000 × 20 / 120 is tax."""
    vat = rate("20", inclusive=True)
    draft = draft_with(customer(), ("1000", [vat]))
    (tax,) = inclusive_taxes(1000, ["20"])
    assert tax == 167
    assert _fields(draft) == (1000, 1000 - tax, tax, 1000, 1000 - tax)
    (line,) = draft["lines"]["data"]
    assert (line["amount"], line["amount_excluding_tax"]) == (1000, 1000 - tax)
    assert line["unit_amount_excluding_tax"] == str(1000 - tax)
    assert line["tax_amounts"] == [
        {
            "amount": tax,
            "inclusive": True,
            "tax_rate": vat,
            "taxability_reason": None,
            "taxable_amount": 1000 - tax,
        }
    ]
    assert_valid(ok("invoices", "finalize", draft["id"]))
    checked_ledger()


def test_several_rates_on_one_line_carve_the_inclusive_ones_then_add_the_rest(
    ok, customer, rate, draft_with, checked_ledger
) -> None:
    """10% and 5% inclusive and 8% exclusive on 1000: the inclusive ones share what
    1000 × 15 / 115 carves out, each rounded; the exclusive one taxes what is left."""
    gst = rate("10", inclusive=True, name="GST")
    pst = rate("5", inclusive=True, name="PST")
    levy = rate("8", name="Levy")
    draft = draft_with(customer(), ("1000", [gst, pst, levy]))
    carved = inclusive_taxes(1000, ["10", "5"])
    net = 1000 - sum(carved)
    added = exclusive_tax(net, "8")
    assert (carved, net, added) == ([87, 43], 870, 70)
    assert by_rate(draft["total_tax_amounts"]) == {gst: 87, pst: 43, levy: added}
    assert {t["taxable_amount"] for t in draft["total_tax_amounts"]} == {net}
    assert _fields(draft) == (1000, net, 87 + 43 + added, 1000 + added, net)
    checked_ledger()


def test_discounts_come_before_tax(ok, customer, rate, draft_with, checked_ledger) -> None:
    """A 10% coupon on 1000 and 333, then 20% exclusive: tax on 900 and 300 (333 less
    its 33), and the total is the subtotal less the discount plus that tax."""
    ok("coupons", "create", "--id", "TEN", "--percent-off", "10", "--duration", "forever")
    vat = rate("20")
    draft = draft_with(customer(), ("1000", []), ("333", []),
                       extra=("--coupon", "TEN", "--default-tax-rate", vat))  # fmt: skip
    cuts = [half_up(Decimal(a) / 10) for a in (1000, 333)]
    taxes = [exclusive_tax(a - c, "20") for a, c in zip((1000, 333), cuts, strict=True)]
    assert (cuts, taxes) == ([100, 33], [180, 60])
    assert draft["total_discount_amounts"][0]["amount"] == sum(cuts)
    assert draft["tax"] == sum(taxes)
    assert draft["total"] == 1333 - sum(cuts) + sum(taxes)
    assert draft["total_excluding_tax"] == 1333 - sum(cuts)
    taxable = [line["tax_amounts"][0]["taxable_amount"] for line in draft["lines"]["data"]]
    assert taxable == [900, 300]
    ok("invoices", "finalize", draft["id"])
    checked_ledger()


def test_tax_is_rounded_per_line_and_rate_never_on_the_sum(
    ok, customer, rate, draft_with, checked_ledger
) -> None:
    """Stripe's support table (43 and 484 at 15%: 6.45 → 6, 72.65 → 73, total 606),
    and three lines of 5 at 10% (0.5 each, rounded up to 1: 3, not the 2 that rounding
    their sum would give)."""
    tax15 = rate("15")
    draft = draft_with(customer(), ("43", [tax15]), ("484", [tax15]))
    assert [line["tax_amounts"][0]["amount"] for line in draft["lines"]["data"]] == [6, 73]
    assert (draft["tax"], draft["total"]) == (79, 606)
    tax10 = rate("10")
    bob = customer(name="Bob", email="bob@example.com")
    small = draft_with(bob, ("5", [tax10]), ("5", [tax10]), ("5", [tax10]))
    assert small["tax"] == 3 * exclusive_tax(5, "10") == 3
    assert exclusive_tax(15, "10") == 2
    checked_ledger()


def test_a_negative_line_has_negative_tax_rounded_away_from_zero(
    ok, customer, catalog, rate, checked_ledger
) -> None:
    """localstripe's one tax check: a −4900 item and a 20000 yearly subscription, both at
    8.5% exclusive, total 16383 (−416.5 rounds to −417)."""
    ada = customer()
    vat = rate("8.5")
    ok("invoices", "items", "create", "--customer", ada, "--amount", "-4900", "--tax-rate", vat)
    sub = ok("subscriptions", "create", "--customer", ada, "--price", catalog["yearly"],
             "--item-tax-rate", f"{catalog['yearly']}={vat}")  # fmt: skip
    first = ok("invoices", "show", sub["latest_invoice"])
    taxes = sorted(line["tax_amounts"][0]["amount"] for line in first["lines"]["data"])
    assert taxes == [exclusive_tax(-4900, "8.5"), exclusive_tax(20000, "8.5")] == [-417, 1700]
    assert (first["total"], first["amount_paid"], first["status"]) == (16383, 16383, "paid")
    checked_ledger()


def test_a_lines_own_rates_win_over_the_invoices_defaults(
    ok, customer, rate, draft_with, checked_ledger
) -> None:
    """An item with its own rate ignores the invoice's defaults; one without takes them;
    changing the draft's defaults retaxes only the lines without their own."""
    vat, gst, hst = rate("20"), rate("5", name="GST"), rate("13", name="HST")
    ada = customer()
    draft = draft_with(ada, ("1000", [vat]), ("2000", []), extra=("--default-tax-rate", gst))
    lines = draft["lines"]["data"]
    assert [by_rate(line["tax_amounts"]) for line in lines] == [{vat: 200}, {gst: 100}]
    assert [[r["id"] for r in line["tax_rates"]] for line in lines] == [[vat], []]
    assert [r["id"] for r in draft["default_tax_rates"]] == [gst]
    changed = ok("invoices", "update", draft["id"], "--default-tax-rate", hst)
    assert by_rate(changed["total_tax_amounts"]) == {vat: 200, hst: exclusive_tax(2000, "13")}
    assert changed["total"] == 3000 + 200 + 260
    cleared = ok("invoices", "update", draft["id"], "--default-tax-rate", "")
    assert (cleared["default_tax_rates"], cleared["tax"]) == ([], 200)
    final = ok("invoices", "finalize", draft["id"])
    assert final["total"] == 3200
    checked_ledger()


def test_the_customers_credit_and_the_minimum_charge_act_on_the_total_with_tax(
    ok, billcli, customer, rate, draft_with, checked_ledger
) -> None:
    """A credit of 5.00 against 10.00 + 20%: 7.00 due. 0.40 + 20% (0.48) is below the
    0.50 minimum: paid at once with an invoice_too_small debit of 0.48; 0.42 + 20%
    reaches 0.50 and is charged."""
    vat = rate("20")
    ada = customer()
    ok("customers", "update", ada, "--balance", "-500", "--currency", "usd")
    credited = ok("invoices", "finalize", draft_with(ada, ("1000", [vat]))["id"])
    assert (credited["total"], credited["amount_due"]) == (1200, 1200 - 500)
    bob = customer(card=None, name="Bob", email="bob@example.com")
    tiny = ok("invoices", "finalize", draft_with(bob, ("40", [vat]))["id"])
    owed = 40 + exclusive_tax(40, "20")
    assert (tiny["total"], tiny["amount_due"], tiny["status"]) == (owed, 0, "paid")
    debit = ok("balance", "list", bob)["data"][0]
    assert (debit["type"], debit["amount"]) == ("invoice_too_small", owed)
    cy = customer(card=None, name="Cy", email="cy@example.com")
    enough = ok("invoices", "finalize", draft_with(cy, ("42", [vat]))["id"])
    assert (enough["total"], enough["amount_due"], enough["status"]) == (50, 50, "open")
    checked_ledger()
