"""Meter events as Stripe documents them: the three formulas, identifiers unique (the
exact duplicate error), the 35-day / 5-minute timestamp window, cancellation within 24
hours, summaries on minute boundaries with an exclusive end."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Result, ledger_digest
from tests.meters.conftest import HOUR, assert_shaped

DAY = 86_400


def test_sum_count_and_last_aggregate_the_same_events_by_their_formulas(
    ok, at_start, customer, meter, send, summary, checked_ledger
):
    cus = customer()
    meters = {formula: meter(f"calls_{formula}", formula) for formula in ("sum", "count", "last")}
    values = [5, 40, 2]
    for n, value in enumerate(values):
        for formula in meters:
            send(cus, value, name=f"calls_{formula}", timestamp=str(at_start - 3 * HOUR + n * 60))
    window = (at_start - 4 * HOUR, at_start + 60)
    assert summary(meters["sum"], cus, *window) == 47
    assert summary(meters["count"], cus, *window) == 3
    assert summary(meters["last"], cus, *window) == 2  # the latest by timestamp
    checked_ledger()


def test_a_second_event_with_the_same_identifier_is_refused_with_stripes_error(
    billcli, ledger_path, at_start, customer, meter, send, summary
):
    cus, mtr = customer(), meter()
    send(cus, 10, identifier="req_1")
    before = ledger_digest(ledger_path)
    again: Result = billcli(
        "meters",
        "events",
        "send",
        "--event-name",
        "api_calls",
        "--customer",
        cus,
        "--value",
        "99",
        "--identifier",
        "req_1",
    )
    assert again.code == 1
    assert again.err.strip() == "error: An event already exists with identifier req_1."
    assert ledger_digest(ledger_path) == before
    assert summary(mtr, cus, at_start - HOUR, at_start + 60) == 10


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [(-35 * DAY, True), (-35 * DAY - 60, False), (300, True), (360, False)],
    ids=["35-days-ago", "older", "5-minutes-ahead", "further-ahead"],
)
def test_event_timestamps_lie_within_35_days_before_and_5_minutes_after_now(
    billcli, ledger_path, at_start, customer, meter, offset, accepted
):
    cus = customer()
    meter()
    before = ledger_digest(ledger_path)
    sent = billcli(
        "meters",
        "events",
        "send",
        "--event-name",
        "api_calls",
        "--customer",
        cus,
        "--value",
        "1",
        "--timestamp",
        str(at_start + offset),
    )
    assert (sent.code == 0) is accepted, sent.err
    if not accepted:
        assert sent.code == 1 and "timestamp" in sent.err.lower()
        assert len(sent.err.strip().splitlines()) == 1
        assert ledger_digest(ledger_path) == before


def test_an_event_for_no_meter_or_an_unknown_customer_writes_nothing(
    billcli, ledger_path, at_start, customer, meter
):
    cus = customer()
    meter()
    before = ledger_digest(ledger_path)
    nameless = billcli(
        "meters", "events", "send", "--event-name", "nope", "--customer", cus, "--value", "1"
    )
    stranger = billcli(
        "meters",
        "events",
        "send",
        "--event-name",
        "api_calls",
        "--customer",
        "cus_missing",
        "--value",
        "1",
    )
    assert nameless.code == 6 and "nope" in nameless.err  # no meter: nothing found
    assert stranger.code == 6 and "cus_missing" in stranger.err
    assert ledger_digest(ledger_path) == before


def test_a_canceled_event_stops_counting_and_only_within_24_hours(
    ok, billcli, at_start, customer, meter, send, summary, checked_ledger
):
    cus, mtr = customer(), meter()
    send(cus, 10, identifier="keep")
    send(cus, 7, identifier="drop")
    adjustment = ok(
        "meters", "events", "cancel", "--event-name", "api_calls", "--identifier", "drop"
    )
    assert adjustment["object"] == "billing.meter_event_adjustment"
    assert adjustment["cancel"] == {"identifier": "drop"}
    assert summary(mtr, cus, at_start - HOUR, at_start + 60) == 10
    ok("invoices", "tick", "--to", str(at_start + DAY + 60))
    late = billcli(
        "meters", "events", "cancel", "--event-name", "api_calls", "--identifier", "keep"
    )
    assert late.code == 1 and "24 hours" in late.err
    assert summary(mtr, cus, at_start - HOUR, at_start + 60) == 10
    checked_ledger()


def test_summaries_take_minute_bounds_with_the_end_excluded_and_split_by_hour(
    ok, billcli, at_start, customer, meter, send, checked_ledger
):
    cus, mtr = customer(), meter()
    hour = at_start - at_start % HOUR
    for minutes, value in [(-90, 1), (-30, 2), (-1, 4)]:
        send(cus, value, timestamp=str(hour + minutes * 60))
    odd = billcli(
        "meters",
        "summaries",
        mtr,
        "--customer",
        cus,
        "--from",
        str(hour - 2 * HOUR + 1),
        "--to",
        str(hour),
    )
    assert odd.code == 1 and "minute" in odd.err
    hourly = ok(
        "meters",
        "summaries",
        mtr,
        "--customer",
        cus,
        "--from",
        str(hour - 2 * HOUR),
        "--to",
        str(hour),
        "--by",
        "hour",
    )["data"]
    assert [(s["start_time"], s["end_time"], s["aggregated_value"]) for s in hourly] == [
        (hour - HOUR, hour, 6),  # newest first, as Stripe lists them
        (hour - 2 * HOUR, hour - HOUR, 1),
    ]
    excluded = ok(
        "meters",
        "summaries",
        mtr,
        "--customer",
        cus,
        "--from",
        str(hour - HOUR),
        "--to",
        str(hour - 60),
    )["data"]
    assert excluded[0]["aggregated_value"] == 2  # the event at the end is not in it
    checked_ledger()


def test_meter_objects_have_the_shape_of_stripes_current_fixtures(
    ok, at_start, customer, meter, send, fixture_of: Callable[[str], dict[str, Any]]
):
    cus, mtr = customer(), meter()
    event = send(cus, 3, identifier="shape")
    adjustment = ok(
        "meters", "events", "cancel", "--event-name", "api_calls", "--identifier", "shape"
    )
    found = ok(
        "meters",
        "summaries",
        mtr,
        "--customer",
        cus,
        "--from",
        str(at_start - HOUR),
        "--to",
        str(at_start + 60),
    )["data"][0]
    assert_shaped(ok("meters", "show", mtr), fixture_of("billing.meter"))
    assert_shaped(event, fixture_of("billing.meter_event"))
    assert_shaped(adjustment, fixture_of("billing.meter_event_adjustment"))
    assert_shaped(found, fixture_of("billing.meter_event_summary"))


def test_a_meter_changes_only_its_display_name_and_a_deactivated_one_takes_no_events(
    ok, billcli, ledger_path, at_start, customer, meter
):
    cus, mtr = customer(), meter()
    renamed = ok("meters", "update", mtr, "--display-name", "Calls")
    assert renamed["display_name"] == "Calls" and renamed["event_name"] == "api_calls"
    off = ok("meters", "deactivate", mtr)
    assert off["status"] == "inactive" and off["status_transitions"]["deactivated_at"] == at_start
    before = ledger_digest(ledger_path)
    refused = billcli(
        "meters", "events", "send", "--event-name", "api_calls", "--customer", cus, "--value", "1"
    )
    assert refused.code == 1 and len(refused.err.strip().splitlines()) == 1
    assert ledger_digest(ledger_path) == before
    assert ok("meters", "reactivate", mtr)["status"] == "active"


def _import(billcli, path: Path) -> Result:
    return billcli("meters", "events", "import", str(path))  # type: ignore[no-any-return]


def test_an_import_with_a_bad_line_names_it_and_writes_nothing_of_the_file(
    billcli, tmp_path, ledger_path, at_start, customer, meter
):
    cus = customer()
    meter()
    good = (
        f'{{"event_name":"api_calls","payload":{{"stripe_customer_id":"{cus}","value":"1"}},'
        f'"identifier":"i{{n}}","timestamp":{at_start}}}\n'
    )
    lines = [good.replace("{n}", str(n)) for n in range(5)]
    lines[3] = lines[3].replace('"value":"1"', '"value":"-4"')
    path = tmp_path / "events.ndjson"
    path.write_text("".join(lines))
    before = ledger_digest(ledger_path)
    result = _import(billcli, path)
    assert result.code == 1
    assert "line 4" in result.err and "value" in result.err
    assert ledger_digest(ledger_path) == before


def test_an_import_keeps_identifiers_holding_characters_python_would_break_lines_at(
    ok, billcli, tmp_path, at_start, customer, meter, summary, checked_ledger
):
    """JSON strings may hold U+0085, U+2028 and U+2029 as they are; NDJSON lines end
    at a newline only, so each line is one event and its identifier is kept whole (lines
    without a timestamp, read one by one rather than by the plain lines' pattern)."""
    cus, mtr = customer(), meter()
    marks = ["a\x85b", "c\u2028d", "e\u2029f"]
    path = tmp_path / "events.ndjson"
    path.write_text(
        "".join(
            f'{{"event_name":"api_calls","payload":{{"stripe_customer_id":"{cus}",'
            f'"value":"{n + 1}"}},"identifier":"{mark}"}}\n'
            for n, mark in enumerate(marks)
        ),
        encoding="utf-8",
    )
    result = _import(billcli, path)
    assert result.code == 0, result.err
    assert summary(mtr, cus, at_start - HOUR, at_start + 60) == 1 + 2 + 3
    again = billcli("meters", "events", "import", str(path), "--json")
    assert (again.json["written"], again.json["duplicate_identifiers"]) == (0, marks)
    checked_ledger()


def test_an_import_reads_csv_payload_columns_and_skips_identifiers_already_recorded(
    ok, billcli, tmp_path, at_start, customer, meter, send, summary, checked_ledger
):
    cus, mtr = customer(), meter()
    send(cus, 100, identifier="seen", timestamp=str(at_start - 120))
    path = tmp_path / "events.csv"
    path.write_text(
        "event_name,identifier,timestamp,payload.stripe_customer_id,payload.value\n"
        f"api_calls,seen,{at_start - 60},{cus},5\n"
        f"api_calls,new1,{at_start - 60},{cus},6\n"
        f"api_calls,new2,{at_start - 60},{cus},7\n"
    )
    result = _import(billcli, path)
    assert result.code == 0, result.err
    assert summary(mtr, cus, at_start - HOUR, at_start + 60) == 100 + 6 + 7
    checked_ledger()


def test_each_change_of_a_meter_is_a_billing_meter_event(ok, at_start, meter, events):
    mtr = meter()
    ok("meters", "update", mtr, "--display-name", "Calls")
    ok("meters", "deactivate", mtr)
    ok("meters", "reactivate", mtr)
    for kind, status in [("created", "active"), ("updated", "active"),
                         ("deactivated", "inactive"), ("reactivated", "active")]:  # fmt: skip
        [event] = events(f"billing.meter.{kind}")
        assert event["data"]["object"]["id"] == mtr
        assert event["data"]["object"]["status"] == status


def test_an_import_of_many_chunks_adds_up_as_its_events_do_for_sum_and_last_meters(
    monkeypatch, billcli, tmp_path, at_start, customer, meter, summary, checked_ledger
):
    """A big import sets its runs aside and files them at the end: summaries over the
    whole span and over a window cutting runs, across a week boundary, must be what
    the events add up to, recomputed here from the file."""
    monkeypatch.setattr("billcli.services.meters.reading.CHUNK_CHARS", 2_000)
    people = [customer(), customer()]
    meters = {formula: meter(f"calls_{formula}", formula) for formula in ("sum", "last")}
    rng = random.Random(32)
    events = []
    for n in range(400):
        formula = rng.choice(list(meters))
        # Ten days back, so that the events fall in two epoch weeks; out of time order.
        at = at_start - rng.randrange(10 * DAY)
        events.append((f"calls_{formula}", rng.choice(people), rng.randint(0, 99), at, n))
    path = tmp_path / "events.ndjson"
    path.write_text(
        "".join(
            f'{{"event_name":"{name}","payload":{{"stripe_customer_id":"{cus}",'
            f'"value":"{value}"}},"identifier":"e{n}","timestamp":{at}}}\n'
            for name, cus, value, at, n in events
        )
    )
    assert path.stat().st_size > 20 * 2_000
    assert _import(billcli, path).code == 0
    windows = [(at_start - 11 * DAY, at_start + 60), (at_start - 7 * DAY, at_start - 3 * DAY)]
    for (formula, mtr), cus, (start, end) in itertools.product(meters.items(), people, windows):
        mine = [e for e in events if e[0] == f"calls_{formula}" and e[1] == cus]
        inside = [e for e in mine if start <= e[3] < end]
        expected = (
            sum(e[2] for e in inside)
            if formula == "sum"
            else max(inside, key=lambda e: (e[3], e[4]))[2]
        )
        assert summary(mtr, cus, start, end) == expected, (formula, cus, start)
    checked_ledger()
