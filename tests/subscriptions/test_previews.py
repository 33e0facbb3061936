"""The upcoming invoice agrees with the update it previews, to the cent, for every change
`subscriptions update` can make (facts §4, §9.17): quantities, price and interval
switches, a new anchor, a trial ended now, `always_invoice`, `none`, a cancellation at
the period end, a coupon. What is compared is the invoice the update makes, at once or
at the renewal, line by line."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ledger_digest
from tests.property.seam_model import lines_of
from tests.subscriptions.conftest import ts

NOW = ts("2027-03-05T00:00:00Z")


def money_of(invoice: dict[str, Any]) -> tuple[int, int, int]:
    return invoice["subtotal"], invoice["total"], invoice["starting_balance"]


@pytest.fixture
def three(ok, catalog, customer) -> dict[str, dict[str, str]]:
    """Three customers in one ledger at 5 March 2027: a monthly 2 × $20.00 in its second
    period under a 50% coupon, a yearly $200.00, a monthly in a 60-day trial."""
    ok("coupons", "create", "--id", "HALF", "--percent-off", "50", "--duration", "forever")
    ok("coupons", "create", "--id", "FIVE", "--amount-off", "500", "--currency", "usd",
       "--duration", "forever")  # fmt: skip
    yearly_b = ("--unit-amount", "15000", "--recurring-interval", "year")
    catalog["yearly_b"] = ok("prices", "create", "--product", "seats", "--currency", "usd",
                             *yearly_b)["id"]  # fmt: skip
    made = {}
    for name, price, extra in (
        ("monthly", f"{catalog['monthly']}:2", ["--coupon", "HALF"]),
        ("yearly", catalog["yearly"], []),
        ("trial", catalog["monthly"], ["--trial-days", "60"]),
    ):
        cus = customer(name=name, email=f"{name}@example.com")
        sub = ok("subscriptions", "create", "--customer", cus, "--price", price, *extra)
        made[name] = {"customer": cus, "sub": sub["id"], "item": sub["items"]["data"][0]["id"]}
    ok("invoices", "tick", "--to", "2027-03-05T00:00:00Z")
    return made


def change_args(kind: str, start: str, item: str, catalog: dict[str, str], q: int, when: int):
    """The options of one change of `kind` to a subscription that started as `start`."""
    other = catalog["yearly_b"] if start == "yearly" else catalog["seat"]
    switched = catalog["monthly"] if start == "yearly" else catalog["yearly"]
    date = ["--proration-date", str(when)]
    return {
        "quantity": ["--item", f"{item}=:{q}", *date],
        "price": ["--item", f"{item}={other}:{q}", *date],
        "interval": ["--item", f"{item}={switched}:1", *date],
        "anchor": ["--billing-cycle-anchor", "now", *date],
        "trial_end": ["--trial-end", "now", *date],
        "always_invoice": ["--quantity", str(q), "--proration-behavior", "always_invoice", *date],
        "none": ["--quantity", str(q), "--proration-behavior", "none"],
        "coupon": ["--coupon", "FIVE", "--quantity", str(q), *date],
        "remove_discount": ["--remove-discount", "--quantity", str(q), *date],
        "cancel_at_period_end": ["--cancel-at-period-end"],
    }[kind]


def check_agreement(ok, billcli, sub: dict[str, str], args: list[str]) -> None:
    """Preview, update, then the invoice the update brought, compared to the cent."""
    before = ok("subscriptions", "show", sub["sub"])
    asked = billcli("invoices", "upcoming", "--customer", sub["customer"], "--subscription",
                    sub["sub"], *args, "--json")  # fmt: skip
    done = billcli("subscriptions", "update", sub["sub"], *args, "--json")
    refused = asked.code != 0 and asked.json["error"].get("code") != "invoice_upcoming_none"
    if refused:  # a change the update refuses, the preview refuses alike
        assert (done.code, done.json["error"]["param"]) == (
            asked.code,
            asked.json["error"]["param"],
        )
        return
    assert done.code == 0, done.err
    after = done.json
    if asked.code == 6:  # nothing to preview: the update must bill nothing more
        assert asked.json["error"]["code"] == "invoice_upcoming_none"
        assert after["cancel_at_period_end"] and after["latest_invoice"] == before["latest_invoice"]
        ok("invoices", "tick", "--to", str(after["current_period_end"] + 7200))
        assert ok("subscriptions", "show", sub["sub"])["latest_invoice"] == before["latest_invoice"]
        return
    assert asked.code == 0, asked.err
    preview = asked.json
    if after["latest_invoice"] != before["latest_invoice"]:
        made = ok("invoices", "show", after["latest_invoice"])  # made at once
    else:
        ok("invoices", "tick", "--to", str(after["current_period_end"] + 7200))
        made = ok("invoices", "show", ok("subscriptions", "show", sub["sub"])["latest_invoice"])
        assert made["billing_reason"] == "subscription_cycle"
        assert made["created"] == preview["created"] == after["current_period_end"]
    assert lines_of(preview) == lines_of(made)
    assert money_of(preview) == money_of(made)
    if not 0 < preview["amount_due"] < 50:  # a smaller sum is settled from the balance
        assert preview["amount_due"] == made["amount_due"]


KINDS = (
    "quantity", "price", "interval", "anchor", "trial_end", "always_invoice", "none",
    "coupon", "remove_discount", "cancel_at_period_end",
)  # fmt: skip


@pytest.mark.sqlite_only("restores the ledger between examples by copying its file")
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.sampled_from(["monthly", "yearly", "trial"]),
    kind=st.sampled_from(KINDS),
    quantity=st.integers(0, 9),
    offset=st.integers(0, 20 * 86400),
)
def test_the_upcoming_invoice_and_the_update_agree_to_the_cent(
    ok, billcli, three, catalog, ledger_path: Path, start, kind, quantity, offset
) -> None:
    snapshot = ledger_path.with_suffix(".snapshot")
    shutil.copy(ledger_path, snapshot)
    try:
        sub = three[start]
        period_start = ok("subscriptions", "show", sub["sub"])["current_period_start"]
        when = max(period_start, NOW - offset)
        args = change_args(kind, start, sub["item"], catalog, quantity, when)
        check_agreement(ok, billcli, sub, args)
        assert billcli("ledger", "check").code == 0
    finally:
        shutil.copy(snapshot, ledger_path)
        for suffix in ("-wal", "-shm"):
            Path(f"{ledger_path}{suffix}").unlink(missing_ok=True)


@pytest.mark.parametrize(
    ("start", "kind"),
    [
        ("monthly", "interval"),  # month → year in mid-period
        ("yearly", "interval"),  # year → month in mid-period
        ("monthly", "anchor"),
        ("trial", "trial_end"),
        ("monthly", "always_invoice"),
        ("yearly", "price"),
        ("monthly", "cancel_at_period_end"),
    ],
)
def test_each_kind_of_change_previews_what_it_makes(
    ok, billcli, three, catalog, start, kind, checked_ledger
) -> None:
    args = change_args(kind, start, three[start]["item"], catalog, 3, NOW - 86400)
    check_agreement(ok, billcli, three[start], args)
    checked_ledger()


def test_an_interval_switch_previews_the_credit_and_the_new_year_now(ok, three, catalog) -> None:
    """Month → year on 5 March: the unused part of what was paid for March (2 × $20.00
    at 50% off) is credited, and a whole year at $200.00 from now is charged, at once."""
    sub = three["monthly"]
    preview = ok("invoices", "upcoming", "--customer", sub["customer"], "--item",
                 f"{sub['item']}={catalog['yearly']}:1")  # fmt: skip
    period_start, period_end = ts("2027-02-28T12:00:00Z"), ts("2027-03-31T12:00:00Z")
    paid = 4000 - 2000  # the March renewal, under the 50% coupon
    credit = -round_half_up(paid * (period_end - NOW), period_end - period_start)
    year = 20000 - 10000  # the new period, under the same coupon
    assert [(line["amount"], line["proration"]) for line in preview["lines"]["data"]] == [
        (credit, True),
        (20000, False),
    ]
    assert preview["total"] == credit + year
    assert (preview["created"], preview["period_start"]) == (NOW, NOW)


def round_half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def test_a_subscription_ending_at_its_period_end_has_no_upcoming_invoice(
    ok, billcli, three, ledger_path
) -> None:
    """Stripe answers `invoice_upcoming_none` (404; exit 6); taking the cancellation back
    in the preview shows the renewal again."""
    sub = three["yearly"]
    ok("subscriptions", "update", sub["sub"], "--cancel-at-period-end")
    before = ledger_digest(ledger_path)
    done = billcli("invoices", "upcoming", "--customer", sub["customer"], "--json")
    assert done.code == 6 and done.json["error"]["code"] == "invoice_upcoming_none"
    assert done.json["error"]["message"] == f"No upcoming invoices for customer: {sub['customer']}"
    kept = ok("invoices", "upcoming", "--customer", sub["customer"], "--subscription",
              sub["sub"], "--no-cancel-at-period-end")  # fmt: skip
    assert kept["total"] == 20000
    assert ledger_digest(ledger_path) == before


def test_upcoming_takes_every_option_subscriptions_update_takes() -> None:
    """One declaration serves both: every change can be previewed."""
    from typer.main import get_command

    from billcli.cli.app import build

    group = get_command(build())
    update = group.commands["subscriptions"].commands["update"]  # type: ignore[attr-defined]
    upcoming = group.commands["invoices"].commands["upcoming"]  # type: ignore[attr-defined]
    names = {p.name for p in update.params} - {"subscription"}
    assert names <= {p.name for p in upcoming.params}
    for param in update.params:
        if param.name in names:
            twin = next(p for p in upcoming.params if p.name == param.name)
            assert (twin.opts, twin.secondary_opts, twin.help) == (
                param.opts,
                param.secondary_opts,
                param.help,
            ), param.name


def test_a_change_an_update_refuses_is_refused_alike_by_its_preview(
    ok, billcli, three, ledger_path
) -> None:
    """Found by the seam machine: previewing a change of a canceled subscription said
    "No upcoming invoices" while the update names why it cannot be made; both now refuse
    it the same way (exit 1, `param` subscription), writing nothing."""
    sub = three["monthly"]
    ok("subscriptions", "cancel", sub["sub"])
    before = ledger_digest(ledger_path)
    args = ["--quantity", "3"]
    preview = billcli("invoices", "upcoming", "--customer", sub["customer"], "--subscription",
                      sub["sub"], *args, "--json")  # fmt: skip
    update = billcli("subscriptions", "update", sub["sub"], *args, "--json")
    assert preview.code == update.code == 1
    assert preview.json["error"] == update.json["error"]
    assert "an ended subscription cannot be updated" in preview.err
    assert ledger_digest(ledger_path) == before
    plain = billcli("invoices", "upcoming", "--customer", sub["customer"], "--json")
    assert plain.code == 6 and plain.json["error"]["code"] == "invoice_upcoming_none"
