"""Two years of renewals, recomputed independently: monthly anchors on the 29th, 30th
and 31st, weekly, yearly, and a yearly anchor on 29 February."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.subscriptions.conftest import ts


def months_later(start: datetime, months: int) -> datetime:
    """The calendar's answer, written here without billcli: same day, or the month's last."""
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    last = calendar.monthrange(year, month + 1)[1]
    return start.replace(year=year, month=month + 1, day=min(start.day, last))


def expected_renewals(anchor: datetime, kind: str, until: datetime) -> list[tuple[int, int]]:
    """(period start, period end) of every renewal due by `until`."""
    step = {"week": None, "month": 1, "year": 12}[kind]
    bounds, k = [], 1
    while True:
        at = anchor + timedelta(weeks=k) if step is None else months_later(anchor, k * step)
        if at > until:
            break
        after = (
            anchor + timedelta(weeks=k + 1)
            if step is None
            else months_later(anchor, (k + 1) * step)
        )
        bounds.append((int(at.timestamp()), int(after.timestamp())))
        k += 1
    return bounds


def test_two_years_of_renewals_bill_each_period_once_at_its_boundary(
    ok: Callable[..., Any], customer: Callable[..., str], catalog: dict[str, str], checked_ledger
) -> None:
    def subscribe(at: str, price: str, quantity: int = 1) -> tuple[str, datetime, str]:
        ok("invoices", "tick", "--to", at)
        cus = customer()
        ok("subscriptions", "create", "--customer", cus, "--price", f"{price}:{quantity}")
        return cus, datetime.fromisoformat(at.replace("Z", "+00:00")), price

    # The fixture's clock is at 2027-01-31 12:00; these start later that day and after.
    started = [
        (*subscribe("2027-01-31T13:00:00Z", catalog["monthly"], 2), "month"),
        (*subscribe("2027-01-31T14:00:00Z", catalog["weekly"]), "week"),
        (*subscribe("2027-01-31T15:00:00Z", catalog["yearly"]), "year"),
        (*subscribe("2027-03-29T09:00:00Z", catalog["monthly"]), "month"),
        (*subscribe("2027-03-30T09:00:00Z", catalog["monthly"]), "month"),
        (*subscribe("2028-02-29T10:00:00Z", catalog["yearly"]), "year"),
    ]
    until = datetime(2029, 3, 31, tzinfo=UTC)
    ok("invoices", "tick", "--to", "2029-03-31T00:00:00Z")
    amounts = {catalog["monthly"]: 2000, catalog["weekly"]: 700, catalog["yearly"]: 20000}
    counted = 0
    for cus, anchor, price, kind in started:
        quantity = 2 if kind == "month" and anchor.day == 31 else 1
        invoices = list(reversed(ok("invoices", "list", "--customer", cus, "--all")["data"]))
        renewals = [i for i in invoices if i["billing_reason"] == "subscription_cycle"]
        expected = expected_renewals(anchor, kind, until)
        got = [
            (i["lines"]["data"][0]["period"]["start"], i["lines"]["data"][0]["period"]["end"])
            for i in renewals
        ]
        assert got == expected, (kind, anchor)
        for invoice, (start, _) in zip(renewals, expected, strict=True):
            assert invoice["created"] == start
            assert invoice["total"] == amounts[price] * quantity
            assert (invoice["status"], invoice["amount_paid"]) == ("paid", invoice["total"])
        counted += len(renewals)
    # Spot checks the calendar makes plain.
    leap = [i for i in ok("invoices", "list", "--customer", started[5][0], "--all")["data"]
            if i["billing_reason"] == "subscription_cycle"]  # fmt: skip
    assert [i["created"] for i in leap] == [ts("2029-02-28T10:00:00Z")]
    on_30th = [i["created"] for i in ok("invoices", "list", "--customer", started[4][0],
                                        "--all")["data"]]  # fmt: skip
    assert ts("2028-02-29T09:00:00Z") in on_30th and ts("2028-03-30T09:00:00Z") in on_30th
    assert counted == 188  # 112 weekly, 25 + 24 + 24 monthly, 2 + 1 yearly
    checked_ledger()
