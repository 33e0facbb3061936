"""`GET /v1/invoices/upcoming` and `POST /v1/invoices/create_preview` take the parameters
of a subscription update (flat `subscription_…` or nested `subscription_details[…]`),
and what they preview is what the update then makes, to the cent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2 as httpx
import pytest

from tests.subscriptions.conftest import ts

START = "2027-01-31T12:00:00Z"


@pytest.fixture
def plan(ok: Callable[..., Any]) -> dict[str, str]:
    """Monthly and yearly prices; the clock at START."""
    ok("invoices", "tick", "--to", START)
    ok("products", "create", "--name", "Pro plan", "--id", "pro")
    made = {}
    for name, amount, interval in (("monthly", "2000", "month"), ("yearly", "20000", "year")):
        args = ("--unit-amount", amount, "--recurring-interval", interval)
        made[name] = ok("prices", "create", "--product", "pro", "--currency", "usd", *args)["id"]
    return made


def subscribed(ok: Callable[..., Any], price: str, *extra: str) -> dict[str, str]:
    cus = ok("customers", "create", "--name", "Ada", "--payment-method", "pm_card_visa")["id"]
    sub = ok("subscriptions", "create", "--customer", cus, "--price", price, *extra)
    return {"customer": cus, "sub": sub["id"], "item": sub["items"]["data"][0]["id"]}


def amounts(invoice: dict[str, Any]) -> tuple[int, list[tuple[int, str]]]:
    lines = sorted((line["amount"], line["description"]) for line in invoice["lines"]["data"])
    return invoice["total"], lines


@pytest.mark.parametrize(
    ("start", "query", "update"),
    [
        (  # month → year in mid-period: the unused time credited, a year charged, now
            "monthly",
            {"subscription_items[0][id]": "{item}", "subscription_items[0][price]": "{yearly}"},
            {"items[0][id]": "{item}", "items[0][price]": "{yearly}"},
        ),
        (  # a new anchor
            "monthly",
            {"subscription_billing_cycle_anchor": "now"},
            {"billing_cycle_anchor": "now"},
        ),
        (  # a trial ended now
            "trial",
            {"subscription_trial_end": "now"},
            {"trial_end": "now"},
        ),
        (  # always_invoice, nested the way create_preview's clients send it
            "monthly",
            {
                "subscription_details[items][0][id]": "{item}",
                "subscription_details[items][0][quantity]": "3",
                "subscription_details[proration_behavior]": "always_invoice",
                "subscription_details[proration_date]": "{when}",
            },
            {
                "items[0][id]": "{item}",
                "items[0][quantity]": "3",
                "proration_behavior": "always_invoice",
                "proration_date": "{when}",
            },
        ),
    ],
)
def test_the_preview_is_what_the_update_then_invoices(
    http: httpx.Client, ok, plan, start, query, update, checked_ledger
) -> None:
    extra = ("--trial-days", "30") if start == "trial" else ()
    sub = subscribed(ok, plan["monthly"], *extra)
    ok("invoices", "tick", "--to", "2027-02-10T00:00:00Z")
    names = sub | plan | {"when": str(ts("2027-02-09T00:00:00Z"))}
    params = {k: v.format(**names) for k, v in query.items()}
    params |= {"customer": sub["customer"], "subscription": sub["sub"]}
    nested = any(k.startswith("subscription_details") for k in params)
    answer = (
        http.post("/v1/invoices/create_preview", data=params)
        if nested
        else http.get("/v1/invoices/upcoming", params=params)
    )
    assert answer.status_code == 200, answer.text
    preview = answer.json()
    made = http.post(
        f"/v1/subscriptions/{sub['sub']}", data={k: v.format(**names) for k, v in update.items()}
    )
    assert made.status_code == 200, made.text
    invoice = http.get(f"/v1/invoices/{made.json()['latest_invoice']}").json()
    assert invoice["billing_reason"] == "subscription_update"
    assert amounts(preview) == amounts(invoice)
    assert preview["total"] != 0
    checked_ledger()


def test_a_cancellation_at_the_period_end_has_nothing_to_preview(
    http: httpx.Client, ok, plan
) -> None:
    sub = subscribed(ok, plan["monthly"])
    params = {"customer": sub["customer"], "subscription_cancel_at_period_end": "true"}
    answer = http.get("/v1/invoices/upcoming", params=params | {"subscription": sub["sub"]})
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert (error["code"], error["message"]) == (
        "invoice_upcoming_none",
        f"No upcoming invoices for customer: {sub['customer']}",
    )
    assert ok("subscriptions", "show", sub["sub"])["cancel_at_period_end"] is False


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"subscription_trial_end": "soon"}, "subscription_trial_end"),
        ({"subscription_billing_cycle_anchor": "later"}, "billing_cycle_anchor"),
        ({"subscription_proration_date": "x"}, "subscription_proration_date"),
        ({"subscription_resume_at": "now"}, "subscription_resume_at"),
        ({"subscription_details[start_date]": "1"}, "subscription_details[start_date]"),
    ],
)
def test_bad_preview_parameters_are_refused_naming_them(
    http: httpx.Client, ok, plan, params, param
) -> None:
    sub = subscribed(ok, plan["monthly"])
    answer = http.get(
        "/v1/invoices/upcoming",
        params=params | {"customer": sub["customer"], "subscription": sub["sub"]},
    )
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["param"] == param
