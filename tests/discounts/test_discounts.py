"""Discounts: what a coupon takes off which lines, of which invoices, for how long.

Every amount is recomputed here: percentages with Decimal, rounded half away from
zero; amount-off coupons split in proportion, the floor of its share to each line but
the last, which gets the rest (billcli-decisions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ledger_digest
from tests.discounts.conftest import percent_of


def lines_of(invoice):
    return [
        (line["amount"], [d["amount"] for d in line["discount_amounts"]])
        for line in invoice["lines"]["data"]
    ]


def test_a_percentage_comes_off_each_line_rounded_half_away_from_zero(
    ok, at_start, customer, invoice_of, assert_valid, checked_ledger
) -> None:
    ok("coupons", "create", "--id", "QUARTER", "--percent-off", "25", "--duration", "forever")
    ada = customer()
    ok("customers", "update", ada, "--coupon", "QUARTER")
    amounts = [10000, 2001, 2002, 1]
    invoice = invoice_of(ada, *[(str(a), f"Line {a}") for a in amounts])
    cuts = [percent_of(a, "25") for a in amounts]
    assert cuts == [2500, 500, 501, 0]
    assert lines_of(invoice) == [(a, [c]) for a, c in zip(amounts, cuts, strict=True)]
    assert invoice["subtotal"] == sum(amounts)
    assert invoice["total"] == sum(amounts) - sum(cuts)
    assert invoice["total_discount_amounts"] == [
        {"amount": sum(cuts), "discount": invoice["discount"]["id"]}
    ]
    assert invoice["discounts"] == [invoice["discount"]["id"]]
    assert invoice["discount"]["customer"] == ada
    assert_valid(invoice)
    checked_ledger()


@pytest.mark.parametrize(
    ("off", "amounts", "expected"),
    [
        ("500", [1000, 2000], [166, 334]),  # Stripe's proration docs' example
        ("1000", [1000] * 10, [100] * 10),  # 10 lines of $10, $10 off: $1 each
        ("1000", [333, 333, 334], [333, 333, 334]),
        ("100", [1, 1, 1], [1, 1, 1]),  # capped at the lines' total
        ("700", [999, 1], [699, 1]),
    ],
)
def test_an_amount_is_split_in_proportion_the_last_line_taking_the_rest(
    ok, at_start, customer, invoice_of, off, amounts, expected, checked_ledger
) -> None:
    ok("coupons", "create", "--id", "FLAT", "--amount-off", off, "--currency", "usd")
    base = sum(amounts)
    taken = min(int(off), base)
    recomputed = [taken * a // base for a in amounts[:-1]]
    recomputed.append(taken - sum(recomputed))
    assert recomputed == expected
    ada = customer()
    invoice = invoice_of(
        ada, *[(str(a), f"Line {n}") for n, a in enumerate(amounts)], extra=("--coupon", "FLAT")
    )
    assert [cuts[0] for _, cuts in lines_of(invoice)] == expected
    assert invoice["total"] == base - taken
    assert invoice["discount"]["invoice"] == invoice["id"]
    checked_ledger()


def test_credit_lines_and_prorations_are_never_discounted(
    ok, at_start, catalog, customer, checked_ledger
) -> None:
    ok("coupons", "create", "--id", "HALF", "--percent-off", "50", "--duration", "forever")
    ada = customer()
    sub = ok(
        "subscriptions",
        "create",
        "--customer",
        ada,
        "--price",
        f"{catalog['seat']}:2",
        "--coupon",
        "HALF",
    )
    first = ok("invoices", "show", sub["latest_invoice"])
    assert first["total"] == 2000 - percent_of(2000, "50")
    ok("invoices", "tick", "--by", "10d")
    ok(
        "subscriptions",
        "update",
        sub["id"],
        "--quantity",
        "4",
        "--proration-behavior",
        "always_invoice",
    )
    latest = ok("invoices", "show", ok("subscriptions", "show", sub["id"])["latest_invoice"])
    prorations = [line for line in latest["lines"]["data"] if line["proration"]]
    assert len(prorations) == 2
    assert all(line["discount_amounts"] == [] and not line["discountable"] for line in prorations)
    assert latest["total"] == latest["subtotal"] == sum(line["amount"] for line in prorations)
    ok(
        "invoices",
        "items",
        "create",
        "--customer",
        ada,
        "--amount",
        "-700",
        "--description",
        "Goodwill",
    )
    ok(
        "invoices",
        "items",
        "create",
        "--customer",
        ada,
        "--amount",
        "1000",
        "--description",
        "Extra",
    )
    draft = ok("invoices", "create", "--customer", ada, "--pending-items", "include")
    assert lines_of(draft) == [(-700, []), (1000, [])]  # the customer has no discount of their own
    checked_ledger()


def test_a_subscriptions_discount_overrides_the_customers(
    ok, at_start, catalog, customer, invoice_of, checked_ledger
) -> None:
    ok("coupons", "create", "--id", "TEN", "--percent-off", "10", "--duration", "forever")
    ok("coupons", "create", "--id", "FIFTY", "--percent-off", "50", "--duration", "forever")
    ada = customer()
    ok("customers", "update", ada, "--coupon", "TEN")
    sub = ok(
        "subscriptions",
        "create",
        "--customer",
        ada,
        "--price",
        catalog["monthly"],
        "--coupon",
        "FIFTY",
    )
    assert (
        sub["discount"]["coupon"]["id"] == "FIFTY" and sub["discount"]["subscription"] == sub["id"]
    )
    first = ok("invoices", "show", sub["latest_invoice"])
    assert first["total"] == 2000 - percent_of(2000, "50")
    one_off = invoice_of(ada, ("3000", "Setup"))
    assert one_off["total"] == 3000 - percent_of(3000, "10")
    ok("subscriptions", "update", sub["id"], "--remove-discount")
    ok("invoices", "tick", "--to", "2027-02-28T13:30:00Z")
    renewal = ok("invoices", "show", ok("subscriptions", "show", sub["id"])["latest_invoice"])
    assert renewal["total"] == 2000 - percent_of(2000, "10")  # back to the customer's
    checked_ledger()


def test_a_once_coupon_discounts_one_invoice_then_ends(
    ok, at_start, customer, invoice_of, events, checked_ledger
) -> None:
    ok("coupons", "create", "--id", "FIRST", "--amount-off", "1000", "--currency", "usd")
    ada = customer()
    ok("customers", "update", ada, "--coupon", "FIRST")
    first = invoice_of(ada, ("5000", "Work"))
    assert first["total"] == 4000
    assert ok("customers", "show", ada)["discount"] is None
    (deleted,) = events("customer.discount.deleted")
    assert deleted["data"]["object"]["deleted"] is True
    assert deleted["data"]["object"]["coupon"]["id"] == "FIRST"
    second = invoice_of(ada, ("5000", "More work"))
    assert (second["total"], second["discount"]) == (5000, None)
    assert ok("invoices", "show", first["id"])["discount"]["coupon"]["id"] == "FIRST"
    checked_ledger()


def test_a_repeating_coupon_stops_after_its_months_on_the_ledger_clock(
    ok, at_start, catalog, customer, checked_ledger
) -> None:
    ok(
        "coupons",
        "create",
        "--id",
        "THREE",
        "--percent-off",
        "20",
        "--duration",
        "repeating",
        "--duration-in-months",
        "3",
    )
    sub = ok(
        "subscriptions",
        "create",
        "--customer",
        customer(),
        "--price",
        catalog["monthly"],
        "--coupon",
        "THREE",
    )
    assert sub["discount"]["end"] == sub["discount"]["start"] + (28 + 31 + 30) * 86400  # Apr 30
    ok("invoices", "tick", "--to", "2027-06-01T00:00:00Z")
    invoices = ok("invoices", "list", "--all")["data"]
    totals = sorted((i["created"], i["total"]) for i in invoices)
    assert [t for _, t in totals] == [1600, 1600, 1600, 2000, 2000]  # Jan, Feb, Mar; Apr, May
    assert ok("subscriptions", "show", sub["id"])["discount"] is None
    checked_ledger()


def test_the_discount_comes_off_before_the_customer_balance(
    ok, at_start, customer, invoice_of, checked_ledger
) -> None:
    ok("coupons", "create", "--id", "QUARTER", "--percent-off", "25")
    ada = customer()
    ok("customers", "update", ada, "--balance", "-1000", "--currency", "usd", "--coupon", "QUARTER")
    invoice = invoice_of(ada, ("4000", "Work"))
    assert (invoice["total"], invoice["starting_balance"], invoice["amount_due"]) == (
        3000,
        -1000,
        2000,
    )
    assert ok("customers", "show", ada)["balance"] == 0
    checked_ledger()


def test_the_upcoming_invoice_shows_the_discount_and_the_renewal_agrees(
    ok, at_start, catalog, customer, checked_ledger
) -> None:
    ok("coupons", "create", "--id", "TEN", "--percent-off", "10", "--duration", "forever")
    ada = customer()
    sub = ok(
        "subscriptions",
        "create",
        "--customer",
        ada,
        "--price",
        f"{catalog['seat']}:3",
        "--coupon",
        "TEN",
    )
    upcoming = ok("invoices", "upcoming", "--customer", ada)
    assert upcoming["total"] == 3000 - percent_of(3000, "10")
    assert upcoming["discount"]["id"] == sub["discount"]["id"]
    ok("invoices", "tick", "--to", "2027-02-28T13:30:00Z")
    renewal = ok("invoices", "show", ok("subscriptions", "show", sub["id"])["latest_invoice"])
    for key in ("subtotal", "total", "amount_due", "total_discount_amounts"):
        assert renewal[key] == upcoming[key], key
    checked_ledger()


def test_a_new_coupon_replaces_the_discount_and_removal_ends_it(
    ok, billcli, at_start, customer, events, assert_valid, ledger_path: Path
) -> None:
    ok("coupons", "create", "--id", "A", "--percent-off", "10", "--duration", "forever")
    ok("coupons", "create", "--id", "B", "--percent-off", "20", "--duration", "forever")
    ada = customer()
    created = ok("customers", "update", ada, "--coupon", "A")["discount"]
    assert_valid(created)
    replaced = ok("customers", "update", ada, "--coupon", "B")["discount"]
    (update,) = events("customer.discount.updated")
    assert update["data"]["object"]["id"] == replaced["id"]
    assert update["data"]["previous_attributes"]["id"] == created["id"]
    assert update["data"]["previous_attributes"]["coupon"]["id"] == "A"
    cleared = ok("customers", "update", ada, "--remove-discount")
    assert cleared["discount"] is None
    (deleted,) = events("customer.discount.deleted")
    assert_valid(deleted["data"]["object"])
    before = ledger_digest(ledger_path)
    again = billcli("customers", "update", ada, "--remove-discount", "--json")
    assert (again.code, again.json["error"]["param"]) == (6, "discount")
    both = billcli("customers", "update", ada, "--coupon", "A", "--remove-discount", "--json")
    assert (both.code, both.json["error"]["param"]) == (1, "coupon")
    assert ledger_digest(ledger_path) == before
    assert [
        e["type"]
        for e in reversed(ok("events", "list", "--limit", "20")["data"])
        if e["type"].startswith("customer.discount")
    ] == ["customer.discount.created", "customer.discount.updated", "customer.discount.deleted"]


def test_an_amount_off_coupon_of_another_currency_is_refused(
    ok, billcli, at_start, customer, ledger_path: Path
) -> None:
    ok("coupons", "create", "--id", "EUR5", "--amount-off", "500", "--currency", "eur")
    ada = customer()
    ok("invoices", "items", "create", "--customer", ada, "--amount", "1000", "--currency", "usd")
    before = ledger_digest(ledger_path)
    refused = billcli("invoices", "create", "--customer", ada, "--coupon", "EUR5", "--json")
    assert (refused.code, refused.json["error"]["param"]) == (1, "coupon")
    assert "eur" in refused.json["error"]["message"] and "usd" in refused.json["error"]["message"]
    assert billcli("customers", "update", ada, "--coupon", "EUR5").code == 1
    assert billcli("customers", "update", ada, "--coupon", "NOPE").code == 6
    assert ledger_digest(ledger_path) == before


def test_ledger_check_names_a_discount_that_does_not_reconcile(
    ok, billcli, at_start, customer, invoice_of, ledger_path: Path
) -> None:
    from tests.conftest import raw_connection

    ok("coupons", "create", "--id", "TEN", "--percent-off", "10")
    invoice = invoice_of(customer(), ("10000", "Work"))
    conn = raw_connection(ledger_path)
    conn.execute(
        "UPDATE invoice_items SET discount_amount = 900 WHERE invoice = ?", [invoice["id"]]
    )
    conn.commit()
    conn.close()
    done = billcli("ledger", "check", "--json")
    assert done.code == 1
    messages = [p["message"] for p in done.json["problems"]]
    assert any("less its lines' discounts (900)" in m for m in messages), messages


def test_a_once_coupon_on_a_subscription_discounts_its_first_invoice_only(
    ok, at_start, catalog, customer, events, checked_ledger
) -> None:
    ok("coupons", "create", "--id", "HELLO", "--percent-off", "100")
    sub = ok(
        "subscriptions",
        "create",
        "--customer",
        customer(),
        "--price",
        catalog["monthly"],
        "--coupon",
        "HELLO",
    )
    first = ok("invoices", "show", sub["latest_invoice"])
    assert (first["total"], first["status"]) == (0, "paid")
    assert sub["discount"] is None and sub["status"] == "active"
    ok("invoices", "tick", "--to", "2027-02-28T13:30:00Z")
    renewed = ok("subscriptions", "show", sub["id"])
    assert ok("invoices", "show", renewed["latest_invoice"])["total"] == 2000
    (deleted,) = events("customer.discount.deleted")
    assert deleted["data"]["object"]["subscription"] == sub["id"]
    checked_ledger()
