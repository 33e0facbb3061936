"""Reports from the command line: empty ledgers, bad input, CSV beside JSON, and the
tables and charts as people see them at 60, 80, 120 and 200 columns (golden files)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.conftest import ledger_digest
from tests.golden import assert_golden, normalized

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
