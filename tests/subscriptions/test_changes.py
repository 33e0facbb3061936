"""Changing subscriptions: prorations to the second, immediate invoices, cancellation,
pauses (the previews of every change: test_previews.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ledger_digest
from tests.subscriptions.conftest import ts

FEB_28 = ts("2027-02-28T12:00:00Z")
MAR_31 = ts("2027-03-31T12:00:00Z")


def rounded(amount: int, part: int, whole: int) -> int:
    """amount × part / whole, half away from zero, computed here with fractions."""
    from fractions import Fraction

    exact = Fraction(abs(amount) * part, whole)
    magnitude = int(exact) + (1 if exact - int(exact) >= Fraction(1, 2) else 0)
    return magnitude if amount >= 0 else -magnitude


@pytest.fixture
def subscribed(ok, catalog, customer) -> dict[str, Any]:
    """A monthly subscription of 2 × $20.00 in its second period (Feb 28 → Mar 31: 31 days)."""
    cus = customer()
    sub = ok("subscriptions", "create", "--customer", cus, "--price", f"{catalog['monthly']}:2")
    ok("invoices", "tick", "--to", "2027-03-05T00:00:00Z")
    return {"customer": cus, "sub": sub["id"], "item": sub["items"]["data"][0]["id"]}


def pending(ok: Callable[..., Any], customer: str) -> list[dict[str, Any]]:
    listed = ok("invoices", "items", "list", "--customer", customer, "--pending")["data"]
    return sorted(listed, key=lambda i: i["amount"])


def test_the_worked_example_of_stripes_proration_docs(ok, catalog, customer) -> None:
    """31-day period, 445,540 s left: $10.00 → −$1.66, $32.52 → +$5.41 (facts §3)."""
    ten = ok(
        "prices",
        "create",
        "--product",
        "pro",
        "--currency",
        "usd",
        "--unit-amount",
        "1000",
        "--recurring-interval",
        "month",
    )["id"]
    dearer = ok(
        "prices",
        "create",
        "--product",
        "pro",
        "--currency",
        "usd",
        "--unit-amount",
        "3252",
        "--recurring-interval",
        "month",
    )["id"]
    cus = customer()
    sub = ok("subscriptions", "create", "--customer", cus, "--price", ten)
    ok("invoices", "tick", "--to", "2027-03-01T00:00:00Z")
    when = MAR_31 - 445_540
    item = sub["items"]["data"][0]["id"]
    ok(
        "subscriptions",
        "update",
        sub["id"],
        "--item",
        f"{item}={dearer}",
        "--proration-date",
        str(when),
    )
    assert [i["amount"] for i in pending(ok, cus)] == [-166, 541]


def test_more_seats_credit_the_unused_time_and_charge_the_remaining_time(
    ok, subscribed, assert_valid, checked_ledger
) -> None:
    now = ts("2027-03-05T00:00:00Z")
    ok("subscriptions", "update", subscribed["sub"], "--quantity", "5")
    credit, debit = pending(ok, subscribed["customer"])
    left, period = MAR_31 - now, MAR_31 - FEB_28
    assert credit["amount"] == rounded(-4000, left, period)
    assert debit["amount"] == rounded(10000, left, period)
    assert credit["description"] == "Unused time on 2 × Pro plan after 5 Mar 2027"
    assert debit["description"] == "Remaining time on 5 × Pro plan after 5 Mar 2027"
    for item in (credit, debit):
        assert_valid(item)
        assert (item["proration"], item["discountable"], item["invoice"]) == (True, False, None)
        assert item["period"] == {"start": now, "end": MAR_31}
    ok("invoices", "tick", "--to", "2027-04-01T00:00:00Z")
    renewal = ok("invoices", "list", "--customer", subscribed["customer"])["data"][0]
    lines = renewal["lines"]["data"]
    assert [line["proration"] for line in lines] == [True, True, False]  # prorations first
    assert renewal["total"] == credit["amount"] + debit["amount"] + 10000
    checked_ledger()


def test_proration_none_changes_the_next_period_only(ok, subscribed, catalog) -> None:
    ok(
        "subscriptions",
        "update",
        subscribed["sub"],
        "--quantity",
        "5",
        "--proration-behavior",
        "none",
    )
    assert pending(ok, subscribed["customer"]) == []
    preview = ok("invoices", "upcoming", "--customer", subscribed["customer"])
    assert preview["amount_due"] == 10000


def test_removing_an_item_credits_its_unused_time(ok, subscribed, catalog) -> None:
    ok("subscriptions", "update", subscribed["sub"], "--price", f"{catalog['seat']}:3")
    (added,) = pending(ok, subscribed["customer"])
    left, period = MAR_31 - ts("2027-03-05T00:00:00Z"), MAR_31 - FEB_28
    assert added["amount"] == rounded(3000, left, period)
    seat_item = next(
        i["id"]
        for i in ok("subscriptions", "show", subscribed["sub"])["items"]["data"]
        if i["price"]["id"] == catalog["seat"]
    )
    ok("subscriptions", "update", subscribed["sub"], "--remove-item", seat_item)
    amounts = [i["amount"] for i in pending(ok, subscribed["customer"])]
    assert amounts == [rounded(-3000, left, period), added["amount"]]


def test_always_invoice_bills_the_prorations_at_once(ok, subscribed, checked_ledger) -> None:
    shown = ok(
        "subscriptions",
        "update",
        subscribed["sub"],
        "--quantity",
        "3",
        "--proration-behavior",
        "always_invoice",
    )
    invoice = ok("invoices", "show", shown["latest_invoice"])
    assert (invoice["billing_reason"], invoice["status"]) == ("subscription_update", "paid")
    left, period = MAR_31 - ts("2027-03-05T00:00:00Z"), MAR_31 - FEB_28
    assert invoice["total"] == rounded(-4000, left, period) + rounded(6000, left, period)
    assert pending(ok, subscribed["customer"]) == []
    checked_ledger()


def test_monthly_to_yearly_starts_a_new_year_now_and_invoices_it(
    ok, subscribed, catalog, checked_ledger
) -> None:
    now = ts("2027-03-05T00:00:00Z")
    shown = ok(
        "subscriptions",
        "update",
        subscribed["sub"],
        "--item",
        f"{subscribed['item']}={catalog['yearly']}:1",
    )
    assert (shown["billing_cycle_anchor"], shown["current_period_start"]) == (now, now)
    assert shown["current_period_end"] == ts("2028-03-05T00:00:00Z")
    invoice = ok("invoices", "show", shown["latest_invoice"])
    credit = rounded(-4000, MAR_31 - now, MAR_31 - FEB_28)
    assert [line["amount"] for line in invoice["lines"]["data"]] == [credit, 20000]
    assert invoice["status"] == "paid" and invoice["amount_paid"] == 20000 + credit
    checked_ledger()


def test_a_trial_ended_now_starts_the_paid_period_now(
    ok, catalog, customer, checked_ledger
) -> None:
    sub = ok(
        "subscriptions",
        "create",
        "--customer",
        customer(),
        "--price",
        catalog["monthly"],
        "--trial-days",
        "30",
    )
    ok("invoices", "tick", "--by", "2d")
    ended = ok("subscriptions", "update", sub["id"], "--trial-end", "now")
    now = ts("2027-02-02T12:00:00Z")
    assert (ended["status"], ended["trial_end"], ended["current_period_start"]) == (
        "active",
        now,
        now,
    )
    invoice = ok("invoices", "show", ended["latest_invoice"])
    assert (invoice["total"], invoice["status"]) == (2000, "paid")  # nothing to credit: free
    checked_ledger()


def test_cancel_with_prorate_and_invoice_now_credits_the_unused_time_at_once(
    ok, subscribed, checked_ledger
) -> None:
    canceled = ok("subscriptions", "cancel", subscribed["sub"], "--prorate", "--invoice-now")
    assert canceled["status"] == "canceled"
    final = ok("invoices", "list", "--customer", subscribed["customer"])["data"][0]
    left, period = MAR_31 - ts("2027-03-05T00:00:00Z"), MAR_31 - FEB_28
    assert final["total"] == rounded(-4000, left, period)
    ok("invoices", "tick", "--by", "2h")
    customer = ok("customers", "show", subscribed["customer"])
    assert customer["balance"] == rounded(-4000, left, period)  # credited to the balance
    checked_ledger()


def test_cancel_with_prorate_alone_leaves_the_credit_for_the_customers_next_invoice(
    ok, subscribed, checked_ledger
) -> None:
    """Stripe: `prorate` makes the credit proration item; without `invoice_now` it waits
    on the customer, and their next invoice carries it."""
    ok("subscriptions", "cancel", subscribed["sub"], "--prorate")
    left, period = MAR_31 - ts("2027-03-05T00:00:00Z"), MAR_31 - FEB_28
    (credit,) = pending(ok, subscribed["customer"])
    assert (credit["amount"], credit["proration"]) == (rounded(-4000, left, period), True)
    assert credit["description"] == "Unused time on 2 × Pro plan after 5 Mar 2027"
    ok("invoices", "items", "create", "--customer", subscribed["customer"], "--amount", "5000")
    nxt = ok("invoices", "create", "--customer", subscribed["customer"], "--pending-items",
             "include")  # fmt: skip
    assert sorted(line["amount"] for line in nxt["lines"]["data"]) == [credit["amount"], 5000]
    assert nxt["total"] == 5000 + credit["amount"]
    checked_ledger()


def test_cancel_without_invoice_now_drops_pending_prorations(ok, subscribed) -> None:
    ok("subscriptions", "update", subscribed["sub"], "--quantity", "4")
    assert len(pending(ok, subscribed["customer"])) == 2
    ok("subscriptions", "cancel", subscribed["sub"])
    assert pending(ok, subscribed["customer"]) == []


def test_cancellation_stops_collection_of_unpaid_invoices(ok, catalog, customer) -> None:
    cus = customer()
    sub = ok("subscriptions", "create", "--customer", cus, "--price", catalog["monthly"])
    ok("customers", "update", cus, "--payment-method", "pm_card_chargeCustomerFail")
    ok("invoices", "tick", "--to", "2027-03-01T00:00:00Z")
    ok("subscriptions", "cancel", sub["id"])
    open_renewal = ok("invoices", "list", "--customer", cus, "--status", "open")["data"][0]
    assert (open_renewal["auto_advance"], open_renewal["next_payment_attempt"]) == (False, None)


def test_a_cancellation_at_period_end_can_be_taken_back(ok, subscribed, checked_ledger) -> None:
    ok("subscriptions", "update", subscribed["sub"], "--cancel-at-period-end")
    kept = ok("subscriptions", "update", subscribed["sub"], "--no-cancel-at-period-end")
    assert (kept["cancel_at_period_end"], kept["canceled_at"]) == (False, None)
    ok("invoices", "tick", "--to", "2027-04-01T00:00:00Z")
    assert ok("subscriptions", "show", subscribed["sub"])["status"] == "active"
    checked_ledger()


@pytest.mark.parametrize(
    ("behavior", "status"),
    [("keep_as_draft", "draft"), ("mark_uncollectible", "uncollectible"), ("void", "void")],
)
def test_paused_collection_keeps_renewing_without_collecting(
    ok, subscribed, behavior, status, events, checked_ledger
) -> None:
    ok(
        "subscriptions",
        "update",
        subscribed["sub"],
        "--pause-collection",
        behavior,
        "--resumes-at",
        "2027-04-15T00:00:00Z",
    )
    ok("invoices", "tick", "--to", "2027-04-02T00:00:00Z")
    renewal = ok("invoices", "list", "--customer", subscribed["customer"])["data"][0]
    assert (renewal["status"], renewal["amount_paid"]) == (status, 0)
    assert ok("subscriptions", "show", subscribed["sub"])["status"] == "active"
    ok("invoices", "tick", "--to", "2027-04-15T00:00:00Z")
    assert ok("subscriptions", "show", subscribed["sub"])["pause_collection"] is None
    assert not events("customer.subscription.paused")  # pause_collection: updates only
    checked_ledger()


BAD_CHANGES = [
    (
        ["--proration-date", "2027-01-01T00:00:00Z", "--quantity", "3"],
        1,
        "proration_date",
        "outside the current period",
    ),
    (["--price", "{eur}"], 1, "items[0][price]", "bills in usd"),
    (["--price", "{weekly}"], 1, "items", "currency and interval must match"),
    (["--remove-item", "{item}"], 1, "items", "no item left"),
    (["--remove-item", "si_" + "0" * 24], 6, "remove_item[0]", "No such subscription_item"),
    (["--price", "{monthly}"], 1, "items[1][price]", "would be on two items"),
    (["--quantity", "-2"], 1, "quantity", "cannot be negative"),
    (["--pause-collection", "forever"], 1, "pause_collection", "forever"),
    (["--pause-collection", "void", "--resumes-at", "2027-01-01"], 1, "resumes_at", "future"),
    (["--resumes-at", "2028-01-01"], 1, "resumes_at", "--pause-collection"),
    (["--billing-cycle-anchor", "someday"], 1, "billing_cycle_anchor", "now or unchanged"),
    (["--cancel-at", "2027-01-01"], 1, "cancel_at", "future"),
    (["--trial-end", "someday"], 1, "trial_end", "ISO 8601"),
    (["--trial-end", "2027-12-01"], 1, "trial_end", "only a trial can be extended"),
    (["--coupon", "NOPE"], 6, "coupon", "No such coupon"),
    (
        ["--proration-behavior", "none", "--proration-date", "2027-03-10"],
        1,
        "proration_date",
        "not with",
    ),
]


@pytest.mark.parametrize("command", ["update", "preview"])
@pytest.mark.parametrize(("args", "code", "param", "message"), BAD_CHANGES)
def test_bad_changes_are_refused_naming_the_parameter_and_write_nothing(
    billcli, subscribed, catalog, ledger_path: Path, command, args, code, param, message
) -> None:
    """`subscriptions update` and `invoices upcoming` (its preview) refuse alike."""
    before = ledger_digest(ledger_path)
    names = catalog | {"item": subscribed["item"]}
    given = [a.format(**names) for a in args]
    if command == "update":
        done = billcli("subscriptions", "update", subscribed["sub"], *given, "--json")
    else:
        done = billcli("invoices", "upcoming", "--customer", subscribed["customer"],
                       "--subscription", subscribed["sub"], *given, "--json")  # fmt: skip
    assert done.code == code, done.err
    assert done.json["error"]["param"] == param and message in done.err
    assert len(done.err.strip().splitlines()) == 1
    assert ledger_digest(ledger_path) == before


@pytest.mark.parametrize(
    "change",
    [
        ["--quantity", "5"],
        ["--item", "{item}={yearly}"],
        ["--billing-cycle-anchor", "now"],
        ["--quantity", "3", "--proration-behavior", "always_invoice"],
        ["--cancel-at-period-end"],
        ["--pause-collection", "void"],
        ["--coupon", "TENTH"],
    ],
)
def test_a_preview_writes_nothing_even_when_the_change_would_invoice_and_charge(
    ok, billcli, subscribed, catalog, ledger_path: Path, change
) -> None:
    ok("coupons", "create", "--id", "TENTH", "--percent-off", "10", "--duration", "forever")
    before = ledger_digest(ledger_path)
    given = [a.format(item=subscribed["item"], yearly=catalog["yearly"]) for a in change]
    done = billcli("invoices", "upcoming", "--customer", subscribed["customer"],
                   "--subscription", subscribed["sub"], *given, "--json")  # fmt: skip
    assert done.code in (0, 6), done.err
    assert ledger_digest(ledger_path) == before


def test_an_ended_subscription_cannot_change_or_pause(ok, billcli, subscribed, ledger_path) -> None:
    ok("subscriptions", "cancel", subscribed["sub"])
    before = ledger_digest(ledger_path)
    for args in (["--quantity", "3"], ["--pause-collection", "void"], ["--metadata", "a=b"]):
        done = billcli("subscriptions", "update", subscribed["sub"], *args)
        assert done.code == 1 and "an ended subscription cannot be updated" in done.err
    again = billcli("subscriptions", "cancel", subscribed["sub"])
    assert again.code == 1 and "already canceled" in again.err
    assert ledger_digest(ledger_path) == before


def test_upcoming_with_nothing_to_preview_is_exit_6(ok, billcli, customer, at_start) -> None:
    cus = customer()
    done = billcli("invoices", "upcoming", "--customer", cus, "--json")
    assert done.code == 6
    assert done.json["error"]["code"] == "invoice_upcoming_none"
    assert done.json["error"]["message"] == f"No upcoming invoices for customer: {cus}"


def test_an_item_change_lists_the_old_items_in_previous_attributes(ok, subscribed, events) -> None:
    ok("subscriptions", "update", subscribed["sub"], "--quantity", "7")
    update = events("customer.subscription.updated")[-1]
    previous = update["data"]["previous_attributes"]
    assert previous["quantity"] == 2
    assert previous["items"]["data"][0]["quantity"] == 2
    assert update["data"]["object"]["items"]["data"][0]["quantity"] == 7


@pytest.fixture
def lane() -> Any:
    """Make the next ids sort as if another process wrote them (its own lane)."""
    from billcli.core import ids

    def use(chars: str) -> None:
        ids._source.reseed()
        ids._source.lane, ids._source.head = chars, ""

    yield use
    ids._source.forget()


@pytest.mark.parametrize(
    "second",
    [
        ["update", "--item", "{item}={yearly}:1"],
        ["update", "--quantity", "3", "--proration-behavior", "always_invoice"],
        ["cancel", "--prorate", "--invoice-now"],
    ],
)
def test_ledger_check_orders_invoices_made_in_one_second_by_the_ledger_not_by_id(
    ok, billcli, catalog, customer, lane, second
) -> None:
    """The first invoice's id sorts after the second's (another process, another lane),
    both in the same ledger second: the second is still the newest."""
    lane("zzzzz")
    sub = ok("subscriptions", "create", "--customer", customer(), "--price", catalog["monthly"])
    lane("00000")
    item = sub["items"]["data"][0]["id"]
    args = [a.format(item=item, yearly=catalog["yearly"]) for a in second]
    after = ok("subscriptions", args[0], sub["id"], *args[1:])
    assert after["latest_invoice"] != sub["latest_invoice"]
    assert after["latest_invoice"] < sub["latest_invoice"]  # ids in the "wrong" order
    first, latest = (
        ok("invoices", "show", sub["latest_invoice"]),
        ok("invoices", "show", after["latest_invoice"]),
    )
    assert first["created"] == latest["created"]
    done = billcli("ledger", "check")
    assert done.code == 0, done.out + done.err
