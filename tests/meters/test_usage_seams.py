"""Seams of usage-based billing where a cycle's usage is billed in more than one line
(a threshold invoice, then the renewal), each amount recomputed here from the events
sent and Stripe's rule for the meter's formula."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.meters.conftest import HOUR, PERIOD_END

DAY = 86_400


def _invoices(ok: Callable[..., Any], customer_id: str) -> list[dict[str, Any]]:
    """The customer's invoices, oldest first."""
    found = ok("invoices", "list", "--customer", customer_id, "--all")["data"]
    return sorted(found, key=lambda invoice: (invoice["created"], invoice["id"]))


def _lines(invoice: dict[str, Any], price: str) -> list[dict[str, Any]]:
    return [line for line in invoice["lines"]["data"] if line["price"]["id"] == price]


def _metered_plan(ok: Callable[..., Any], meter_id: str, unit: int) -> tuple[str, str]:
    """A $20.00 monthly licensed price and a metered one of `unit` cents a unit."""
    ok("products", "create", "--name", "API", "--id", "api")
    licensed = ok("prices", "create", "--product", "api", "--currency", "usd",
                  "--unit-amount", "2000", "--recurring-interval", "month")["id"]  # fmt: skip
    metered = ok("prices", "create", "--product", "api", "--currency", "usd",
                 "--recurring-interval", "month", "--usage-type", "metered", "--meter",
                 meter_id, "--unit-amount", str(unit))["id"]  # fmt: skip
    return licensed, metered


def test_a_last_meter_level_billed_by_a_threshold_is_not_credited_back_at_renewal(
    ok, at_start, customer, meter, send, checked_ledger
):
    """A `last` meter bills the period's last reported level. A threshold invoice bills
    the level 30 ($30.00 at $1.00 a unit); no event follows before the period ends, so
    the period's level is still 30 and the renewal owes nothing more for it: it bills
    the licensed $20.00 in advance, not a $30.00 credit for a level of 0."""
    cus = customer()
    licensed, metered = _metered_plan(ok, meter("seats_used", "last"), 100)
    ok("subscriptions", "create", "--customer", cus, "--price", licensed, "--price", metered,
       "--billing-threshold", "2500")  # fmt: skip
    ok("invoices", "tick", "--to", str(at_start + 5 * DAY))
    send(cus, 30, name="seats_used")
    early = _invoices(ok, cus)[-1]
    assert early["billing_reason"] == "subscription_threshold"
    [level] = _lines(early, metered)
    assert (level["quantity"], level["amount"]) == (30, 30 * 100)

    ok("invoices", "tick", "--to", str(PERIOD_END + 2 * HOUR))
    renewal = _invoices(ok, cus)[-1]
    assert renewal["billing_reason"] == "subscription_cycle"
    [usage] = _lines(renewal, metered)
    period_level = 30  # the last value reported in the period
    assert (usage["quantity"], usage["amount"]) == (period_level, period_level * 100 - 3000)
    assert renewal["total"] == 2000
    checked_ledger()


def test_a_last_meter_level_raised_after_a_threshold_bills_only_the_difference(
    ok, at_start, customer, meter, send, checked_ledger
):
    """The period's last level is 45 after a threshold billed 30: the renewal bills the
    $15.00 between them, so the period costs 45 × $1.00 in all."""
    cus = customer()
    licensed, metered = _metered_plan(ok, meter("seats_used", "last"), 100)
    ok("subscriptions", "create", "--customer", cus, "--price", licensed, "--price", metered,
       "--billing-threshold", "2500")  # fmt: skip
    ok("invoices", "tick", "--to", str(at_start + 5 * DAY))
    send(cus, 30, name="seats_used")
    ok("invoices", "tick", "--to", str(at_start + 9 * DAY))
    send(cus, 45, name="seats_used")
    ok("invoices", "tick", "--to", str(PERIOD_END + 2 * HOUR))
    early, renewal = _invoices(ok, cus)[-2:]
    assert early["billing_reason"] == "subscription_threshold"
    [usage] = _lines(renewal, metered)
    assert (usage["quantity"], usage["amount"]) == (45, 45 * 100 - 30 * 100)
    assert renewal["total"] == 2000 + 1500
    checked_ledger()


def test_a_metered_items_own_tax_rate_taxes_its_usage_instead_of_the_default(
    ok, at_start, customer, meter, send, checked_ledger
):
    """A subscription item's `tax_rates` replace the subscription's `default_tax_rates`
    for that item (SPEC23 `subscription_item.tax_rates`): the metered item's 20% taxes
    its usage line ($30.00 → $6.00), the licensed item keeps the default 10%."""
    cus = customer()
    licensed, metered = _metered_plan(ok, meter(), 3)
    vat = ok("tax-rates", "create", "--display-name", "VAT", "--percentage", "20")["id"]
    gst = ok("tax-rates", "create", "--display-name", "GST", "--percentage", "10")["id"]
    ok("subscriptions", "create", "--customer", cus, "--price", licensed, "--price", metered,
       "--item-tax-rate", f"{metered}={vat}", "--default-tax-rate", gst)  # fmt: skip
    ok("invoices", "tick", "--to", str(at_start + 5 * DAY))
    send(cus, 1000)
    usage_tax, seat_tax = 1000 * 3 * 20 // 100, 2000 * 10 // 100
    [previewed] = _lines(ok("invoices", "upcoming", "--customer", cus), metered)
    assert [t["amount"] for t in previewed["tax_amounts"]] == [usage_tax]
    ok("invoices", "tick", "--to", str(PERIOD_END + 2 * HOUR))
    renewal = _invoices(ok, cus)[-1]
    [usage] = _lines(renewal, metered)
    assert usage["amount"] == 3000
    assert [(t["tax_rate"], t["amount"]) for t in usage["tax_amounts"]] == [(vat, usage_tax)]
    [seat] = _lines(renewal, licensed)
    assert [(t["tax_rate"], t["amount"]) for t in seat["tax_amounts"]] == [(gst, seat_tax)]
    assert renewal["total"] == 3000 + 2000 + usage_tax + seat_tax
    checked_ledger()


def test_a_usage_line_billed_in_a_currency_option_describes_that_currencys_unit_amount(
    ok, at_start, customer, meter, send, checked_ledger
):
    """A customer billed in euros through the prices' currency options: the usage line
    (100 units at €0.02, €2.00) and the licensed one (€18.00) name the euro amounts
    they are billed at, not the prices' own dollar ones."""
    mtr = meter()
    ok("products", "create", "--name", "API", "--id", "api")
    licensed = ok("prices", "create", "--product", "api", "--currency", "usd",
                  "--unit-amount", "2000", "--recurring-interval", "month",
                  "--currency-option", "eur:1800")["id"]  # fmt: skip
    metered = ok("prices", "create", "--product", "api", "--currency", "usd",
                 "--unit-amount", "3", "--recurring-interval", "month", "--usage-type",
                 "metered", "--meter", mtr, "--currency-option", "eur:2")["id"]  # fmt: skip
    cus = customer()
    ok("subscriptions", "create", "--customer", cus, "--price", licensed, "--price", metered,
       "--currency", "eur")  # fmt: skip
    ok("invoices", "tick", "--to", str(at_start + 5 * DAY))
    send(cus, 100)
    ok("invoices", "tick", "--to", str(PERIOD_END + 2 * HOUR))
    renewal = _invoices(ok, cus)[-1]
    [usage] = _lines(renewal, metered)
    assert (usage["amount"], usage["currency"]) == (100 * 2, "eur")
    assert usage["description"] == "100 × API (at €0.02 / month)"
    [seat] = _lines(renewal, licensed)
    assert seat["description"] == "1 × API (at €18.00 / month)"
    checked_ledger()


def test_a_backdated_subscription_bills_the_usage_since_its_start_date(
    ok, at_start, customer, meter, send, checked_ledger
):
    """Usage recorded before a subscription is created, then the subscription backdated
    to before it: its first renewal bills that usage (Stripe, 'Manage your usage-based
    billing setup': 'create a backdated subscription to include usage in the next
    invoice'). 100 units on day -6, 40 on day +3, at 3¢: $4.20; 7 units before the
    backdated start are not billed."""
    cus = customer()
    mtr = meter()
    ok("products", "create", "--name", "API", "--id", "api")
    metered = ok("prices", "create", "--product", "api", "--currency", "usd",
                 "--recurring-interval", "month", "--usage-type", "metered", "--meter", mtr,
                 "--unit-amount", "3")["id"]  # fmt: skip
    start = at_start - 11 * DAY
    send(cus, 7, timestamp=str(start - HOUR))  # before the start: not billed
    send(cus, 100, timestamp=str(at_start - 6 * DAY))
    sub = ok("subscriptions", "create", "--customer", cus, "--price", metered,
             "--backdate-start-date", str(start))  # fmt: skip
    period_end = sub["current_period_end"]
    ok("invoices", "tick", "--to", str(at_start + 3 * DAY))
    send(cus, 40)
    [previewed] = _lines(ok("invoices", "upcoming", "--customer", cus), metered)
    assert (previewed["quantity"], previewed["amount"]) == (140, 140 * 3)
    ok("invoices", "tick", "--to", str(period_end + 2 * HOUR))
    renewal = _invoices(ok, cus)[-1]
    assert renewal["billing_reason"] == "subscription_cycle"
    [usage] = _lines(renewal, metered)
    assert (usage["quantity"], usage["amount"]) == (140, 140 * 3)
    assert (usage["period"]["start"], usage["period"]["end"]) == (start, period_end)
    checked_ledger()
