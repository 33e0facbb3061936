"""A test clock's life: created ready, advancing then ready, `internal_failure` with the
failing step undone, taken over when its advance died, deleted with its customers
(asked, or 30 days of ledger time after its creation, as Stripe does); and the events
of each step, the clock's in ledger time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from billcli.services.clock import steps
from billcli.services.clock.tick import Progress
from tests.cli.test_tick_progress import _run_on_a_terminal
from tests.clocks.conftest import CLOCK_START, ts
from tests.conftest import raw_connection

DAY = 86_400


def _clock_events(ok: Callable[..., Any]) -> list[tuple[str, int, str, Any]]:
    """(type, created, status, target) of every test clock event, oldest first."""
    listed = ok("events", "list", "--all")["data"]
    return [
        (
            e["type"],
            e["created"],
            e["data"]["object"].get("status"),
            (e["data"]["object"].get("status_details") or {}).get("advancing"),
        )
        for e in reversed(listed)
        if e["type"].startswith("test_helpers.test_clock.")
    ]


def test_a_clock_is_created_advanced_and_listed_as_stripe_shows_it(
    ok: Callable[..., Any], new_clock: Callable[..., str], at_start: int, assert_valid: Any
) -> None:
    clock = new_clock()
    shown = ok("clocks", "show", clock)
    assert_valid(shown)
    assert (shown["frozen_time"], shown["status"], shown["status_details"]) == (
        ts(CLOCK_START),
        "ready",
        {},
    )
    assert (shown["created"], shown["deletes_after"]) == (at_start, at_start + 30 * DAY)
    advanced = ok("clocks", "advance", clock, "--by", "2w")
    assert_valid(advanced)
    assert (advanced["status"], advanced["frozen_time"]) == ("ready", ts(CLOCK_START) + 14 * DAY)
    listed = ok("clocks", "list")
    assert [c["id"] for c in listed["data"]] == [clock]
    for found in listed["data"]:
        assert_valid(found)
    target = {"target_frozen_time": ts(CLOCK_START) + 14 * DAY}
    assert _clock_events(ok) == [
        ("test_helpers.test_clock.created", at_start, "ready", None),
        ("test_helpers.test_clock.advancing", at_start, "advancing", target),
        ("test_helpers.test_clock.ready", at_start, "ready", None),
    ]


def test_an_advance_goes_any_distance_at_once_beyond_stripes_two_intervals(
    ok: Callable[..., Any],
    new_clock: Callable[..., str],
    clock_customer: Callable[..., str],
    catalog: dict[str, str],
    checked_ledger: Callable[[], None],
) -> None:
    """Stripe lets a monthly subscription's clock go two months at a time; billcli goes
    three years (36 renewals) in one advance, and as many customers as it is given."""
    clock = new_clock()
    customers = [clock_customer(clock, f"C{n}") for n in range(12)]
    for customer in customers:
        ok("subscriptions", "create", "--customer", customer, "--price", catalog["monthly"])
    ok("clocks", "advance", clock, "--to", "2023-02-01")
    for customer in customers:
        invoices = ok("invoices", "list", "--customer", customer, "--all")["data"]
        assert len(invoices) == 37 and {i["status"] for i in invoices} == {"paid"}
    checked_ledger()


def test_a_step_that_fails_leaves_the_clock_internal_failure_and_itself_undone(
    ok: Callable[..., Any],
    billcli: Callable[..., Any],
    new_clock: Callable[..., str],
    clock_customer: Callable[..., str],
    catalog: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    checked_ledger: Callable[[], None],
) -> None:
    clock = new_clock()
    ada, bob = clock_customer(clock, "Ada"), clock_customer(clock, "Bob")
    ok("subscriptions", "create", "--customer", ada, "--price", catalog["monthly"])
    ok("clocks", "advance", clock, "--by", "1d")
    doomed = ok("subscriptions", "create", "--customer", bob, "--price", catalog["monthly"])["id"]
    applied = steps.apply

    def failing(tx: Any, work: Any) -> Any:
        if work.subject == doomed:
            raise RuntimeError("a bug in a step")
        return applied(tx, work)

    monkeypatch.setattr(steps, "apply", failing)
    done = billcli("clocks", "advance", clock, "--by", "40d")
    assert done.code == 70 and len(done.err.strip().splitlines()) == 1
    monkeypatch.setattr(steps, "apply", applied)
    shown = ok("clocks", "show", clock)
    assert (shown["status"], shown["status_details"]) == ("internal_failure", {})
    assert ok("invoices", "list", "--customer", bob)["data"][0]["billing_reason"] == (
        "subscription_create"
    ), "the failing renewal left nothing behind"
    assert [e[0] for e in _clock_events(ok)][-1] == "test_helpers.test_clock.internal_failure"
    again = billcli("clocks", "advance", clock, "--by", "1d")
    assert again.code == 1 and "cannot advance again" in again.err
    checked_ledger()
    assert billcli("clocks", "delete", clock).code == 0


def test_an_advance_whose_process_died_is_taken_over_and_finished_once(
    ok: Callable[..., Any],
    new_clock: Callable[..., str],
    clock_customer: Callable[..., str],
    catalog: dict[str, str],
    ledger_path: Path,
    checked_ledger: Callable[[], None],
) -> None:
    """What kill -9 leaves: the clock `advancing` to its target, claimed by a process
    that no longer runs. The next advance to that target does the rest; its events are
    those of one advance."""
    clock = new_clock()
    ada = clock_customer(clock)
    ok("subscriptions", "create", "--customer", ada, "--price", catalog["monthly"])
    target = ts(CLOCK_START) + 70 * DAY
    conn = raw_connection(ledger_path)
    conn.execute(
        "UPDATE test_clocks SET status = 'advancing', target_frozen_time = ?, "
        "advanced_by = 'no-such-host-anywhere:1', lease_until = 1 WHERE id = ?",
        [target, clock],
    )
    conn.commit()
    conn.close()
    assert ok("clocks", "show", clock)["status_details"] == {
        "advancing": {"target_frozen_time": target}
    }
    done = ok("clocks", "advance", clock, "--to", str(target))
    assert (done["status"], done["frozen_time"]) == ("ready", target)
    assert len(ok("invoices", "list", "--customer", ada)["data"]) == 3
    kinds = [e[0] for e in _clock_events(ok)]
    assert kinds == ["test_helpers.test_clock.created", "test_helpers.test_clock.ready"]
    checked_ledger()


def test_deleting_a_clock_deletes_its_customers_as_customers_delete_does(
    ok: Callable[..., Any],
    billcli: Callable[..., Any],
    new_clock: Callable[..., str],
    clock_customer: Callable[..., str],
    catalog: dict[str, str],
    at_start: int,
    assert_valid: Any,
    checked_ledger: Callable[[], None],
) -> None:
    clock, other = new_clock(), new_clock("2022-02-02", "other")
    ada, bob = clock_customer(clock, "Ada"), clock_customer(other, "Bob")
    subs = [ok("subscriptions", "create", "--customer", c, "--price", catalog["monthly"])["id"]
            for c in (ada, bob)]  # fmt: skip
    ok("clocks", "advance", clock, "--by", "10d")
    gone = ok("clocks", "delete", clock)
    assert gone == {"id": clock, "object": "test_helpers.test_clock", "deleted": True}
    assert ok("customers", "show", ada) == {"id": ada, "object": "customer", "deleted": True}
    assert ok("subscriptions", "show", subs[0])["status"] == "canceled"
    assert ok("subscriptions", "show", subs[0])["ended_at"] == ts(CLOCK_START) + 10 * DAY
    assert ok("subscriptions", "show", subs[1])["status"] == "active"  # the other clock's
    assert billcli("clocks", "show", clock).code == 6
    assert billcli("customers", "list", "--clock", clock).code == 6
    assert [c["id"] for c in ok("clocks", "list")["data"]] == [other]
    deleted = ok("events", "list", "--type", "customer.deleted")["data"]
    assert [(e["data"]["object"]["id"], e["created"]) for e in deleted] == [
        (ada, ts(CLOCK_START) + 10 * DAY)
    ]
    (event,) = ok("events", "list", "--type", "test_helpers.test_clock.deleted")["data"]
    assert (event["created"], event["data"]["object"]["id"]) == (at_start, clock)
    assert_valid(event["data"]["object"])
    checked_ledger()


def test_the_ledger_clock_deletes_a_clock_30_days_after_its_creation(
    ok: Callable[..., Any],
    new_clock: Callable[..., str],
    clock_customer: Callable[..., str],
    at_start: int,
    checked_ledger: Callable[[], None],
) -> None:
    clock = new_clock()
    ada = clock_customer(clock)
    ok("invoices", "tick", "--to", str(at_start + 30 * DAY - 1))
    assert ok("clocks", "show", clock)["status"] == "ready"
    ok("invoices", "tick", "--by", "1s")
    assert ok("clocks", "list")["data"] == []
    assert ok("customers", "show", ada)["deleted"] is True
    checked_ledger()


def test_the_ledger_tick_leaves_a_clocks_due_work_to_its_advance(
    ok: Callable[..., Any],
    new_clock: Callable[..., str],
    clock_customer: Callable[..., str],
) -> None:
    """A clock in the past holds drafts due in 2020, long before the ledger's 2027: the
    ledger's tick does not touch them; the clock's advance does."""
    clock = new_clock()
    ada = clock_customer(clock)
    ok("invoices", "items", "create", "--customer", ada, "--amount", "1200")
    draft = ok("invoices", "create", "--customer", ada, "--pending-items", "include")["id"]
    ok("invoices", "tick", "--by", "1d")
    assert ok("invoices", "show", draft)["status"] == "draft"
    ok("clocks", "advance", clock, "--by", "2h")
    shown = ok("invoices", "show", draft)
    assert (shown["status"], shown["status_transitions"]["paid_at"]) == (
        "paid",
        ts(CLOCK_START) + 3600,
    )


def test_plain_lists_leave_clock_customers_and_subscriptions_out(
    ok: Callable[..., Any],
    new_clock: Callable[..., str],
    clock_customer: Callable[..., str],
    catalog: dict[str, str],
) -> None:
    clock = new_clock()
    ada = clock_customer(clock)
    lee = ok("customers", "create", "--name", "Lee", "--payment-method", "pm_card_visa")["id"]
    subs = {c: ok("subscriptions", "create", "--customer", c, "--price", catalog["monthly"])["id"]
            for c in (ada, lee)}  # fmt: skip
    assert [c["id"] for c in ok("customers", "list")["data"]] == [lee]
    assert [c["id"] for c in ok("customers", "list", "--clock", clock)["data"]] == [ada]
    assert [s["id"] for s in ok("subscriptions", "list")["data"]] == [subs[lee]]
    assert [s["id"] for s in ok("subscriptions", "list", "--clock", clock)["data"]] == [subs[ada]]
    assert [s["id"] for s in ok("subscriptions", "list", "--customer", ada)["data"]] == [subs[ada]]


def test_an_advance_on_a_terminal_shows_the_clocks_time_it_reached(
    ok: Callable[..., Any],
    new_clock: Callable[..., str],
    clock_customer: Callable[..., str],
    catalog: dict[str, str],
    ledger_path: Path,
) -> None:
    clock = new_clock()
    ok("subscriptions", "create", "--customer", clock_customer(clock), "--price",
       catalog["monthly"])  # fmt: skip
    status, shown = _run_on_a_terminal(["clocks", "advance", clock, "--by", "90d"], ledger_path)
    assert status == 0
    assert f"advancing {clock}" in shown and "its time 2020-" in shown and "steps" in shown


def test_an_advance_reports_its_progress_over_the_clocks_time(
    ok: Callable[..., Any],
    new_clock: Callable[..., str],
    clock_customer: Callable[..., str],
    catalog: dict[str, str],
    ledger_path: Path,
) -> None:
    from billcli.services.clock import clocks
    from billcli.store.ledger import Ledger

    clock = new_clock()
    ok("subscriptions", "create", "--customer", clock_customer(clock), "--price",
       catalog["monthly"])  # fmt: skip
    seen: list[Progress] = []
    with Ledger(ledger_path) as ledger:
        done = clocks.advance(ledger, clock, by="90d", progress=seen.append)
    assert seen and seen[-1].steps == done.report.steps
    assert {(p.start, p.target) for p in seen} == {(ts(CLOCK_START), ts(CLOCK_START) + 90 * DAY)}
    assert [p.at for p in seen] == sorted(p.at for p in seen)
