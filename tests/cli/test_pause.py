"""`subscriptions show` says when payments are paused, how, until when, and what the
next renewal will then do, instead of announcing an amount "due"."""

from __future__ import annotations

import pytest


@pytest.fixture
def sub(ok, catalog, customer) -> str:
    """A monthly subscription of 3 seats ($10.00 each), started at the frozen START."""
    return str(
        ok("subscriptions", "create", "--customer", customer(), "--price", f"{catalog['seat']}:3")[
            "id"
        ]
    )


def _show(billcli, sub: str) -> dict[str, str]:
    done = billcli("subscriptions", "show", sub)
    assert done.code == 0, done.err
    rows = {}
    for line in done.out.splitlines()[1:]:
        label, _, value = line.strip().partition("  ")
        rows[label] = value.strip()
    return rows


def test_an_active_subscription_says_its_next_invoice_is_due(billcli, sub) -> None:
    rows = _show(billcli, sub)
    assert "Payments paused" not in rows
    assert rows["Next invoice"] == "2027-02-28 12:00:00 UTC, $30.00 due"


@pytest.mark.parametrize(
    ("behavior", "renewal"),
    [
        ("keep_as_draft", "kept as a draft: not finalized, sent or charged"),
        ("mark_uncollectible", "finalized and marked uncollectible: not charged"),
        ("void", "finalized and voided: not charged"),
    ],
)
def test_a_pause_without_end_shows_its_behavior_and_what_the_renewal_does(
    ok, billcli, sub, behavior, renewal, checked_ledger
) -> None:
    ok("subscriptions", "update", sub, "--pause-collection", behavior)
    rows = _show(billcli, sub)
    assert rows["Payments paused"] == (
        f"{behavior} until resumed (subscriptions update --resume-collection): each "
        f"renewal is {renewal}"
    )
    assert rows["Next invoice"] == f"2027-02-28 12:00:00 UTC, $30.00, {renewal} (payments paused)"
    assert "due" not in rows["Next invoice"]
    checked_ledger()


def test_a_pause_that_ends_before_the_renewal_leaves_the_renewal_due(ok, billcli, sub) -> None:
    ok("subscriptions", "update", sub, "--pause-collection", "void", "--resumes-at", "2027-02-10")
    rows = _show(billcli, sub)
    assert rows["Payments paused"].startswith("void until 2027-02-10 00:00:00 UTC")
    assert rows["Next invoice"] == "2027-02-28 12:00:00 UTC, $30.00 due"


def test_a_pause_that_outlasts_the_renewal_says_so(ok, billcli, sub) -> None:
    ok("subscriptions", "update", sub, "--pause-collection", "keep_as_draft",
       "--resumes-at", "2027-04-01")  # fmt: skip
    rows = _show(billcli, sub)
    assert rows["Payments paused"].startswith("keep_as_draft until 2027-04-01 00:00:00 UTC")
    assert rows["Next invoice"].endswith("(payments paused)")
