"""`phases[0][start_date]=now` on an update, as today's Stripe library types it
(`int|Literal['now']`): a schedule not started yet starts at once, its subscription
created (the CLI's `start=now`: tests/schedules/test_start_now_seams.py)."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import recurring_price


def test_an_update_starting_a_schedule_now_starts_it(http: Any, ok: Any) -> None:
    price = recurring_price(http, 2000)
    ada = http.post("/v1/customers", data={"name": "Ada"}).json()["id"]
    made = http.post("/v1/subscription_schedules", data={
        "customer": ada, "start_date": "4102444800",
        "phases[0][items][0][price]": price, "phases[0][iterations]": "1",
    }).json()  # fmt: skip
    assert made["status"] == "not_started", made
    done = http.post(f"/v1/subscription_schedules/{made['id']}", data={
        "phases[0][start_date]": "now", "phases[0][items][0][price]": price,
        "phases[0][iterations]": "2",
    })  # fmt: skip
    assert done.status_code == 200, done.text
    started = done.json()
    assert started["status"] == "active"
    sub = http.get(f"/v1/subscriptions/{started['subscription']}").json()
    assert sub["schedule"] == made["id"]
    assert started["current_phase"]["start_date"] == sub["start_date"]
    assert http.post(f"/v1/subscription_schedules/{made['id']}", data={
        "phases[0][start_date]": "later", "phases[0][items][0][price]": price,
    }).json()["error"]["param"] == "phases[0][start_date]"  # fmt: skip
