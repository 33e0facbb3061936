"""`reports usage` counts, per period, the customers with usage in it: not one whose
events of a batch fall on either side of the period (their run spans it), nor one whose
only event in it was canceled."""

from __future__ import annotations

from tests.meters.conftest import HOUR

DAY = 86_400


def test_the_usage_report_counts_no_customer_for_a_day_without_their_usage(
    ok, billcli, tmp_path, at_start, customer, meter, send, checked_ledger
):
    ada, grace = customer(), customer(name="Grace", email="grace@example.com")
    calls = meter()
    midnight = at_start - at_start % DAY
    ok("invoices", "tick", "--to", str(midnight + 3 * DAY + 12 * HOUR))
    stamps = {"a1": (midnight + 10 * HOUR, 5), "a2": (midnight + 2 * DAY + 10 * HOUR, 7)}
    path = tmp_path / "events.ndjson"  # one batch: Ada's events of day 0 and day 2
    path.write_text(
        "".join(
            f'{{"event_name":"api_calls","payload":{{"stripe_customer_id":"{ada}",'
            f'"value":"{value}"}},"identifier":"{name}","timestamp":{at}}}\n'
            for name, (at, value) in stamps.items()
        )
    )
    assert billcli("meters", "events", "import", str(path)).code == 0
    send(grace, 11, identifier="g1", timestamp=str(midnight + DAY + 3 * HOUR))
    ok("meters", "events", "cancel", "g1", "--event-name", "api_calls")  # day 1: nothing left
    report = ok("reports", "usage", "--meter", calls, "--by", "day", "--from", str(midnight),
                "--to", str(midnight + 3 * DAY - 1))  # fmt: skip
    figures = [(p["start"], p["customers"], p["usage"]) for p in report["periods"]]
    assert figures == [(midnight, 1, 5), (midnight + DAY, 0, 0), (midnight + 2 * DAY, 1, 7)]
    checked_ledger()
