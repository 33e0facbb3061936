"""Reports from the command line: empty ledgers, bad input, CSV beside JSON, and the
tables and charts as people see them at 60, 80, 120 and 200 columns (golden files)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.conftest import ledger_digest
from tests.golden import assert_golden, normalized
from tests.subscriptions.conftest import ts

GOLDEN = Path(__file__).with_name("golden")
REPORTS = ("revenue", "mrr", "aging", "balances")


def test_an_empty_ledger_reports_zeros_and_says_so(ok, at_start) -> None:
    for name in REPORTS:
        report = ok("reports", name)
        assert report["object"] == f"report.{name}" and report["currencies"] == []
        assert report["note"]
    revenue = ok("reports", "revenue")
    assert revenue["periods"] == [] and (revenue["by"], revenue["to"]) == ("month", at_start)


@pytest.mark.parametrize(
    ("args", "param"),
    [
        (("revenue", "--from", "2027-02-01", "--to", "2027-01-01"), "from"),
        (("revenue", "--by", "year"), "by"),
        (("mrr", "--by", "quarter"), "by"),
        (("revenue", "--to", "2030-01-01"), "to"),
        (("mrr", "--from", "2031-01-01"), "from"),
        (("balances", "--to", "2031-01-01"), "to"),
        (("revenue", "--from", "yesterday-ish"), "from"),
        (("revenue", "--currency", "xyz"), "currency"),
        (("revenue", "--by", "day", "--from", "2020-01-01"), "from"),
        (("aging", "--as-of", "soon"), "as_of"),
    ],
)
def test_bad_report_options_are_refused_naming_the_parameter(
    billcli, at_start, ledger_path: Path, args, param
) -> None:
    before = ledger_digest(ledger_path)
    done = billcli("reports", *args, "--json")
    assert done.code == 1, done.err
    assert done.json["error"]["param"] == param
    assert len(done.err.strip().splitlines()) == 1 and "Traceback" not in done.err
    assert ledger_digest(ledger_path) == before


@pytest.fixture
def small_ledger(ok, at_start, catalog, customer) -> None:
    """Two subscriptions, an upgrade, an overdue invoice, a credit balance, in usd."""
    ada = customer(name="Ada Lovelace", email="ada@example.com")
    grace = customer(card=None, name="Grace Hopper", email="grace@example.com")
    sub = ok("subscriptions", "create", "--customer", ada, "--price", f"{catalog['seat']}:2")
    ok("invoices", "tick", "--by", "20d")
    ok("subscriptions", "update", sub["id"], "--quantity", "3")
    ok("customers", "update", grace, "--balance", "-2500", "--currency", "usd")
    for amount in ("40000", "7000"):
        ok("invoices", "items", "create", "--customer", grace, "--amount", amount)
        draft = ok(
            "invoices",
            "create",
            "--customer",
            grace,
            "--pending-items",
            "include",
            "--collection-method",
            "send_invoice",
            "--days-until-due",
            "10",
        )
        ok("invoices", "finalize", draft["id"])
    ok("invoices", "tick", "--by", "50d")


def test_a_currency_never_seen_is_an_empty_report_that_says_so(ok, small_ledger) -> None:
    report = ok("reports", "revenue", "--currency", "gbp")
    assert (report["currencies"], report["periods"]) == ([], [])
    assert report["note"] == "No invoices, payments or credits in gbp in this window"


def test_aging_as_of_a_future_date_is_allowed_and_said_plainly(ok, small_ledger) -> None:
    later = ok("reports", "aging", "--as-of", "2028-01-01")
    assert "after the ledger clock" in later["note"]
    assert later["totals"][0]["over_90"] == later["totals"][0]["total"] > 0


def test_csv_carries_the_same_numbers_as_json(ok, billcli, small_ledger) -> None:
    for name in REPORTS:
        report = ok("reports", name)
        rows = list(csv.DictReader(io.StringIO(billcli("reports", name, "--csv").out)))
        if name in ("revenue", "mrr"):
            for row, period in zip(rows, report["periods"], strict=True):
                assert (
                    int(row["mrr" if name == "mrr" else "invoiced"])
                    == period["mrr" if name == "mrr" else "invoiced"]
                )
        elif name == "aging":
            assert [int(r["total"]) for r in rows] == [c["total"] for c in report["customers"]] + [
                t["total"] for t in report["totals"]
            ]
        else:
            assert [int(r["credit"]) for r in rows] == [b["credit"] for b in report["balances"]]


@pytest.mark.parametrize("name", REPORTS)
def test_tables_and_charts_at_60_80_120_and_200_columns_as_the_golden_files_show(
    billcli, small_ledger, monkeypatch, name
) -> None:
    """The same rule as every list (tests/cli/test_tables.py): a report at 60 columns
    hides its least important figures and says which."""
    shown = ""
    for width in (60, 80, 120, 200):
        monkeypatch.setenv("COLUMNS", str(width))
        done = billcli("reports", name)
        assert done.code == 0, done.err
        out = normalized(done.out)
        assert max(len(line) for line in out.splitlines()) <= width
        shown += f"=== {width} columns\n{out}"
    assert_golden(shown, GOLDEN / f"{name}.txt")


def _row(shown: str, label: str) -> list[str]:
    return next(line.split() for line in shown.splitlines() if line.split()[:1] == [label])


def test_each_mrr_column_holds_the_movement_its_heading_names(
    ok, billcli, at_start, catalog, customer
) -> None:
    """Contraction, churn and reactivation in three months, of three different sizes
    (10.00, 20.00, 30.00): each figure shows under its own heading."""
    ada = customer()
    sub = ok("subscriptions", "create", "--customer", ada, "--price", f"{catalog['seat']}:3")
    ok("invoices", "tick", "--to", "2027-03-01T00:00:00Z")
    ok("subscriptions", "update", sub["id"], "--quantity", "2", "--proration-behavior", "none")
    ok("invoices", "tick", "--to", "2027-04-01T00:00:00Z")
    ok("subscriptions", "cancel", sub["id"])
    ok("invoices", "tick", "--to", "2027-05-01T00:00:00Z")
    ok("subscriptions", "create", "--customer", ada, "--price", f"{catalog['seat']}:3")
    ok("invoices", "tick", "--to", "2027-05-02T00:00:00Z")
    shown = billcli("reports", "mrr", "--from", "2027-03-01").out
    headings = _row(shown, "month")
    expected = {"2027-03": ("contr.", "10.00"), "2027-04": ("churned", "20.00"),
                "2027-05": ("react.", "30.00")}  # fmt: skip
    for month, (heading, figure) in expected.items():
        row = dict(zip(headings, _row(shown, month), strict=False))
        assert row[heading] == figure, (month, row)
        moves = ("new", "expans.", "react.", "contr.", "churned")
        assert [row[h] for h in moves if h != heading] == ["0.00"] * 4, (month, row)


def test_revenue_at_80_columns_never_cuts_an_amount(
    ok, billcli, at_start, customer, monkeypatch
) -> None:
    """1,638,123.44 invoiced, 638,123.45 collected and net, 999,999.99 voided: at 80
    columns no figure is shortened ("638.…" was): each is shown whole, or its column is
    named as left out."""
    ada = customer()
    ok("invoices", "items", "create", "--customer", ada, "--amount", "63812345")
    draft = ok("invoices", "create", "--customer", ada, "--pending-items", "include")
    ok("invoices", "finalize", draft["id"])
    ok("invoices", "pay", draft["id"])
    ok("invoices", "items", "create", "--customer", ada, "--amount", "99999999")
    void = ok("invoices", "create", "--customer", ada, "--pending-items", "include")
    ok("invoices", "finalize", void["id"])
    ok("invoices", "void", void["id"])
    monkeypatch.setenv("COLUMNS", "80")
    shown = billcli("reports", "revenue", "--by", "day", "--from", "2027-01-31").out
    assert "…" not in shown
    assert max(len(line) for line in shown.splitlines()) <= 80
    table = shown.split("\n\n2027-01-31 ")[0]  # the chart follows the table
    named = " ".join(line for line in table.splitlines() if "hidden" in line)
    for heading, figure in (
        ("invoiced", "1,638,123.44"),
        ("collected", "638,123.45"),
        ("voided", "999,999.99"),
        ("net", "638,123.45"),
    ):
        whole = re.search(rf"(?<![\d,]){re.escape(figure)}(?!\d)", table)
        assert whole or heading in named, (heading, table)


def test_aging_leaves_out_what_was_written_off_as_revenue_does(
    ok, at_start, catalog, customer, checked_ledger
) -> None:
    """An invoice marked uncollectible by hand, and a renewal marked so by
    `--pause-collection mark_uncollectible`, are written off in `reports revenue` and
    owed by no one in `reports aging`; an open one is still owed."""
    ada, bob = customer(), customer(name="Bob", email="bob@example.com")
    for amount in ("4000", "2500"):
        ok("invoices", "items", "create", "--customer", ada, "--amount", amount)
        draft = ok(
            "invoices", "create", "--customer", ada, "--pending-items", "include",
            "--collection-method", "send_invoice", "--days-until-due", "5",
        )  # fmt: skip
        ok("invoices", "finalize", draft["id"])
    ok("invoices", "mark-uncollectible", draft["id"])  # the 25.00 one
    sub = ok("subscriptions", "create", "--customer", bob, "--price", catalog["monthly"])
    ok("subscriptions", "update", sub["id"], "--pause-collection", "mark_uncollectible")
    ok("invoices", "tick", "--to", "2027-03-15T00:00:00Z")
    renewals = ok("invoices", "list", "--customer", bob, "--status", "uncollectible")["data"]
    assert [r["total"] for r in renewals] == [2000]
    aging = ok("reports", "aging")
    assert [(c["customer"], c["total"]) for c in aging["customers"]] == [(ada, 4000)]
    revenue = ok("reports", "revenue", "--from", "2027-01-01")
    assert sum(p["written_off"] for p in revenue["periods"]) == 2500 + 2000
    checked_ledger()


def test_a_bare_date_bound_counts_that_whole_day_and_the_title_says_so(
    ok, billcli, at_start, customer
) -> None:
    """An invoice of 30 June 15:00 is in `--to 2027-06-30`; while 30 June is under way the
    window ends at the ledger clock, and the title names that time."""
    ada = customer()
    ok("invoices", "tick", "--to", "2027-06-30T15:00:00Z")
    ok("invoices", "items", "create", "--customer", ada, "--amount", "1234")
    draft = ok("invoices", "create", "--customer", ada, "--pending-items", "include")
    ok("invoices", "finalize", draft["id"])
    today = ok("reports", "revenue", "--by", "day", "--from", "2027-06-30", "--to", "2027-06-30")
    assert today["to"] == ts("2027-06-30T15:00:00Z")  # the day is not over yet
    assert [p["invoiced"] for p in today["periods"]] == [1234]
    shown = billcli("reports", "revenue", "--by", "day", "--from", "2027-06-30", "--to",
                    "2027-06-30").out  # fmt: skip
    assert shown.splitlines()[0] == "Revenue by day, 2027-06-30 to 2027-06-30 15:00:00 UTC"
    ok("invoices", "tick", "--to", "2027-07-02T00:00:00Z")
    june = ok("reports", "revenue", "--from", "2027-06-01", "--to", "2027-06-30")
    assert june["to"] == ts("2027-06-30T23:59:59Z")
    assert [p["invoiced"] for p in june["periods"]] == [1234]
    shown = billcli("reports", "revenue", "--from", "2027-06-01", "--to", "2027-06-30").out
    assert shown.splitlines()[0] == "Revenue by month, 2027-06-01 to 2027-06-30"
    aging = ok("reports", "aging", "--as-of", "2027-06-30")
    assert aging["as_of"] == ts("2027-06-30T23:59:59Z")


def test_a_window_ending_on_a_month_boundary_counts_what_happened_at_its_end(
    ok, at_start, customer
) -> None:
    """Found by the seam machine: with the clock at 1 May 00:00:00, an invoice finalized
    and paid at that very second was in no period of `reports revenue` (the window's last
    second belonged to no month)."""
    ada = customer()
    ok("invoices", "tick", "--to", "2027-04-30T23:00:00Z")
    ok("invoices", "items", "create", "--customer", ada, "--amount", "4321")
    ok("invoices", "create", "--customer", ada, "--pending-items", "include")
    ok("invoices", "tick", "--to", "2027-05-01T00:00:00Z")  # finalized an hour later: now
    paid = ok("invoices", "list", "--customer", ada)["data"][0]
    assert paid["status_transitions"]["paid_at"] == ts("2027-05-01T00:00:00Z")
    report = ok("reports", "revenue", "--from", "2027-04-01")
    assert sum(p["invoiced"] for p in report["periods"]) == 4321
    assert sum(p["collected"] for p in report["periods"]) == 4321
    last = report["periods"][-1]
    assert (last["start"], last["end"], last["invoiced"]) == (report["to"], report["to"], 4321)
