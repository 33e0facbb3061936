"""Deleting a customer ends what it was billed for (Stripe: its subscriptions are
canceled at once); nothing more is billed or charged to it, and a deletion killed
half-way leaves the customer and its subscriptions, or neither."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from billcli.cli.main import run
from tests.conftest import raw_connection
from tests.processes import billcli_process
from tests.soak import size
from tests.subscriptions.conftest import ts


def test_a_deleted_customer_keeps_no_subscription_and_pays_nothing_more(
    ok, catalog, customer, events, assert_valid, checked_ledger
) -> None:
    ada = customer()
    sub = ok("subscriptions", "create", "--customer", ada, "--price", f"{catalog['seat']}:3")
    trial = ok("subscriptions", "create", "--customer", ada, "--price", catalog["monthly"],
               "--trial-days", "10")  # fmt: skip
    ok("invoices", "tick", "--to", "2027-02-10T00:00:00Z")
    ok("invoices", "items", "create", "--customer", ada, "--amount", "700")
    one_off = ok("invoices", "create", "--customer", ada, "--pending-items", "include")
    ok("customers", "delete", ada)
    for made in (sub, trial):
        ended = ok("subscriptions", "show", made["id"])
        assert_valid(ended)
        assert (ended["status"], ended["ended_at"]) == ("canceled", ts("2027-02-10T00:00:00Z"))
        assert ended["cancellation_details"]["reason"] == "cancellation_requested"
    deleted = [e["data"]["object"]["id"] for e in events("customer.subscription.deleted")]
    assert sorted(deleted) == sorted([sub["id"], trial["id"]])
    stopped = ok("invoices", "show", one_off["id"])
    assert (stopped["status"], stopped["auto_advance"]) == ("draft", False)
    billed = ok("invoices", "list", "--customer", ada, "--all")["data"]
    ok("invoices", "tick", "--to", "2027-06-01T00:00:00Z")
    assert ok("invoices", "list", "--customer", ada, "--all")["data"] == billed
    assert ok("invoices", "show", one_off["id"])["status"] == "draft"  # never finalized
    mrr = ok("reports", "mrr", "--from", "2027-02-01")
    assert [p["mrr"] for p in mrr["periods"]] == [0] * len(mrr["periods"])
    assert mrr["periods"][0]["churned"] == 3000  # 3 × 10.00 a month, gone in February
    checked_ledger()


def test_a_deleted_customers_open_invoice_is_never_retried(ok, customer) -> None:
    ada = customer()
    ok("customers", "update", ada, "--payment-method", "pm_card_chargeCustomerFail")
    ok("invoices", "items", "create", "--customer", ada, "--amount", "4200")
    draft = ok("invoices", "create", "--customer", ada, "--pending-items", "include")
    ok("invoices", "tick", "--by", "2h")  # finalized, charged once, declined
    failed = ok("invoices", "show", draft["id"])
    assert failed["attempt_count"] == 1 and failed["next_payment_attempt"] is not None
    ok("customers", "delete", ada)
    ok("invoices", "tick", "--by", "30d")
    after = ok("invoices", "show", draft["id"])
    assert (after["status"], after["attempt_count"], after["next_payment_attempt"]) == (
        "open",
        1,
        None,
    )


def _seed_many(path: Path, count: int) -> str:
    """One customer with `count` monthly subscriptions, straight into the ledger."""
    from tests.tick_helpers import seed_subscriptions

    start = ts("2027-01-31T12:00:00Z")
    seed_subscriptions(path, count, start=start, per_customer=count)
    conn = sqlite3.connect(path)
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('clock.frozen_at', ?)", [str(start)])
    conn.commit()
    (customer,) = conn.execute("SELECT DISTINCT customer FROM subscriptions").fetchone()
    conn.close()
    return str(customer)


def _state(path: Path, customer: str) -> tuple[bool, set[str]]:
    conn = sqlite3.connect(path)
    try:
        query = "SELECT deleted FROM customers WHERE id = ?"
        (deleted,) = conn.execute(query, [customer]).fetchone()
        statuses = {row[0] for row in conn.execute("SELECT status FROM subscriptions")}
    finally:
        conn.close()
    return bool(deleted), statuses


@pytest.mark.slow
@pytest.mark.sqlite_only("seeds its ledger for each kill by copying a SQLite file over it")
def test_kill_9_during_a_deletion_leaves_the_customer_and_its_subscriptions_or_neither(
    tmp_path: Path, ledger_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The kill times spread over a whole deletion as this machine runs it now (timed
    once uncut first), so a loaded machine still sees kills before and after the commit."""
    seeded = tmp_path / "seeded.db"
    customer = _seed_many(seeded, 4000)  # its deletion takes most of a second
    shutil.copy(seeded, ledger_path)
    started = time.monotonic()
    billcli_process(ledger_path, "customers", "delete", customer).wait()
    whole = time.monotonic() - started
    rng = random.Random(26)
    outcomes = []
    turns = size(6, 12)
    for turn in range(turns):
        shutil.copy(seeded, ledger_path)
        proc = billcli_process(ledger_path, "customers", "delete", customer)
        if turn == turns - 1:  # the last one is let finish: its kill comes after the commit
            proc.wait(timeout=120)
        else:
            time.sleep(whole * rng.uniform(0.05, 1.0))
        running = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deleted, statuses = _state(ledger_path, customer)
        assert statuses == ({"canceled"} if deleted else {"active"}), (deleted, statuses)
        assert run(["ledger", "check"]) == 0, capsys.readouterr().out
        outcomes.append((running, deleted))
    assert any(running and not deleted for running, deleted in outcomes), outcomes
    assert any(deleted for _, deleted in outcomes), outcomes


def test_a_deleted_customer_is_refused_as_missing_by_every_change(
    ok, billcli: Callable[..., Any], catalog, customer
) -> None:
    ada = customer()
    sub = ok("subscriptions", "create", "--customer", ada, "--price", catalog["monthly"])
    ok("customers", "delete", ada)
    again = billcli("customers", "delete", ada, "--json")
    assert again.code == 6 and again.json["error"]["param"] == "customer"
    new = billcli("subscriptions", "create", "--customer", ada, "--price", catalog["monthly"])
    assert new.code == 6
    change = billcli("subscriptions", "update", sub["id"], "--quantity", "2")
    assert change.code == 1 and "ended subscription" in change.err


def test_ledger_check_finds_a_deleted_customer_still_billed(
    ok, billcli: Callable[..., Any], catalog, customer, ledger_path: Path
) -> None:
    """What `customers delete` used to leave behind, written by hand: a live subscription
    and a charging invoice of a deleted customer are each a violation."""
    ada = customer()
    sub = ok("subscriptions", "create", "--customer", ada, "--price", catalog["monthly"])
    ok("invoices", "items", "create", "--customer", ada, "--amount", "700")
    draft = ok("invoices", "create", "--customer", ada, "--pending-items", "include")
    conn = raw_connection(ledger_path)
    conn.execute("UPDATE customers SET deleted = 1 WHERE id = ?", [ada])
    conn.commit()
    conn.close()
    done = billcli("ledger", "check")
    assert done.code == 1
    assert f"{sub['id']}" in done.out and "its customer was deleted, yet it is active" in done.out
    assert draft["id"] in done.out and "still finalizes or charges by itself" in done.out


def test_a_deleted_customers_invoice_is_not_charged_by_hand(
    ok, billcli: Callable[..., Any], customer, ledger_path: Path, checked_ledger
) -> None:
    """`invoices pay` with a card is refused for a deleted customer's open invoice (exit
    1, naming the invoice, nothing written); paid out of band or voided it still can be."""
    from tests.conftest import ledger_digest

    ada = customer(card="pm_card_chargeCustomerFail")
    ok("invoices", "items", "create", "--customer", ada, "--amount", "4200")
    draft = ok("invoices", "create", "--customer", ada, "--pending-items", "include")
    ok("invoices", "tick", "--by", "2h")  # finalized, declined
    ok("customers", "delete", ada)
    before = ledger_digest(ledger_path)
    done = billcli("invoices", "pay", draft["id"], "--payment-method", "pm_card_visa", "--json")
    assert done.code == 1 and done.json["error"]["param"] == "invoice"
    assert "deleted" in done.err and len(done.err.strip().splitlines()) == 1
    assert ledger_digest(ledger_path) == before
    paid = ok("invoices", "pay", draft["id"], "--paid-out-of-band")
    assert (paid["status"], paid["paid_out_of_band"]) == ("paid", True)
    checked_ledger()


def test_ledger_check_finds_a_charge_made_after_its_customers_deletion(
    ok, billcli: Callable[..., Any], customer, ledger_path: Path
) -> None:
    """A charge recorded after `customer.deleted` (in the log's order: a frozen clock
    gives both the same second) is a violation naming the charge and the customer; the
    charges before the deletion are not."""
    ada = customer()
    ok("invoices", "items", "create", "--customer", ada, "--amount", "4200")
    draft = ok("invoices", "create", "--customer", ada, "--pending-items", "include")
    paid = ok("invoices", "pay", draft["id"])
    ok("customers", "delete", ada)
    assert billcli("ledger", "check").code == 0
    conn = raw_connection(ledger_path)
    (event,) = conn.execute("SELECT object FROM events WHERE type = 'charge.succeeded'").fetchone()
    conn.execute(
        "INSERT INTO events (id, created, type, object) VALUES ('evt_late', 0, "
        "'charge.succeeded', ?)",
        [event.replace(paid["charge"], "ch_late")],
    )
    conn.commit()
    conn.close()
    done = billcli("ledger", "check")
    assert done.code == 1
    assert "ch_late" in done.out and f"it charged {ada} after its deletion" in done.out
    assert paid["charge"] not in done.out
