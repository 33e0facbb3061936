"""`POST /v1/billing/meter_events` for a test clock's customer, made through the API:
the event is checked against that clock's window (the past 35 days to 5 minutes ahead
of the clock's time, Stripe's rule) and received (`created`) at the clock's time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2 as httpx

from tests.conftest import ledger_digest
from tests.subscriptions.conftest import START, ts

DAY = 86_400


def test_the_api_takes_a_clock_customers_meter_event_in_its_clocks_time(
    ok: Callable[..., Any],
    http: httpx.Client,
    ledger_path: Path,
    checked_ledger: Callable[[], None],
) -> None:
    ledger_now = ts(START)
    ok("invoices", "tick", "--to", START)
    ok("meters", "create", "--event-name", "api_calls", "--display-name", "API calls",
       "--aggregation", "sum")  # fmt: skip
    clock_now = ledger_now + 30 * DAY
    made = http.post("/v1/test_helpers/test_clocks", data={"frozen_time": clock_now})
    clock = made.json()["id"]
    cus = http.post("/v1/customers", data={"name": "Ada", "test_clock": clock}).json()["id"]
    form = {"event_name": "api_calls", "payload[stripe_customer_id]": cus, "payload[value]": "9"}
    ahead = ledger_now + 10 * DAY  # ahead of the ledger clock, 20 days into the clock's past
    answer = http.post("/v1/billing/meter_events", data={**form, "timestamp": ahead})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["timestamp"], answer.json()["created"]) == (ahead, clock_now)
    defaulted = http.post("/v1/billing/meter_events", data=form).json()
    assert defaulted["timestamp"] == defaulted["created"] == clock_now
    before = ledger_digest(ledger_path)
    old = clock_now - 36 * DAY  # inside the ledger clock's window, not the clock's
    refused = http.post("/v1/billing/meter_events", data={**form, "timestamp": old})
    assert refused.status_code == 400
    assert refused.json()["error"]["param"] == "timestamp"
    assert refused.json()["error"]["code"] == "timestamp_too_far_in_past"
    assert ledger_digest(ledger_path) == before
    summary = http.get(
        f"/v1/billing/meters/{ok('meters', 'list')['data'][0]['id']}/event_summaries",
        params={"customer": cus, "start_time": ahead - 60, "end_time": clock_now + 60},
    ).json()
    assert summary["data"][0]["aggregated_value"] == 18
    checked_ledger()
