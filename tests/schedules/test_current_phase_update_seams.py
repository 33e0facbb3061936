"""An update that changes the current phase's coupon reaches the subscription at once,
as a change to its items does (Stripe applies a change to the current phase to the
subscription immediately); the schedule never says one discount while the subscription
bills another. An update that keeps the current phase's coupon keeps its discount (a
repeating coupon's months do not start again)."""

from __future__ import annotations

from tests.schedules.conftest import months_after


def test_a_coupon_added_to_the_current_phase_discounts_the_next_renewal(
    ok, customer, monthly, at_start, checked_ledger
):
    ok("coupons", "create", "--id", "HALF", "--percent-off", "50", "--duration", "forever")
    ada = customer()
    made = ok("subscription-schedules", "create", "--customer", ada,
              "--phase", f"{monthly} iterations=3")  # fmt: skip
    sub = made["subscription"]
    ok("invoices", "tick", "--to", str(at_start + 2 * 3600))  # the first invoice is paid
    updated = ok("subscription-schedules", "update", made["id"],
                 "--phase", f"{monthly} iterations=3 coupon=HALF start={at_start}")  # fmt: skip
    assert [d["coupon"] for d in updated["phases"][0]["discounts"]] == ["HALF"]
    assert ok("subscriptions", "show", sub)["discount"]["coupon"]["id"] == "HALF"
    ok("invoices", "tick", "--to", str(months_after(at_start, 1)))
    listed = ok("invoices", "list", "--all")["data"]
    assert [i["total"] for i in reversed(listed) if i["subscription"] == sub] == [2000, 1000]
    checked_ledger()


def test_an_update_keeping_the_current_phases_coupon_keeps_its_discount(
    ok, customer, monthly, at_start, checked_ledger
):
    ok("coupons", "create", "--id", "TENOFF", "--amount-off", "1000", "--currency", "usd",
       "--duration", "repeating", "--duration-in-months", "2")  # fmt: skip
    ada = customer()
    sub = ok("subscriptions", "create", "--customer", ada, "--price", monthly,
             "--coupon", "TENOFF")["id"]  # fmt: skip
    before = ok("subscriptions", "show", sub)["discount"]
    made = ok("subscription-schedules", "create", "--from-subscription", sub)
    ok("subscription-schedules", "update", made["id"],
       "--phase", f"{monthly}:2 iterations=3 coupon=TENOFF start={at_start}")  # fmt: skip
    after = ok("subscriptions", "show", sub)["discount"]
    assert (after["id"], after["end"]) == (before["id"], before["end"])
    checked_ledger()
