"""A metered price changed or removed mid-period (Stripe's `billing_mode=flexible`, as
billcli bills it): the usage so far at the old price is an invoice item for the next
invoice; a removal or a price change with `proration_behavior=none` bills it nowhere
(docs.stripe.com/billing/subscriptions/usage-based/manage-billing-setup: "If you want
to remove a metered price without billing for it, set proration_behavior to none").
Every amount is recomputed here from the events sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.meters.conftest import HOUR, PERIOD_END

DAY = 86_400


def _invoices(ok: Callable[..., Any], customer_id: str) -> list[dict[str, Any]]:
    found = ok("invoices", "list", "--customer", customer_id, "--all")["data"]
    return sorted(found, key=lambda invoice: (invoice["created"], invoice["id"]))


def _lines(invoice: dict[str, Any], price: str) -> list[dict[str, Any]]:
    return [line for line in invoice["lines"]["data"] if line["price"]["id"] == price]


@pytest.fixture
def metered_sub(ok, at_start, customer, meter) -> dict[str, str]:
    """A customer subscribed to a $20.00 licensed price and a 3¢ metered one, and a 5¢
    metered price of the same meter to move to."""
    cus, mtr = customer(), meter()
    ok("products", "create", "--name", "API", "--id", "api")
    licensed = ok("prices", "create", "--product", "api", "--currency", "usd",
                  "--unit-amount", "2000", "--recurring-interval", "month")["id"]  # fmt: skip
    old, new = (
        ok("prices", "create", "--product", "api", "--currency", "usd", "--recurring-interval",
           "month", "--usage-type", "metered", "--meter", mtr, "--unit-amount", unit)["id"]
        for unit in ("3", "5")
    )  # fmt: skip
    sub = ok("subscriptions", "create", "--customer", cus, "--price", licensed, "--price", old)
    [item] = [i["id"] for i in sub["items"]["data"] if i["price"]["id"] == old]
    return {"customer": cus, "sub": sub["id"], "item": item, "licensed": licensed,
            "old": old, "new": new}  # fmt: skip


def test_a_metered_item_removed_with_proration_behavior_none_bills_its_usage_nowhere(
    ok, at_start, send, metered_sub, checked_ledger
):
    s = metered_sub
    ok("invoices", "tick", "--to", str(at_start + 5 * DAY))
    send(s["customer"], 100)  # $3.00 at the removed price: not billed
    ok("invoices", "tick", "--to", str(at_start + 10 * DAY))
    ok("subscriptions", "update", s["sub"], "--remove-item", s["item"],
       "--proration-behavior", "none")  # fmt: skip
    ok("invoices", "tick", "--to", str(at_start + 15 * DAY))
    send(s["customer"], 50)  # after it: no item bills it
    ok("invoices", "tick", "--to", str(PERIOD_END + 2 * HOUR))
    renewal = _invoices(ok, s["customer"])[-1]
    assert renewal["billing_reason"] == "subscription_cycle"
    assert _lines(renewal, s["old"]) == []
    assert renewal["total"] == 2000
    checked_ledger()


def test_a_metered_price_changed_with_proration_behavior_none_bills_the_old_prices_usage_nowhere(
    ok, at_start, send, metered_sub, checked_ledger
):
    s = metered_sub
    ok("invoices", "tick", "--to", str(at_start + 5 * DAY))
    send(s["customer"], 100)  # $3.00 at the old price: not billed
    ok("invoices", "tick", "--to", str(at_start + 10 * DAY))
    ok("subscriptions", "update", s["sub"], "--item", f"{s['item']}={s['new']}",
       "--proration-behavior", "none")  # fmt: skip
    assert ok("invoices", "items", "list", "--customer", s["customer"])["data"] == []
    ok("invoices", "tick", "--to", str(at_start + 15 * DAY))
    send(s["customer"], 50)  # at the new price, from the change on
    upcoming = ok("invoices", "upcoming", "--customer", s["customer"])
    ok("invoices", "tick", "--to", str(PERIOD_END + 2 * HOUR))
    renewal = _invoices(ok, s["customer"])[-1]
    assert renewal["billing_reason"] == "subscription_cycle"
    assert _lines(renewal, s["old"]) == []
    [new] = _lines(renewal, s["new"])
    assert (new["quantity"], new["amount"]) == (50, 250)
    assert (new["period"]["start"], new["period"]["end"]) == (at_start + 10 * DAY, PERIOD_END)
    assert renewal["total"] == 2000 + 250
    previewed = [(line["quantity"], line["amount"]) for line in _lines(upcoming, s["new"])]
    assert previewed == [(50, 250)]
    checked_ledger()


def test_a_metered_item_removed_with_create_prorations_bills_its_usage_on_the_next_invoice(
    ok, at_start, send, metered_sub, checked_ledger
):
    s = metered_sub
    ok("invoices", "tick", "--to", str(at_start + 5 * DAY))
    send(s["customer"], 100)
    ok("invoices", "tick", "--to", str(at_start + 10 * DAY))
    ok("subscriptions", "update", s["sub"], "--remove-item", s["item"])
    ok("invoices", "tick", "--to", str(PERIOD_END + 2 * HOUR))
    renewal = _invoices(ok, s["customer"])[-1]
    [old] = _lines(renewal, s["old"])
    assert (old["quantity"], old["amount"]) == (100, 300)
    assert (old["period"]["start"], old["period"]["end"]) == (at_start, at_start + 10 * DAY)
    assert renewal["total"] == 2000 + 300
    checked_ledger()


def test_a_metered_price_changed_with_create_prorations_bills_its_usage_on_the_next_invoice(
    ok, at_start, send, metered_sub, checked_ledger
):
    s = metered_sub
    ok("invoices", "tick", "--to", str(at_start + 5 * DAY))
    send(s["customer"], 100)
    ok("invoices", "tick", "--to", str(at_start + 10 * DAY))
    ok("subscriptions", "update", s["sub"], "--item", f"{s['item']}={s['new']}")
    ok("invoices", "tick", "--to", str(at_start + 15 * DAY))
    send(s["customer"], 50)
    ok("invoices", "tick", "--to", str(PERIOD_END + 2 * HOUR))
    renewal = _invoices(ok, s["customer"])[-1]
    [old] = _lines(renewal, s["old"])
    assert (old["quantity"], old["amount"]) == (100, 300)
    assert (old["period"]["start"], old["period"]["end"]) == (at_start, at_start + 10 * DAY)
    [new] = _lines(renewal, s["new"])
    assert (new["quantity"], new["amount"]) == (50, 250)
    assert renewal["total"] == 2000 + 300 + 250
    checked_ledger()


def test_a_metered_item_removed_with_always_invoice_bills_its_usage_at_once(
    ok, at_start, send, metered_sub, checked_ledger
):
    """`always_invoice` invoices the removed metered item's usage so far at once (the
    invoice item follows `proration_behavior`, as a proration does), not at renewal."""
    s = metered_sub
    ok("invoices", "tick", "--to", str(at_start + 5 * DAY))
    send(s["customer"], 100)
    ok("invoices", "tick", "--to", str(at_start + 10 * DAY))
    ok("subscriptions", "update", s["sub"], "--remove-item", s["item"],
       "--proration-behavior", "always_invoice")  # fmt: skip
    now = _invoices(ok, s["customer"])[-1]
    assert now["billing_reason"] == "subscription_update"
    [old] = _lines(now, s["old"])
    assert (old["quantity"], old["amount"]) == (100, 300)
    assert (old["period"]["start"], old["period"]["end"]) == (at_start, at_start + 10 * DAY)
    assert now["total"] == 300 and now["status"] == "paid"
    ok("invoices", "tick", "--to", str(PERIOD_END + 2 * HOUR))
    renewal = _invoices(ok, s["customer"])[-1]
    assert renewal["billing_reason"] == "subscription_cycle"
    assert _lines(renewal, s["old"]) == []  # billed once
    assert renewal["total"] == 2000
    checked_ledger()
