"""Prorations and discounts, as Stripe's default `proration_discounts: included` makes
them (docs, "Prorations and discounts"): a proration's amount is net of the discount the
subscription had, `proration_details.discount_amounts` names it, prorations take no
invoice discount; and a credit for unused time is the part of what was paid for that
time, never more. Every amount here is recomputed from those rules, not read back."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from tests.subscriptions.conftest import ts

FEB_28, MAR_31 = ts("2027-02-28T12:00:00Z"), ts("2027-03-31T12:00:00Z")
PERIOD = MAR_31 - FEB_28


def share(amount: int, part: int, whole: int) -> int:
    """amount × part / whole, half away from zero."""
    exact = Fraction(abs(amount) * part, whole)
    magnitude = int(exact + Fraction(1, 2))
    return magnitude if amount >= 0 else -magnitude


@pytest.fixture
def plans(ok, catalog) -> dict[str, str]:
    ok("coupons", "create", "--id", "HALF", "--percent-off", "50", "--duration", "forever")
    ok("coupons", "create", "--id", "FIVE", "--amount-off", "500", "--currency", "usd",
       "--duration", "forever")  # fmt: skip
    hundred = ok("prices", "create", "--product", "pro", "--currency", "usd", "--unit-amount",
                 "10000", "--recurring-interval", "month")["id"]  # fmt: skip
    return catalog | {"hundred": hundred}


def in_march(ok, customer_id: str, price: str, *extra: str) -> dict[str, Any]:
    """A subscription from 31 January, in its second period (28 Feb → 31 Mar) on 10 March."""
    sub = ok("subscriptions", "create", "--customer", customer_id, "--price", price, *extra)
    ok("invoices", "tick", "--to", "2027-03-10T00:00:00Z")
    return dict(sub)


def newest_invoice(ok, customer_id: str) -> dict[str, Any]:
    return dict(ok("invoices", "list", "--customer", customer_id)["data"][0])


def credit_on_cancelling(ok, sub_id: str, customer_id: str) -> int:
    """What an immediate cancellation with --prorate credits (its one pending item)."""
    ok("subscriptions", "cancel", sub_id, "--prorate")
    (credit,) = pending(ok, customer_id)
    return int(credit["amount"])


def pending(ok, customer_id: str) -> list[dict[str, Any]]:
    listed = ok("invoices", "items", "list", "--customer", customer_id, "--pending")["data"]
    return sorted(listed, key=lambda i: i["amount"])


NOW = ts("2027-03-10T00:00:00Z")
LEFT = MAR_31 - NOW


def test_cancelling_under_a_half_off_coupon_credits_half_the_unused_time(
    ok, plans, customer, checked_ledger
) -> None:
    """The issue's case: paid 50.00 for the month (100.00 at 50% off), cancelled with
    --prorate --invoice-now after part of it: the credit is that part of 50.00."""
    cus = customer()
    sub = in_march(ok, cus, plans["hundred"], "--coupon", "HALF")
    march = newest_invoice(ok, cus)
    assert (march["total"], march["amount_paid"]) == (5000, 5000)
    ok("subscriptions", "cancel", sub["id"], "--prorate", "--invoice-now")
    final = newest_invoice(ok, cus)
    (line,) = final["lines"]["data"]
    assert line["amount"] == -share(5000, LEFT, PERIOD)
    assert line["discount_amounts"] == []  # a proration takes no invoice discount
    details = line["proration_details"]["discount_amounts"]
    assert [d["amount"] for d in details] == [
        share(10000, LEFT, PERIOD) - share(5000, LEFT, PERIOD)
    ]
    assert final["total"] == line["amount"]
    checked_ledger()


def test_an_upgrade_under_a_percent_coupon_is_charged_net_of_it(
    ok, plans, customer, assert_valid, checked_ledger
) -> None:
    cus = customer()
    sub = in_march(ok, cus, plans["hundred"], "--coupon", "HALF")
    ok("subscriptions", "update", sub["id"], "--quantity", "3")
    credit, debit = pending(ok, cus)
    for item in (credit, debit):
        assert_valid(item)
        assert (item["discountable"], item["proration"]) == (False, True)
    assert credit["amount"] == -share(5000, LEFT, PERIOD)
    assert debit["amount"] == share(15000, LEFT, PERIOD)
    discount_id = ok("subscriptions", "show", sub["id"])["discount"]["id"]
    assert debit["proration_details"]["discount_amounts"] == [
        {"amount": share(30000, LEFT, PERIOD) - share(15000, LEFT, PERIOD), "discount": discount_id}
    ]
    ok("invoices", "tick", "--to", "2027-04-01T00:00:00Z")
    april = newest_invoice(ok, cus)
    assert_valid(april)
    # the prorations as they are, the new period at 50% off
    assert april["total"] == credit["amount"] + debit["amount"] + 15000
    assert april["total_discount_amounts"][0]["amount"] == 15000
    checked_ledger()


def test_an_amount_off_coupon_is_split_over_the_items_before_prorating(
    ok, plans, customer, checked_ledger
) -> None:
    """$5.00 off a month of 1 × $100.00 + 2 × $10.00: 100/120 and 20/120 of it (floor,
    the rest to the last item), each item's share prorated with it."""
    cus = customer()
    sub = in_march(ok, cus, plans["hundred"], "--coupon", "FIVE")
    ok("subscriptions", "update", sub["id"], "--price", f"{plans['seat']}:2")
    (added,) = pending(ok, cus)
    first_share = 500 * 10000 // 12000
    seat_cut = 500 - first_share
    assert added["amount"] == share(2000 - seat_cut, LEFT, PERIOD)
    taken = added["proration_details"]["discount_amounts"][0]["amount"]
    assert taken == share(2000, LEFT, PERIOD) - added["amount"]
    checked_ledger()


def test_a_coupon_added_after_the_period_was_paid_leaves_the_credit_as_paid(
    ok, plans, customer, checked_ledger
) -> None:
    """Stripe's own answer (api-discuss, 2016): two seats paid in full, a 50% coupon
    added mid-period, a third seat: the unused time of the two is credited at what was
    paid (full price), the remaining time of the three is charged at 50% off."""
    cus = customer()
    sub = in_march(ok, cus, f"{plans['hundred']}:2")
    ok("subscriptions", "update", sub["id"], "--coupon", "HALF")
    assert pending(ok, cus) == []  # a discount alone prorates nothing
    ok("subscriptions", "update", sub["id"], "--quantity", "3")
    credit, debit = pending(ok, cus)
    assert credit["amount"] == -share(20000, LEFT, PERIOD)
    assert credit["proration_details"]["discount_amounts"] == []
    assert debit["amount"] == share(15000, LEFT, PERIOD)
    checked_ledger()


def test_a_credit_never_exceeds_what_was_paid_for_the_time(
    ok, plans, customer, checked_ledger
) -> None:
    """March was paid at $10.00 a seat; the price changed to $100.00 without a
    proration; a cancellation with --prorate credits the unused part of the $10.00 paid,
    not of $100.00 (Stripe's classic arithmetic would credit the price as it is now)."""
    cus = customer()
    sub = in_march(ok, cus, plans["seat"])
    item = sub["items"]["data"][0]["id"]
    ok("subscriptions", "update", sub["id"], "--item", f"{item}={plans['hundred']}",
       "--proration-behavior", "none")  # fmt: skip
    assert credit_on_cancelling(ok, sub["id"], cus) == -share(1000, LEFT, PERIOD)
    checked_ledger()


def test_a_credit_note_on_the_period_lowers_the_credit_for_its_unused_time(
    ok, plans, customer, checked_ledger
) -> None:
    """$40.00 of the $100.00 March line was given back by a credit note: cancelling with
    --prorate credits the unused part of the $60.00 that stayed paid."""
    cus = customer()
    sub = in_march(ok, cus, plans["hundred"])
    march = newest_invoice(ok, cus)
    line = march["lines"]["data"][0]["id"]
    ok("credit-notes", "create", "--invoice", march["id"], "--line", f"{line}:4000")
    assert credit_on_cancelling(ok, sub["id"], cus) == -share(6000, LEFT, PERIOD)
    checked_ledger()


def test_two_changes_in_one_period_credit_what_the_first_one_charged(
    ok, plans, customer, checked_ledger
) -> None:
    """Up to 3 seats on 10 March (at 50% off), down to 1 on 20 March: the second credit
    is the part of the first change's charge (and of the period's line, less its first
    credit) that falls after 20 March: 3 seats at 50% off, for that time."""
    cus = customer()
    sub = in_march(ok, cus, plans["seat"], "--coupon", "HALF")
    ok("subscriptions", "update", sub["id"], "--quantity", "3")
    first = pending(ok, cus)
    later = ts("2027-03-20T00:00:00Z")
    ok("invoices", "tick", "--to", "2027-03-20T00:00:00Z")
    ok("subscriptions", "update", sub["id"], "--quantity", "1")
    second = [i for i in pending(ok, cus) if i["id"] not in {f["id"] for f in first}]
    credit, debit = second
    exact = (
        Fraction(500 * (MAR_31 - later), PERIOD)  # the period line, 1 seat at 50% off
        - Fraction(abs(first[0]["amount"]) * (MAR_31 - later), LEFT)  # its first credit
        + Fraction(first[1]["amount"] * (MAR_31 - later), LEFT)  # the 3 seats charged
    )
    assert credit["amount"] == -int(exact + Fraction(1, 2))
    assert debit["amount"] == share(500, MAR_31 - later, PERIOD)
    checked_ledger()


def test_an_amount_only_credit_note_lowers_the_credit_for_the_unused_time(
    ok, plans, customer, checked_ledger
) -> None:
    """The reviewer's case: $100.00 paid for March, $80.00 of it refunded by a credit
    note that names no line. An immediate cancellation with --prorate --invoice-now
    credits the unused part of the $20.00 that stayed paid, so the customer is never
    given back more than they paid."""
    cus = customer()
    sub = in_march(ok, cus, plans["hundred"])
    march = newest_invoice(ok, cus)
    assert march["status"] == "paid"
    ok("credit-notes", "create", "--invoice", march["id"], "--amount", "80.00",
       "--refund-amount", "80.00")  # fmt: skip
    ok("subscriptions", "cancel", sub["id"], "--prorate", "--invoice-now")
    ok("invoices", "tick", "--by", "2h")
    final = newest_invoice(ok, cus)
    assert final["total"] == -share(2000, LEFT, PERIOD)
    balance = -ok("customers", "show", cus)["balance"]
    assert 8000 + balance <= 10000
    checked_ledger()


def test_an_amount_only_credit_note_takes_the_same_share_of_every_line(
    ok, plans, customer, checked_ledger
) -> None:
    """March billed $100.00 and $10.00; a credit note on a line took $40.00 of the first,
    and one for an amount, $35.00, half of the $70.00 left: each line stands for half of
    what it stood for, and the cancellation credits the unused part of $30.00 and
    $5.00."""
    cus = customer()
    sub = in_march(ok, cus, plans["hundred"], "--price", plans["seat"])
    march = newest_invoice(ok, cus)
    by_price = {line["price"]["id"]: line["id"] for line in march["lines"]["data"]}
    ok("credit-notes", "create", "--invoice", march["id"], "--line",
       f"{by_price[plans['hundred']]}:4000")  # fmt: skip
    ok("credit-notes", "create", "--invoice", march["id"], "--amount", "3500")
    ok("subscriptions", "cancel", sub["id"], "--prorate")
    credits = sorted(item["amount"] for item in pending(ok, cus))
    assert credits == [-share(3000, LEFT, PERIOD), -share(500, LEFT, PERIOD)]
    checked_ledger()


def test_a_voided_amount_only_credit_note_gives_the_credit_back(
    ok, plans, customer, checked_ledger
) -> None:
    """A credit note voided takes nothing back: the unused part of the whole $100.00
    (an invoice still open, the only kind whose credit notes can be voided)."""
    cus = customer()
    sub = in_march(ok, cus, plans["hundred"], "--collection-method", "send_invoice",
                   "--days-until-due", "30")  # fmt: skip
    march = newest_invoice(ok, cus)
    assert march["status"] == "open"
    note = ok("credit-notes", "create", "--invoice", march["id"], "--amount", "5000")
    ok("credit-notes", "void", note["id"])
    assert credit_on_cancelling(ok, sub["id"], cus) == -share(10000, LEFT, PERIOD)
    checked_ledger()


def test_a_credit_note_on_a_line_is_no_discount_on_the_credit_it_lowers(
    ok, plans, customer, checked_ledger
) -> None:
    """$40.00 of the March line given back by a credit note: the final invoice credits
    the unused part of $60.00 and names no discount on that credit (what the credit note
    took back was never a discount)."""
    cus = customer()
    sub = in_march(ok, cus, plans["hundred"])
    march = newest_invoice(ok, cus)
    line = march["lines"]["data"][0]["id"]
    ok("credit-notes", "create", "--invoice", march["id"], "--line", f"{line}:4000")
    ok("subscriptions", "cancel", sub["id"], "--prorate", "--invoice-now")
    final = newest_invoice(ok, cus)
    (credit,) = final["lines"]["data"]
    assert credit["amount"] == -share(6000, LEFT, PERIOD)
    assert credit["proration_details"]["discount_amounts"] == []
    checked_ledger()
