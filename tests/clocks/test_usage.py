"""Meter events of a test clock's customer live in that clock's time (Stripe: an event's
timestamp must be within the past 35 calendar days or up to 5 minutes in the future,
of the customer's clock): the window, the default timestamp and `created` come from
the clock, and advancing the clock bills each period's usage on its renewal. Every
amount is recomputed here from the events sent and the price (3¢ a unit, $20.00 a
month licensed), never read back from billcli."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from billcli.services.meters import streams, writing
from billcli.store.ledger import Ledger
from tests.clocks.conftest import ts
from tests.conftest import ledger_digest, raw_connection

DAY, MINUTE, HOUR = 86_400, 60, 3600
UNIT = 3  # cents a unit of the metered price
LICENSED = 2000
# The ledger clock stands at START (2027-01-31 12:00); this clock 30 days later, so an
# event 10 days ahead of the ledger clock is 20 days in this clock's past.
CLOCK_AT = "2027-03-02T12:00:00Z"
PERIOD_END = ts("2027-04-02T12:00:00Z")  # a month from CLOCK_AT


def _plan(ok: Callable[..., Any]) -> dict[str, str]:
    """A sum meter of `api_calls`, a $20.00 monthly price and a metered one at 3¢."""
    meter = ok("meters", "create", "--event-name", "api_calls", "--display-name", "API calls",
               "--aggregation", "sum")["id"]  # fmt: skip
    ok("products", "create", "--name", "API", "--id", "api")
    licensed = ok("prices", "create", "--product", "api", "--currency", "usd", "--unit-amount",
                  str(LICENSED), "--recurring-interval", "month")["id"]  # fmt: skip
    metered = ok("prices", "create", "--product", "api", "--currency", "usd", "--unit-amount",
                 str(UNIT), "--recurring-interval", "month", "--usage-type", "metered",
                 "--meter", meter)["id"]  # fmt: skip
    return {"meter": meter, "licensed": licensed, "metered": metered}


def _send(billcli: Callable[..., Any], customer: str, value: int, *extra: str) -> Any:
    return billcli("meters", "events", "send", "--event-name", "api_calls", "--customer",
                   customer, "--value", str(value), *extra, "--json")  # fmt: skip


def _frozen(ok: Callable[..., Any], clock: str) -> int:
    return int(ok("clocks", "show", clock)["frozen_time"])


def test_a_clock_customers_event_is_checked_and_dated_in_its_clocks_time(
    ok, billcli, new_clock, clock_customer, at_start, ledger_path, checked_ledger
):
    clock = new_clock(CLOCK_AT)
    clock_now = ts(CLOCK_AT)
    cus = clock_customer(clock)
    _plan(ok)
    ahead_of_ledger = at_start + 10 * DAY  # 20 days before the clock's now
    accepted = _send(billcli, cus, 7, "--timestamp", str(ahead_of_ledger))
    assert accepted.code == 0, accepted.err
    assert (accepted.json["timestamp"], accepted.json["created"]) == (ahead_of_ledger, clock_now)
    defaulted = _send(billcli, cus, 5)
    assert defaulted.json["timestamp"] == defaulted.json["created"] == clock_now
    before = ledger_digest(ledger_path)
    # Inside the ledger clock's window, outside the clock's: 36 days before its now.
    too_old = _send(billcli, cus, 1, "--timestamp", str(clock_now - 36 * DAY))
    too_new = _send(billcli, cus, 1, "--timestamp", str(clock_now + 5 * MINUTE + 1))
    for refused, code in ((too_old, "timestamp_too_far_in_past"), (too_new, "timestamp_in_future")):
        assert refused.code == 1 and len(refused.err.strip().splitlines()) == 1, refused.err
        assert refused.json["error"]["param"] == "timestamp"
        assert refused.json["error"]["code"] == code
        assert clock in refused.err
    assert ledger_digest(ledger_path) == before
    # The ledger clock's customers keep the ledger clock's window.
    lee = ok("customers", "create", "--name", "Lee")["id"]
    assert _send(billcli, lee, 1, "--timestamp", str(ahead_of_ledger)).code == 1
    assert _send(billcli, lee, 1).json["created"] == at_start
    checked_ledger()


def test_advancing_the_clock_a_month_bills_exactly_the_usage_of_its_period(
    ok, billcli, new_clock, clock_customer, at_start, checked_ledger
):
    clock = new_clock(CLOCK_AT)
    start = ts(CLOCK_AT)
    cus = clock_customer(clock)
    prices = _plan(ok)
    sub = ok("subscriptions", "create", "--customer", cus, "--price", prices["licensed"],
             "--price", prices["metered"])  # fmt: skip
    assert sub["current_period_end"] == PERIOD_END
    in_period = 0
    for day_on, value in ((0, 120), (9, 40), (17, 300)):  # sent as the clock moves on
        if day_on:
            ok("clocks", "advance", clock, "--to", str(start + day_on * DAY))
        assert _send(billcli, cus, value).code == 0
        in_period += value
    ok("clocks", "advance", clock, "--to", str(PERIOD_END - 2 * MINUTE))
    assert _send(billcli, cus, 11, "--timestamp", str(PERIOD_END - 1)).code == 0
    in_period += 11
    # Stamped a minute into the next period (within 5 minutes of the clock's now): not
    # this period's usage.
    assert _send(billcli, cus, 1000, "--timestamp", str(PERIOD_END + MINUTE)).code == 0
    ok("clocks", "advance", clock, "--to", str(PERIOD_END + 2 * HOUR))
    invoices = ok("invoices", "list", "--customer", cus, "--all")["data"]
    renewal = max(invoices, key=lambda invoice: invoice["created"])
    assert renewal["billing_reason"] == "subscription_cycle"
    assert renewal["created"] == PERIOD_END and renewal["status"] == "paid"
    [usage] = [
        line for line in renewal["lines"]["data"] if line["price"]["id"] == prices["metered"]
    ]
    assert (usage["quantity"], usage["amount"]) == (in_period, in_period * UNIT)
    assert (usage["period"]["start"], usage["period"]["end"]) == (start, PERIOD_END)
    assert renewal["total"] == renewal["amount_paid"] == LICENSED + in_period * UNIT
    # The ledger clock never moved.
    assert ok("ledger", "clock")["now"] == at_start
    checked_ledger()


def _line(name: str, customer: str, value: int, identifier: str, timestamp: int) -> str:
    return json.dumps({"event_name": name, "payload": {"stripe_customer_id": customer,
                       "value": str(value)}, "identifier": identifier,
                       "timestamp": timestamp}) + "\n"  # fmt: skip


def _created(ledger: Path) -> dict[str, int]:
    conn = raw_connection(ledger)
    try:
        return dict(conn.execute("SELECT identifier, created FROM meter_events"))
    finally:
        conn.close()


def test_an_import_of_customers_of_two_clocks_checks_dates_and_bills_each_in_its_own_time(
    ok, billcli, tmp_path, new_clock, clock_customer, at_start, ledger_path, checked_ledger
):
    x_now, y_now = ts("2020-01-31T12:00:00Z"), ts(CLOCK_AT)
    x, y = new_clock("2020-01-31T12:00:00Z", "x"), new_clock(CLOCK_AT, "y")
    xena, yves = clock_customer(x, "Xena"), clock_customer(y, "Yves")
    lee = ok("customers", "create", "--name", "Lee", "--payment-method", "pm_card_visa")["id"]
    prices = _plan(ok)
    # $25.00 of accrued usage invoices Xena's subscription at once (more than $20.00).
    ok("subscriptions", "create", "--customer", xena, "--price", prices["licensed"],
       "--price", prices["metered"], "--billing-threshold", "2500")  # fmt: skip
    path = tmp_path / "events.ndjson"
    good = [
        _line("api_calls", xena, 900, "x1", x_now),  # $27.00: over the threshold
        _line("api_calls", yves, 40, "y1", at_start + 10 * DAY),
        _line("api_calls", lee, 6, "l1", at_start - DAY),
    ]
    # Yves's event stamped in Xena's time: 7 years before his clock's now.
    path.write_text("".join(good) + _line("api_calls", yves, 1, "y2", x_now))
    before = ledger_digest(ledger_path)
    refused = billcli("meters", "events", "import", str(path))
    assert refused.code == 1 and "line 4" in refused.err and "timestamp" in refused.err
    assert ledger_digest(ledger_path) == before
    path.write_text("".join(good))
    done = billcli("meters", "events", "import", str(path), "--json")
    assert done.code == 0, done.err
    assert done.json["written"] == 3
    assert _created(ledger_path) == {"x1": x_now, "y1": y_now, "l1": at_start}
    invoices = ok("invoices", "list", "--customer", xena, "--all")["data"]
    [early] = [i for i in invoices if i["billing_reason"] == "subscription_threshold"]
    assert early["created"] == x_now
    [usage] = early["lines"]["data"]
    assert (usage["quantity"], usage["amount"]) == (900, 900 * UNIT)
    assert [_frozen(ok, x), _frozen(ok, y), ok("ledger", "clock")["now"]] == [
        x_now,
        y_now,
        at_start,
    ]
    checked_ledger()


@pytest.mark.sqlite_only(
    "tampers behind a trigger by dropping it and remaking it from sqlite_master"
)
def test_ledger_check_names_a_clock_customers_event_received_after_its_clocks_time(
    ok, billcli, new_clock, clock_customer, at_start, ledger_path
):
    clock = new_clock(CLOCK_AT)
    cus = clock_customer(clock)
    _plan(ok)
    identifier = _send(billcli, cus, 3).json["identifier"]
    assert billcli("ledger", "check").code == 0
    conn = sqlite3.connect(ledger_path)
    [guard] = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'meter_events_append_only'")
    conn.execute("DROP TRIGGER meter_events_append_only")  # behind billcli's back
    conn.execute("UPDATE meter_events SET created = ?", [at_start + 400 * DAY])  # another clock's
    conn.execute(guard[0])
    conn.commit()
    conn.close()
    done = billcli("ledger", "check", "--json")
    assert done.code == 1
    [problem] = done.json["problems"]
    assert problem["object"] == identifier
    assert "this meter event was made at" in problem["message"]
    assert f"after its test clock {clock}" in problem["message"]


def test_a_v2_stream_of_customers_of_two_clocks_takes_each_event_in_its_own_time(
    ok, events, new_clock, clock_customer, at_start, ledger_path, checked_ledger
):
    x_now, y_now = ts("2020-01-31T12:00:00Z"), ts(CLOCK_AT)
    xena = clock_customer(new_clock("2020-01-31T12:00:00Z", "x"), "Xena")
    yves = clock_customer(new_clock(CLOCK_AT, "y"), "Yves")
    lee = ok("customers", "create", "--name", "Lee")["id"]
    _plan(ok)

    def event(customer: str, identifier: str, timestamp: int | None = None) -> dict[str, Any]:
        sent = {"event_name": "api_calls", "identifier": identifier,
                "payload": {"stripe_customer_id": customer, "value": "2"}}  # fmt: skip
        return sent if timestamp is None else {**sent, "timestamp": timestamp}

    with Ledger(ledger_path) as ledger:
        streams.stream(
            ledger,
            [event(xena, "x1"), event(yves, "y1", at_start + 10 * DAY), event(lee, "l1"),
             event(yves, "y2", x_now)],  # Xena's time: years before Yves's clock
        )  # fmt: skip
    assert _created(ledger_path) == {"x1": x_now, "y1": y_now, "l1": at_start}
    [report] = events("v1.billing.meter.error_report_triggered")
    assert report["created"] == at_start  # about no customer: ledger time
    assert "timestamp_too_far_in_past" in json.dumps(report)
    checked_ledger()


def test_an_import_past_the_customer_cache_still_dates_each_event_on_its_clock(
    ok, billcli, tmp_path, new_clock, clock_customer, at_start, ledger_path, monkeypatch
):
    monkeypatch.setattr(writing, "CUSTOMER_CACHE", 1)  # forgotten after every lookup
    x_now, y_now = ts("2020-01-31T12:00:00Z"), ts(CLOCK_AT)
    xena = clock_customer(new_clock("2020-01-31T12:00:00Z", "x"), "Xena")
    yves = clock_customer(new_clock(CLOCK_AT, "y"), "Yves")
    lee = ok("customers", "create", "--name", "Lee")["id"]
    _plan(ok)
    path = tmp_path / "events.ndjson"
    path.write_text(
        _line("api_calls", xena, 1, "x1", x_now)
        + _line("api_calls", yves, 2, "y1", y_now)
        + _line("api_calls", lee, 3, "l1", at_start)
        + _line("api_calls", xena, 4, "x2", x_now - DAY).replace(
            str(x_now - DAY),
            '"2020-01-30T12:00:00Z"',  # not plain: read line by line
        )
    )
    done = billcli("meters", "events", "import", str(path), "--json")
    assert done.code == 0, done.err
    assert _created(ledger_path) == {"x1": x_now, "x2": x_now, "y1": y_now, "l1": at_start}
    assert billcli("ledger", "check").code == 0
