"""`reports usage`: each meter's usage per period over all customers."""

from __future__ import annotations

from tests.meters.conftest import HOUR

DAY = 86_400


def test_the_usage_report_adds_every_customers_usage_per_day_and_counts_the_customers(
    ok, billcli, at_start, customer, meter, send
):
    ada, grace = customer(), customer(name="Grace", email="grace@example.com")
    calls = meter()
    seats = meter("seats", "last")
    midnight = at_start - at_start % DAY
    send(ada, 5, timestamp=str(midnight - 2 * HOUR))  # the day before
    send(ada, 7, timestamp=str(midnight + HOUR))
    send(grace, 11, timestamp=str(midnight + 2 * HOUR))
    send(ada, 3, name="seats", timestamp=str(midnight - HOUR))
    send(ada, 4, name="seats", timestamp=str(midnight + HOUR))
    send(grace, 9, name="seats", timestamp=str(midnight + HOUR))
    report = ok("reports", "usage", "--by", "day", "--from", str(midnight - DAY))
    assert report["object"] == "report.usage"
    assert [m["id"] for m in report["meters"]] == [calls, seats]
    figures = [(p["meter"], p["start"], p["customers"], p["usage"]) for p in report["periods"]]
    assert figures == [
        (calls, midnight - DAY, 1, 5),
        (calls, midnight, 2, 18),
        (seats, midnight - DAY, 1, 3),
        (seats, midnight, 2, 4 + 9),  # each customer's latest level, added
    ]
    only = ok("reports", "usage", "--meter", seats, "--by", "day", "--from", str(midnight))
    assert [(p["meter"], p["usage"]) for p in only["periods"]] == [(seats, 13)]
    table = billcli("reports", "usage", "--by", "day", "--from", str(midnight - DAY))
    assert table.code == 0 and "18" in table.out and "api_calls" in table.out


def test_the_usage_report_of_a_missing_meter_exits_6(billcli, at_start, meter):
    meter()
    missing = billcli("reports", "usage", "--meter", "mtr_missing")
    assert missing.code == 6 and "mtr_missing" in missing.err


def test_the_usage_report_as_csv_carries_the_json_figures(
    ok, billcli, at_start, customer, meter, send
):
    cus, mtr = customer(), meter()
    send(cus, 7)
    figures = ok("reports", "usage", "--by", "week")["periods"]
    listed = billcli("reports", "usage", "--by", "week", "--csv")
    assert listed.code == 0
    rows = [line.split(",") for line in listed.out.splitlines()]
    assert rows[0] == ["meter", "start", "end", "customers", "usage"]
    assert rows[1:] == [
        [mtr, str(p["start"]), str(p["end"]), str(p["customers"]), str(p["usage"])] for p in figures
    ]
    assert rows[-1][-2:] == ["1", "7"]
