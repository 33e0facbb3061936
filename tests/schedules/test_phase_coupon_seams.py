"""A phase's coupon lasts that phase: the next phase without one bills the full price,
as Stripe's guide describes ("a coupon for 50% off for the first three months ... In the
second phase, the subscription would be reverted to the normal cost and the coupon
would be removed"); a coupon both phases name is the same discount, not a new one."""

from __future__ import annotations

from tests.schedules.conftest import months_after


def _totals(ok, sub: str) -> list[int]:
    listed = ok("invoices", "list", "--all")["data"]
    return [i["total"] for i in reversed(listed) if i["subscription"] == sub]


def test_a_phase_without_the_coupon_bills_the_full_price(
    ok, customer, monthly, at_start, checked_ledger
):
    ok("coupons", "create", "--id", "HALF", "--percent-off", "50", "--duration", "forever")
    ada = customer()
    made = ok("subscription-schedules", "create", "--customer", ada,
              "--phase", f"{monthly} iterations=2 coupon=HALF",
              "--phase", f"{monthly} iterations=2")  # fmt: skip
    sub = made["subscription"]
    first = ok("subscriptions", "show", sub)["discount"]
    assert first["coupon"]["id"] == "HALF"
    ok("invoices", "tick", "--to", str(months_after(at_start, 1)))
    assert ok("subscriptions", "show", sub)["discount"]["id"] == first["id"]
    ok("invoices", "tick", "--to", str(months_after(at_start, 3)))
    assert ok("subscriptions", "show", sub)["discount"] is None
    assert _totals(ok, sub) == [1000, 1000, 2000, 2000]
    checked_ledger()


def test_a_schedule_from_a_subscription_keeps_its_coupon_in_its_phase(
    ok, customer, monthly, at_start, checked_ledger
):
    ok("coupons", "create", "--id", "HALF", "--percent-off", "50", "--duration", "forever")
    ada = customer()
    sub = ok("subscriptions", "create", "--customer", ada, "--price", monthly,
             "--coupon", "HALF")["id"]  # fmt: skip
    made = ok("subscription-schedules", "create", "--from-subscription", sub)
    assert [d["coupon"] for d in made["phases"][0]["discounts"]] == ["HALF"]
    ok("invoices", "tick", "--to", str(months_after(at_start, 1)))
    assert ok("subscriptions", "show", sub)["discount"]["coupon"]["id"] == "HALF"
    assert _totals(ok, sub) == [1000, 1000]
    checked_ledger()
