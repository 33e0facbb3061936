"""Signed delivery to real HTTP receivers, retries, and the finalization rule."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from billcli.core.invoicing import FINALIZATION_CAP_S
from tests.webhooks.receiver import Receiver, running_receiver


@pytest.fixture(autouse=True)
def frozen_clock(ok: Callable[..., Any]) -> None:
    """A tick freezes the ledger clock, so instants below are exact."""
    ok("invoices", "tick", "--by", "1s")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def endpoint(ok: Callable[..., Any], receiver: Receiver, *args: str) -> dict[str, Any]:
    created = ok("webhooks", "create", "--url", receiver.url, *args)
    receiver.secrets.append(created["secret"])
    return created  # type: ignore[no-any-return]


def draft_for_new_customer(ok: Callable[..., Any]) -> dict[str, Any]:
    customer = ok("customers", "create", "--name", "Ada", "--payment-method", "pm_card_visa")
    ok("invoices", "items", "create", "--customer", customer["id"], "--amount", "2500")
    return ok(  # type: ignore[no-any-return]
        "invoices", "create", "--customer", customer["id"], "--pending-items", "include"
    )


def test_every_delivery_verifies_with_the_official_stripe_library(
    ok: Callable[..., Any], receiver: Receiver, checked_ledger: Any
) -> None:
    endpoint(ok, receiver)
    draft = draft_for_new_customer(ok)
    ok("invoices", "tick", "--by", "3h")
    recorded = ok("events", "list", "--limit", "100")["data"]
    assert sorted(receiver.verified_ids()) == sorted(e["id"] for e in recorded)
    assert receiver.rejected == []
    types = Counter(r.type for r in receiver.received)
    for expected in (
        "customer.created",
        "invoiceitem.created",
        "invoice.created",
        "invoice.finalized",
        "invoice.paid",
    ):
        assert types[expected] >= 1, expected
    created = next(r for r in receiver.received if r.type == "invoice.created")
    assert created.body["data"]["object"]["id"] == draft["id"]
    assert created.body["api_version"] and created.body["object"] == "event"
    assert created.body["pending_webhooks"] == 1
    assert created.signature.startswith("t=") and ",v1=" in created.signature
    attempts = ok("events", "deliveries", created.event_id)["data"]
    assert [(a["status_code"], a["error"]) for a in attempts] == [(200, None)]
    checked_ledger()


def test_500_twice_then_200_retries_on_schedule_and_finalizes_an_hour_after_success(
    ok: Callable[..., Any], receiver: Receiver, checked_ledger: Any
) -> None:
    endpoint(ok, receiver, "--events", "invoice.created")
    receiver.script = [500, 500, 200]
    draft = draft_for_new_customer(ok)
    start = draft["created"]
    assert draft["webhooks_delivered_at"] is None
    assert draft["automatically_finalizes_at"] == start + FINALIZATION_CAP_S

    ok("invoices", "tick", "--by", "90m")
    event = ok("events", "list", "--type", "invoice.created")["data"][0]
    attempts = ok("events", "deliveries", event["id"])["data"]
    assert [(a["created"] - start, a["status_code"]) for a in attempts] == [
        (0, 500),
        (600, 500),
        (3600, 200),
    ]
    waiting = ok("invoices", "show", draft["id"])
    assert waiting["status"] == "draft"
    assert waiting["webhooks_delivered_at"] == start + 3600
    assert waiting["automatically_finalizes_at"] == start + 7200

    ok("invoices", "tick", "--by", "1h")
    done = ok("invoices", "show", draft["id"])
    assert done["status"] == "paid"
    assert done["status_transitions"]["finalized_at"] == start + 7200
    assert len(receiver.received) == 3
    checked_ledger()


def test_a_receiver_that_never_answers_costs_the_tick_one_timeout_per_attempt(
    ok: Callable[..., Any], receiver: Receiver, checked_ledger: Any
) -> None:
    ok("ledger", "config", "webhooks.timeout", "1")
    endpoint(ok, receiver, "--events", "invoice.created")
    receiver.script = ["hang"] * 4
    draft = draft_for_new_customer(ok)
    start = draft["created"]
    began = time.monotonic()
    ok("invoices", "tick", "--by", "5h")
    took = time.monotonic() - began
    assert took < 4 * 1.5 + 3, f"four timed-out attempts held the tick {took:.1f} s"
    event = ok("events", "list", "--type", "invoice.created")["data"][0]
    attempts = ok("events", "deliveries", event["id"])["data"]
    assert [a["created"] - start for a in attempts] == [0, 600, 3600, 3 * 3600]
    assert all(a["error"] == "timed out after 1 s" for a in attempts)
    invoice = ok("invoices", "show", draft["id"])
    # The last attempt failed for good at +3 h: the draft finalized an hour later.
    assert invoice["webhooks_delivered_at"] == start + 3 * 3600
    assert invoice["status_transitions"]["finalized_at"] == start + 4 * 3600
    checked_ledger()


def test_a_draft_whose_deliveries_cannot_end_finalizes_at_the_72_hour_cap(
    ok: Callable[..., Any], receiver: Receiver, checked_ledger: Any
) -> None:
    hook = endpoint(ok, receiver, "--events", "invoice.created")
    ok("webhooks", "update", hook["id"], "--disable")
    ok("webhooks", "update", hook["id"], "--enable")
    receiver.script = [500] * 4
    draft = draft_for_new_customer(ok)
    ok("invoices", "tick", "--by", "30m")
    ok("webhooks", "update", hook["id"], "--disable")  # its queue waits, undelivered
    ok("invoices", "tick", "--by", "71h")
    assert ok("invoices", "show", draft["id"])["status"] == "draft"
    ok("invoices", "tick", "--by", "1h")
    invoice = ok("invoices", "show", draft["id"])
    assert invoice["status"] == "paid"
    assert invoice["status_transitions"]["finalized_at"] == draft["created"] + FINALIZATION_CAP_S
    checked_ledger()


def test_a_slow_endpoint_does_not_delay_a_fast_one(
    ok: Callable[..., Any], receiver: Receiver, checked_ledger: Any
) -> None:
    ok("ledger", "config", "webhooks.timeout", "2")
    with running_receiver() as slow:
        endpoint(ok, slow)
        slow.script = ["hang"] * 100
        endpoint(ok, receiver)
        began = time.monotonic()
        ok("customers", "create", "--name", "Grace")
        ok("events", "deliver")
        took = time.monotonic() - began
    assert len(receiver.received) == 1
    assert took < 2 + 2, f"both endpoints were sent to at once ({took:.1f} s)"
    checked_ledger()


def test_a_redirect_is_a_failure_and_is_not_followed(
    ok: Callable[..., Any], receiver: Receiver, checked_ledger: Any
) -> None:
    endpoint(ok, receiver, "--events", "customer.created")
    receiver.script = ["redirect"]
    ok("customers", "create")
    report = ok("events", "deliver")
    assert (report["delivered"], report["retrying"]) == (0, 1)
    assert report["attempts"][0]["error"] == "redirect to /moved not followed"
    assert receiver.redirect_hits == 0
    checked_ledger()


def test_a_huge_response_is_cut_to_a_short_excerpt(
    ok: Callable[..., Any], receiver: Receiver, checked_ledger: Any
) -> None:
    endpoint(ok, receiver, "--events", "customer.created")
    receiver.script = ["huge"]
    ok("customers", "create")
    began = time.monotonic()
    report = ok("events", "deliver")
    assert time.monotonic() - began < 5
    attempt = report["attempts"][0]
    assert attempt["status_code"] == 200
    assert len(attempt["response_excerpt"]) == 1024
    checked_ledger()


def test_a_rotated_secret_signs_with_both_keys_until_the_old_one_expires(
    ok: Callable[..., Any], receiver: Receiver, checked_ledger: Any
) -> None:
    hook = endpoint(ok, receiver, "--events", "customer.created")
    old = hook["secret"]
    rotated = ok("webhooks", "rotate-secret", hook["id"], "--keep-old-for", "1h")
    assert rotated["secret"] != old and rotated["secret"].startswith("whsec_")
    receiver.secrets[:] = [old]  # a receiver not yet given the new secret
    ok("customers", "create")
    ok("events", "deliver")
    assert len(receiver.received) == 1
    assert receiver.received[0].signature.count("v1=") == 2
    ok("invoices", "tick", "--by", "2h")
    ok("customers", "create")
    ok("events", "deliver")
    assert len(receiver.rejected) == 1, "the old secret stopped signing after the overlap"
    checked_ledger()


def test_deleting_an_endpoint_gives_up_its_queue_and_releases_waiting_drafts(
    ok: Callable[..., Any], receiver: Receiver, checked_ledger: Any
) -> None:
    hook = endpoint(ok, receiver, "--events", "invoice.created")
    ok("webhooks", "update", hook["id"], "--disable")
    ok("webhooks", "update", hook["id"], "--enable")
    draft = draft_for_new_customer(ok)
    ok("webhooks", "delete", hook["id"])
    released = ok("invoices", "show", draft["id"])
    assert released["webhooks_delivered_at"] == draft["created"]
    assert released["automatically_finalizes_at"] == draft["created"] + 3600
    checked_ledger()


def test_concurrent_deliverers_send_each_event_once(
    ok: Callable[..., Any], receiver: Receiver, ledger_path: Path, checked_ledger: Any
) -> None:
    endpoint(ok, receiver, "--events", "customer.created")
    for n in range(60):
        ok("customers", "create", "--name", f"C{n}")
    env = {**os.environ, "BILLCLI_LEDGER": str(ledger_path)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "billcli", "events", "deliver", "--json"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(4)
    ]
    assert [run.wait(timeout=60) for run in runs] == [0, 0, 0, 0]
    counts = Counter(receiver.verified_ids())
    assert len(counts) == 60
    assert set(counts.values()) == {1}
    checked_ledger()


def test_no_endpoint_keeps_the_one_hour_rule(ok: Callable[..., Any]) -> None:
    draft = draft_for_new_customer(ok)
    assert draft["webhooks_delivered_at"] == draft["created"]
    assert draft["automatically_finalizes_at"] == draft["created"] + 3600


def test_two_ticks_at_once_deliver_each_event_once(
    ok: Callable[..., Any], receiver: Receiver, ledger_path: Path, checked_ledger: Any
) -> None:
    endpoint(ok, receiver, "--events", "invoice.created,invoice.finalized,invoice.paid")
    customer = ok("customers", "create", "--payment-method", "pm_card_visa")
    for _ in range(40):
        ok("invoices", "items", "create", "--customer", customer["id"], "--amount", "1000")
        ok("invoices", "create", "--customer", customer["id"], "--pending-items", "include")
    env = {**os.environ, "BILLCLI_LEDGER": str(ledger_path)}
    ticks = [
        subprocess.Popen(
            [sys.executable, "-m", "billcli", "invoices", "tick", "--by", "2h"],
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    assert [tick.wait(timeout=120) for tick in ticks] == [0, 0]
    counts = Counter(receiver.verified_ids())
    assert len(counts) == 40 * 3
    assert set(counts.values()) == {1}
    checked_ledger()


def test_subscription_events_reach_endpoints_signed_in_time_order(
    ok: Callable[..., Any], receiver: Receiver, checked_ledger: Any
) -> None:
    wanted = [
        f"customer.subscription.{t}" for t in ("created", "updated", "deleted", "trial_will_end")
    ] + ["invoice.upcoming", "invoice.paid"]
    endpoint(ok, receiver, "--events", ",".join(wanted))
    ok("products", "create", "--name", "Plan", "--id", "plan")
    price = ok(
        "prices",
        "create",
        "--product",
        "plan",
        "--currency",
        "usd",
        "--unit-amount",
        "1500",
        "--recurring-interval",
        "week",
    )["id"]
    customer = ok("customers", "create", "--name", "Ada", "--payment-method", "pm_card_visa")
    sub = ok(
        "subscriptions",
        "create",
        "--customer",
        customer["id"],
        "--price",
        price,
        "--trial-days",
        "5",
    )
    ok("invoices", "tick", "--by", "13d")
    ok("subscriptions", "cancel", sub["id"])
    ok("events", "deliver")
    assert receiver.rejected == []
    types = [r.type for r in receiver.received]
    # The creation's two events come first (sent together, in either order).
    assert set(types[:2]) == {"customer.subscription.created", "invoice.paid"}
    for expected in (
        "customer.subscription.trial_will_end",
        "customer.subscription.updated",
        "invoice.upcoming",
        "customer.subscription.deleted",
    ):
        assert expected in types, expected
    recorded = {
        e["id"]
        for e in ok("events", "list", "--all")["data"]
        if e["type"].startswith(("customer.subscription.", "invoice.upcoming", "invoice.paid"))
    }
    assert set(receiver.verified_ids()) == recorded
    checked_ledger()


def test_an_endpoint_receives_events_in_the_api_version_it_keeps(
    ok: Callable[..., Any], receiver: Receiver, checked_ledger: Any
) -> None:
    """Stripe sends each endpoint its own `api_version`'s shape: a 2023 endpoint sees
    `invoice.paid`, a 2025-03-31.basil one `invoice.parent` and no `paid`; neither sees a
    customer's `sources`, which Stripe shows only when expanded (since 2020-08-27)."""
    endpoint(ok, receiver, "--events", "invoice.created,customer.created")
    with running_receiver() as newer:
        kept = endpoint(ok, newer, "--events", "invoice.created,customer.created",
                        "--api-version", "2025-03-31.basil")  # fmt: skip
        assert kept["api_version"] == "2025-03-31.basil"
        assert ok("webhooks", "show", kept["id"])["api_version"] == "2025-03-31.basil"
        draft = draft_for_new_customer(ok)
        ok("events", "deliver")
        assert receiver.rejected == newer.rejected == []
        old = {r.type: r.body for r in receiver.received}
        new = {r.type: r.body for r in newer.received}
    assert set(old) == set(new) == {"invoice.created", "customer.created"}
    assert new["invoice.created"]["api_version"] == "2025-03-31.basil"
    assert old["invoice.created"]["api_version"] == "2023-08-16"
    old_invoice, new_invoice = (s["invoice.created"]["data"]["object"] for s in (old, new))
    assert old_invoice["id"] == new_invoice["id"] == draft["id"]
    assert "paid" in old_invoice and "parent" not in old_invoice
    assert "paid" not in new_invoice and new_invoice["parent"] is None
    for shown in (old, new):
        assert "sources" not in shown["customer.created"]["data"]["object"]
        assert shown["customer.created"]["data"]["object"]["object"] == "customer"
    checked_ledger()


def test_an_endpoint_refuses_an_api_version_billcli_cannot_send(
    ok: Callable[..., Any], billcli: Callable[..., Any], receiver: Receiver
) -> None:
    refused = billcli("webhooks", "create", "--url", receiver.url, "--api-version", "yesterday")
    assert refused.code == 1 and "api_version" in refused.err, refused.err
    assert ok("webhooks", "list")["data"] == []
