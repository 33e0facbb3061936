"""Metered prices as Stripe bills them: usage in arrears at each period's end beside
licensed items in advance, priced by tiers; late events within the invoice's hour of
grace; `invoice_now` cancellation billing usage so far; the upcoming invoice showing
usage to date; `billing_thresholds.amount_gte` invoicing early. Every amount is
recomputed here from the events sent and the tiers (conftest's `graduated`, `volume`)."""

from __future__ import annotations

import calendar
import random
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.meters.conftest import HOUR, PERIOD_END, graduated, volume

TIERS = [(100, 5, 0), (1000, 2, 300), (None, 1, 0)]  # (up_to, unit, flat) in cents
DAY = 86_400


@pytest.fixture
def plan(ok: Callable[..., Any], at_start: int, meter) -> Callable[..., dict[str, str]]:
    """A product with a $20.00 monthly licensed price and a metered price of `mode`
    tiers (TIERS) or of 3¢ a unit; their ids and the meter's."""

    def make(mode: str | None = "graduated") -> dict[str, str]:
        mtr = meter()
        ok("products", "create", "--name", "API", "--id", "api")
        licensed = ok("prices", "create", "--product", "api", "--currency", "usd",
                      "--unit-amount", "2000", "--recurring-interval", "month")["id"]  # fmt: skip
        pricing = ["--unit-amount", "3"]
        if mode is not None:
            pricing = ["--billing-scheme", "tiered", "--tiers-mode", mode]
            for up_to, unit, flat in TIERS:
                pricing += ["--tier", f"{up_to or 'inf'}:{unit}:{flat}"]
        metered = ok("prices", "create", "--product", "api", "--currency", "usd",
                     "--recurring-interval", "month", "--usage-type", "metered", "--meter", mtr,
                     *pricing)["id"]  # fmt: skip
        return {"meter": mtr, "licensed": licensed, "metered": metered}

    return make


def _subscribe(ok, customer_id: str, prices: dict[str, str], *extra: str) -> dict[str, Any]:
    return ok("subscriptions", "create", "--customer", customer_id, "--price", prices["licensed"],
              "--price", prices["metered"], *extra)  # type: ignore[no-any-return]  # fmt: skip


def _invoices(ok, customer_id: str) -> list[dict[str, Any]]:
    """The customer's invoices, oldest first."""
    found = ok("invoices", "list", "--customer", customer_id, "--all")["data"]
    return sorted(found, key=lambda invoice: (invoice["created"], invoice["id"]))


def _lines(invoice: dict[str, Any], price: str) -> list[dict[str, Any]]:
    return [line for line in invoice["lines"]["data"] if line["price"]["id"] == price]


@pytest.mark.parametrize("formula", ["sum", "count"])
def test_a_file_of_events_on_both_sides_of_the_period_end_bills_only_the_periods_own(
    ok, billcli, tmp_path, at_start, customer, meter, formula, checked_ledger
):
    """One import, within the hour of grace, writes runs that straddle the period's end:
    the usage line counts the events before it, read one by one from the runs its end
    cuts, beside the runs wholly inside it added up."""
    cus = customer()
    mtr = meter("calls", formula)
    ok("products", "create", "--name", "API", "--id", "api")
    licensed = ok("prices", "create", "--product", "api", "--currency", "usd",
                  "--unit-amount", "2000", "--recurring-interval", "month")["id"]  # fmt: skip
    metered = ok("prices", "create", "--product", "api", "--currency", "usd",
                 "--recurring-interval", "month", "--usage-type", "metered", "--meter", mtr,
                 "--unit-amount", "3")["id"]  # fmt: skip
    ok("subscriptions", "create", "--customer", cus, "--price", licensed, "--price", metered)
    ok("invoices", "tick", "--to", str(PERIOD_END + 30 * 60))
    stamps = [PERIOD_END - 3 * DAY, PERIOD_END - HOUR, PERIOD_END - 1, PERIOD_END,
              PERIOD_END + 60, PERIOD_END - 2 * HOUR, PERIOD_END + 29 * 60]  # fmt: skip
    values = [7, 11, 13, 17, 19, 23, 29]
    path = tmp_path / "events.ndjson"
    path.write_text(
        "".join(
            f'{{"event_name":"calls","payload":{{"stripe_customer_id":"{cus}",'
            f'"value":"{value}"}},"identifier":"e{n}","timestamp":{at}}}\n'
            for n, (at, value) in enumerate(zip(stamps, values, strict=True))
        )
    )
    assert billcli("meters", "events", "import", str(path)).code == 0
    ok("invoices", "tick", "--to", str(PERIOD_END + 2 * HOUR))
    before = [value for at, value in zip(stamps, values, strict=True) if at < PERIOD_END]
    quantity = sum(before) if formula == "sum" else len(before)
    [usage] = _lines(_invoices(ok, cus)[1], metered)
    assert (usage["quantity"], usage["amount"]) == (quantity, quantity * 3)
    checked_ledger()


@pytest.mark.parametrize("mode", ["graduated", "volume"])
def test_usage_is_billed_in_arrears_by_its_tiers_beside_the_licensed_price_in_advance(
    ok, at_start, customer, plan, send, mode, checked_ledger
):
    cus, prices = customer(), plan(mode)
    _subscribe(ok, cus, prices)
    values = [80, 400, 250]  # 730 units in the first period
    for n, value in enumerate(values):
        ok("invoices", "tick", "--to", str(at_start + (n + 1) * 7 * DAY))
        send(cus, value)
    ok("invoices", "tick", "--to", str(PERIOD_END + 2 * HOUR))
    renewal = _invoices(ok, cus)[-1]
    assert renewal["billing_reason"] == "subscription_cycle"
    [usage] = _lines(renewal, prices["metered"])
    [seat] = _lines(renewal, prices["licensed"])
    price_of = graduated if mode == "graduated" else volume
    assert usage["quantity"] == 730
    assert usage["amount"] == price_of(730, TIERS)
    assert (usage["period"]["start"], usage["period"]["end"]) == (at_start, PERIOD_END)
    assert seat["amount"] == 2000 and seat["period"]["start"] == PERIOD_END  # in advance
    assert renewal["status"] == "paid" and renewal["total"] == 2000 + price_of(730, TIERS)
    checked_ledger()


def test_an_event_of_the_ended_period_received_within_the_hour_of_grace_is_billed(
    ok, at_start, customer, plan, send, checked_ledger
):
    cus, prices = customer(), plan(None)
    _subscribe(ok, cus, prices)
    ok("invoices", "tick", "--to", str(PERIOD_END - DAY))
    send(cus, 10)
    ok("invoices", "tick", "--to", str(PERIOD_END + 30 * 60))
    send(cus, 5, timestamp=str(PERIOD_END - 60))  # late, but within the grace hour
    ok("invoices", "tick", "--to", str(PERIOD_END + 2 * HOUR))
    send(cus, 1000, timestamp=str(PERIOD_END - 120))  # after finalization: not billed
    [usage] = _lines(_invoices(ok, cus)[1], prices["metered"])
    assert (usage["quantity"], usage["amount"]) == (15, 15 * 3)
    checked_ledger()


def test_canceling_with_invoice_now_bills_the_usage_so_far(
    ok, at_start, customer, plan, send, checked_ledger
):
    cus, prices = customer(), plan(None)
    sub = _subscribe(ok, cus, prices)
    ok("invoices", "tick", "--to", str(at_start + 10 * DAY))
    send(cus, 42)
    canceled = ok("subscriptions", "cancel", sub["id"], "--invoice-now")
    assert canceled["status"] == "canceled"
    final = _invoices(ok, cus)[-1]
    [usage] = _lines(final, prices["metered"])
    assert (usage["quantity"], usage["amount"]) == (42, 42 * 3)
    assert usage["period"]["start"] == at_start
    assert usage["period"]["end"] - (at_start + 10 * DAY) in (0, 1)  # this second included
    checked_ledger()


def test_the_upcoming_invoice_shows_usage_to_date(ok, at_start, customer, plan, send):
    cus, prices = customer(), plan("graduated")
    _subscribe(ok, cus, prices)
    ok("invoices", "tick", "--to", str(at_start + 5 * DAY))
    send(cus, 150)
    upcoming = ok("invoices", "upcoming", "--customer", cus)
    [usage] = _lines(upcoming, prices["metered"])
    assert (usage["quantity"], usage["amount"]) == (150, graduated(150, TIERS))
    assert upcoming["amount_due"] == 2000 + graduated(150, TIERS)


def test_a_billing_threshold_invoices_the_usage_as_soon_as_it_reaches_the_amount(
    ok, at_start, customer, plan, send, checked_ledger
):
    cus, prices = customer(), plan(None)
    # $25.00, more than the licensed $20.00 a period, as Stripe requires
    _subscribe(ok, cus, prices, "--billing-threshold", "2500")
    ok("invoices", "tick", "--to", str(at_start + DAY))
    send(cus, 500)
    assert len(_invoices(ok, cus)) == 1  # $15.00 of usage: below the threshold
    send(cus, 400)  # $27.00 accrued, this very second
    early = _invoices(ok, cus)[-1]
    assert early["billing_reason"] == "subscription_threshold"
    [usage] = _lines(early, prices["metered"])
    assert (usage["quantity"], usage["amount"]) == (900, 2700)
    assert not _lines(early, prices["licensed"])  # paid in advance already
    ok("invoices", "tick", "--to", str(at_start + 2 * DAY))
    send(cus, 20)
    ok("invoices", "tick", "--to", str(PERIOD_END + 2 * HOUR))
    [rest] = _lines(_invoices(ok, cus)[-1], prices["metered"])
    assert (rest["quantity"], rest["amount"]) == (20, 60)  # billed once: only what is left
    checked_ledger()


def _period_ends(start: datetime, count: int) -> list[int]:
    """Monthly period ends anchored on `start`'s day, clamped to short months."""
    ends = []
    year, month = start.year, start.month
    for _ in range(count):
        month += 1
        if month > 12:
            year, month = year + 1, 1
        last = calendar.monthrange(year, month)[1]
        end = start.replace(year=year, month=month, day=min(start.day, last))
        ends.append(int(end.timestamp()))
    return ends


def test_a_year_of_metered_invoices_matches_an_independent_recomputation(
    ok, at_start, customer, plan, send, checked_ledger
):
    cus, prices = customer(), plan("graduated")
    _subscribe(ok, cus, prices)
    ends = _period_ends(datetime.fromtimestamp(at_start, UTC), 12)
    rng = random.Random(32)
    expected = [0] * 12
    now = at_start
    while now + 3 * DAY < ends[-1]:
        now += 3 * DAY
        ok("invoices", "tick", "--to", str(now))
        when, value = now - rng.randrange(2 * DAY), rng.randrange(0, 400)
        send(cus, value, timestamp=str(when))
        period = next(n for n, end in enumerate(ends) if when < end)
        if now < ends[period] + HOUR:  # later, its invoice is final: Stripe bills it nowhere
            expected[period] += value
    ok("invoices", "tick", "--to", str(ends[-1] + 2 * HOUR))
    cycles = [inv for inv in _invoices(ok, cus) if inv["billing_reason"] == "subscription_cycle"]
    billed = [_lines(invoice, prices["metered"])[0] for invoice in cycles]
    assert [line["quantity"] for line in billed] == expected
    assert [line["amount"] for line in billed] == [graduated(q, TIERS) for q in expected]
    assert [line["period"]["end"] for line in billed] == ends
    assert all(invoice["status"] == "paid" for invoice in cycles)
    checked_ledger()


def test_usage_billed_in_a_currency_option_is_priced_in_that_currency(
    ok, at_start, customer, meter, send, checked_ledger
):
    """A subscription billed in one of its prices' currency options (params' multi-
    currency prices) prices its usage lines, and checks its threshold, in that currency."""
    mtr = meter()
    ok("products", "create", "--name", "API", "--id", "api")
    licensed = ok("prices", "create", "--product", "api", "--currency", "usd",
                  "--unit-amount", "2000", "--recurring-interval", "month",
                  "--currency-option", "eur:1800")["id"]  # fmt: skip
    metered = ok("prices", "create", "--product", "api", "--currency", "usd",
                 "--unit-amount", "3", "--recurring-interval", "month", "--usage-type",
                 "metered", "--meter", mtr, "--currency-option", "eur:2")["id"]  # fmt: skip
    cus = customer()
    sub = ok("subscriptions", "create", "--customer", cus, "--price", licensed,
             "--price", metered, "--currency", "eur")  # fmt: skip
    assert sub["currency"] == "eur"
    ok("invoices", "tick", "--to", str(at_start + 5 * DAY))
    send(cus, 100)
    [upcoming] = _lines(ok("invoices", "upcoming", "--customer", cus), metered)
    assert (upcoming["quantity"], upcoming["amount"], upcoming["currency"]) == (100, 200, "eur")
    ok("invoices", "tick", "--to", str(PERIOD_END + 2 * HOUR))
    renewal = _invoices(ok, cus)[-1]
    [usage] = _lines(renewal, metered)
    assert (usage["amount"], renewal["currency"], renewal["total"]) == (200, "eur", 1800 + 200)
    checked_ledger()
