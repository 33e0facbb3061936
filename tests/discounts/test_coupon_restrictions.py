"""Coupons restricted to products (`applies_to`) or priced per currency
(`currency_options`), and invoice items with discounts of their own or none at all
(`discounts`, `discountable`): item-level discounts apply first, then the invoice's,
only to discountable lines it covers (Stripe's order, facts: "Precedence")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.discounts.conftest import percent_of


def invoice_lines(invoice: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {line["description"]: line for line in invoice["lines"]["data"]}


def test_a_coupon_restricted_to_a_product_discounts_only_its_lines(
    ok: Callable[..., Any],
    catalog: dict[str, str],
    customer: Callable[..., str],
    assert_valid: Callable[..., None],
    checked_ledger: Callable[[], None],
) -> None:
    coupon = ok("coupons", "create", "--id", "SEATS25", "--percent-off", "25",
                "--duration", "forever", "--applies-to", "seats")  # fmt: skip
    assert coupon["applies_to"] == {"products": ["seats"]}
    assert_valid(coupon)
    sub = ok("subscriptions", "create", "--customer", customer(), "--coupon", "SEATS25",
             "--price", catalog["monthly"], "--price", f"{catalog['seat']}:3")  # fmt: skip
    invoice = ok("invoices", "show", sub["latest_invoice"])
    seats_cut = percent_of(3 * 1000, "25")
    assert invoice["subtotal"] == 2000 + 3000
    assert invoice["total"] == 2000 + 3000 - seats_cut
    by_amount = {line["amount"]: line for line in invoice["lines"]["data"]}
    assert [d["amount"] for d in by_amount[3000]["discount_amounts"]] == [seats_cut]
    # A line the coupon does not cover shows it with nothing taken off.
    assert [d["amount"] for d in by_amount[2000]["discount_amounts"]] == [0]
    checked_ledger()


def test_an_amount_off_coupon_takes_its_amount_in_the_invoices_currency(
    ok: Callable[..., Any], catalog: dict[str, str], checked_ledger: Callable[[], None]
) -> None:
    coupon = ok("coupons", "create", "--id", "FIVE", "--amount-off", "500", "--currency", "usd",
                "--currency-option", "eur:400", "--duration", "forever")  # fmt: skip
    assert coupon["currency_options"] == {"eur": {"amount_off": 400}}
    euro = ok("customers", "create", "--name", "Émile", "--email", "e@example.com",
              "--currency", "eur", "--payment-method", "pm_card_visa",
              "--coupon", "FIVE")  # fmt: skip
    dollar = ok("customers", "create", "--name", "Dan", "--email", "d@example.com",
                "--payment-method", "pm_card_visa", "--coupon", "FIVE")  # fmt: skip
    in_eur = ok("subscriptions", "create", "--customer", euro["id"], "--price", catalog["eur"])
    in_usd = ok(
        "subscriptions", "create", "--customer", dollar["id"], "--price", catalog["monthly"]
    )
    assert ok("invoices", "show", in_eur["latest_invoice"])["total"] == 1800 - 400
    assert ok("invoices", "show", in_usd["latest_invoice"])["total"] == 2000 - 500
    checked_ledger()


def test_item_discounts_come_first_and_the_invoices_skips_undiscountable_items(
    ok: Callable[..., Any],
    customer: Callable[..., str],
    assert_valid: Callable[..., None],
    checked_ledger: Callable[[], None],
) -> None:
    ok("coupons", "create", "--id", "TEN", "--percent-off", "10")
    ok("coupons", "create", "--id", "TWENTY", "--percent-off", "20")
    cus = customer()
    own = ok("invoices", "items", "create", "--customer", cus, "--amount", "1000",
             "--description", "Own", "--coupon", "TEN")  # fmt: skip
    assert len(own["discounts"]) == 1 and own["discountable"] is True
    kept = ok("invoices", "items", "create", "--customer", cus, "--amount", "2000",
              "--description", "Kept", "--no-discountable")  # fmt: skip
    assert kept["discountable"] is False
    ok("invoices", "items", "create", "--customer", cus, "--amount", "3000",
       "--description", "Plain")  # fmt: skip
    invoice = ok("invoices", "create", "--customer", cus, "--pending-items", "include",
                 "--coupon", "TWENTY")  # fmt: skip
    assert_valid(invoice)
    own_net = 1000 - percent_of(1000, "10")
    invoice_cut = percent_of(own_net, "20") + percent_of(3000, "20")
    # The subtotal already holds item discounts; the invoice's comes off it.
    assert invoice["subtotal"] == own_net + 2000 + 3000
    assert invoice["total"] == invoice["subtotal"] - invoice_cut
    lines = invoice_lines(invoice)
    assert [d["amount"] for d in lines["Own"]["discount_amounts"]] == [
        percent_of(1000, "10"),
        percent_of(own_net, "20"),
    ]
    assert lines["Kept"]["discount_amounts"] == []
    assert [d["amount"] for d in invoice["total_discount_amounts"]] == [invoice_cut]
    paid = ok("invoices", "pay", ok("invoices", "finalize", invoice["id"])["id"])
    assert paid["amount_paid"] == invoice["total"]
    checked_ledger()


def test_a_coupon_off_a_product_discounts_no_item_without_a_price(
    ok: Callable[..., Any], catalog: dict[str, str], customer: Callable[..., str]
) -> None:
    ok("coupons", "create", "--id", "PRO", "--percent-off", "50", "--applies-to", "pro")
    cus = customer()
    ok("invoices", "items", "create", "--customer", cus, "--price", catalog["setup"])
    ok("invoices", "items", "create", "--customer", cus, "--amount", "700", "--description", "x")
    invoice = ok("invoices", "create", "--customer", cus, "--pending-items", "include",
                 "--coupon", "PRO")  # fmt: skip
    assert invoice["total"] == 5000 - percent_of(5000, "50") + 700
