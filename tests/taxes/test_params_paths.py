"""Tax on the paths issue 28 added to pricing a line: an item's own discount (tax on
what it leaves), a price's amount in another currency, a subscription's one-time
`add_invoice_items`, and an invoice of a subscription's pending items."""

from __future__ import annotations

from tests.taxes.conftest import by_rate, exclusive_tax


def test_an_items_own_discount_comes_before_its_tax(
    ok, customer, rate, assert_valid, checked_ledger
) -> None:
    """1000 with 10% off of its own, at 20%: the tax is on 900."""
    vat = rate("20")
    ok("coupons", "create", "--id", "tenoff", "--percent-off", "10", "--duration", "once")
    cus = customer()
    ok("invoices", "items", "create", "--customer", cus, "--amount", "1000", "--tax-rate", vat,
       "--coupon", "tenoff")  # fmt: skip
    draft = ok("invoices", "create", "--customer", cus, "--pending-items", "include")
    tax = exclusive_tax(900, "20")
    assert by_rate(draft["total_tax_amounts"]) == {vat: tax}
    assert draft["total_tax_amounts"][0]["taxable_amount"] == 900
    assert draft["total"] == 900 + tax
    assert_valid(ok("invoices", "finalize", draft["id"]))
    checked_ledger()


def test_a_currency_option_is_taxed_in_its_currency(
    ok, customer, rate, at_start, assert_valid, checked_ledger
) -> None:
    """A subscription billed in a price's other currency is taxed on that amount."""
    vat = rate("10")
    ok("products", "create", "--name", "Intl", "--id", "intl")
    price = ok("prices", "create", "--product", "intl", "--currency", "usd", "--unit-amount",
               "2000", "--recurring-interval", "month",
               "--currency-option", "eur:1800")["id"]  # fmt: skip
    sub = ok("subscriptions", "create", "--customer", customer(), "--price", price,
             "--currency", "eur", "--default-tax-rate", vat)  # fmt: skip
    invoice = ok("invoices", "show", sub["latest_invoice"])
    assert invoice["currency"] == "eur"
    assert by_rate(invoice["total_tax_amounts"]) == {vat: exclusive_tax(1800, "10")}
    assert invoice["total"] == 1800 + exclusive_tax(1800, "10")
    assert_valid(invoice)
    checked_ledger()


def test_add_invoice_items_are_taxed_on_the_first_invoice(
    ok, customer, rate, catalog, assert_valid, checked_ledger
) -> None:
    """The one-time item a subscription adds takes its invoice's default rates."""
    vat = rate("20")
    sub = ok("subscriptions", "create", "--customer", customer(), "--price", catalog["monthly"],
             "--add-invoice-item", catalog["setup"], "--default-tax-rate", vat)  # fmt: skip
    invoice = ok("invoices", "show", sub["latest_invoice"])
    lines = invoice["lines"]["data"]
    assert sorted(line["amount"] for line in lines) == [2000, 5000]
    assert all(by_rate(line["tax_amounts"]) == {vat: line["amount"] // 5} for line in lines)
    assert invoice["tax"] == 1400
    assert_valid(invoice)
    checked_ledger()


def test_an_invoice_of_a_subscriptions_pending_items_takes_its_default_rates(
    ok, customer, rate, catalog, checked_ledger
) -> None:
    vat = rate("20")
    cus = customer()
    sub = ok("subscriptions", "create", "--customer", cus, "--price", catalog["monthly"],
             "--default-tax-rate", vat)  # fmt: skip
    ok("invoices", "items", "create", "--customer", cus, "--amount", "500",
       "--subscription", sub["id"])  # fmt: skip
    invoice = ok("invoices", "create", "--customer", cus, "--subscription", sub["id"])
    assert [r["id"] for r in invoice["default_tax_rates"]] == [vat]
    assert invoice["tax"] == 100
    checked_ledger()
