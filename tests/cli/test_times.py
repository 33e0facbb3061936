"""Times in messages for people read as dates (`2027-01-31 12:00:00 UTC`), never as
unix seconds, wherever the time came from (`--to`, `--trial-end`, the ledger clock)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from billcli.core.dates import moment
from tests.subscriptions.conftest import START, ts

UNIX_SECONDS = re.compile(r"(?<![\d.])\d{9,10}(?![\d.])")


def test_the_one_formatter_reads_as_a_date_in_utc() -> None:
    assert moment(ts("2027-01-01T00:00:00Z")) == "2027-01-01 00:00:00 UTC"
    assert moment(None) == "none"


def test_a_tick_backwards_names_both_times_as_dates(billcli, at_start) -> None:
    done = billcli("invoices", "tick", "--to", "1798761600", "--json")
    assert done.code == 1
    assert done.err == (
        "error: Invalid to: 2027-01-01 00:00:00 UTC is before the ledger clock "
        "(2027-01-31 12:00:00 UTC); the clock never moves backwards\n"
    )
    assert not UNIX_SECONDS.search(done.json["error"]["message"])


@pytest.mark.parametrize(
    ("args", "param", "shown"),
    [
        (["--trial-end", "2027-01-15"], "trial_end", "2027-01-15 00:00:00 UTC"),
        (["--billing-cycle-anchor", "2027-06-30"], "billing_cycle_anchor", "2027-02-28"),
    ],
)
def test_refused_subscription_times_are_dates(ok, billcli, catalog, customer, args, param, shown):
    done = billcli(
        "subscriptions", "create", "--customer", customer(), "--price", catalog["monthly"],
        *args, "--json",
    )  # fmt: skip
    assert (done.code, done.json["error"]["param"]) == (1, param), done.err
    assert shown in done.err and not UNIX_SECONDS.search(done.err), done.err


def test_a_proration_date_outside_the_period_is_said_with_the_period_as_dates(
    ok, billcli, catalog, customer
) -> None:
    sub = ok("subscriptions", "create", "--customer", customer(), "--price", catalog["seat"])
    done = billcli(
        "subscriptions", "update", sub["id"], "--quantity", "2",
        "--proration-date", "2027-01-01T00:00:00Z",
    )  # fmt: skip
    assert done.code == 1
    assert done.err == (
        "error: Invalid proration_date: 2027-01-01 00:00:00 UTC is outside the current "
        "period (2027-01-31 12:00:00 UTC to 2027-02-28 12:00:00 UTC)\n"
    )


def test_ledger_check_names_times_as_dates(
    ok, billcli, catalog, customer, ledger_path: Path
) -> None:
    sub = ok("subscriptions", "create", "--customer", customer(), "--price", catalog["seat"])
    conn = sqlite3.connect(ledger_path)
    conn.execute("UPDATE subscriptions SET next_action_at = ? WHERE id = ?", (ts(START), sub["id"]))
    conn.commit()
    conn.close()
    done = billcli("ledger", "check")
    assert done.code == 1
    assert "next_action_at 2027-01-31 12:00:00 UTC is not when its fields call for" in done.out
    assert not UNIX_SECONDS.search(done.out)
