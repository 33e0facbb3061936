"""Tax rates as objects: made, shown, listed, relabelled and archived, never changed in
their money; and the input Stripe refuses, refused with one line, exit 1 (6 for an id
that names nothing) and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ledger_digest


def test_a_rate_is_made_shown_listed_and_valid_against_stripes_schema(
    ok, billcli, at_start, assert_valid, events, checked_ledger
) -> None:
    made = ok("tax-rates", "create", "--display-name", "Sales tax", "--percentage", "8.875",
              "--country", "us", "--state", "NY", "--jurisdiction", "New York",
              "--tax-type", "sales_tax", "--description", "City and state",
              "-m", "filing=quarterly")  # fmt: skip
    assert_valid(made)
    assert (made["percentage"], made["inclusive"], made["active"]) == (8.875, False, True)
    assert (made["country"], made["state"], made["tax_type"]) == ("US", "NY", "sales_tax")
    assert made["metadata"] == {"filing": "quarterly"} and made["created"] == at_start
    whole = ok("tax-rates", "create", "--display-name", "VAT", "--percentage", "20",
               "--inclusive")  # fmt: skip
    assert (whole["percentage"], whole["inclusive"]) == (20, True)
    assert ok("tax-rates", "show", made["id"]) == made
    assert [r["id"] for r in ok("tax-rates", "list")["data"]] == [whole["id"], made["id"]]
    assert [r["id"] for r in ok("tax-rates", "list", "--inclusive")["data"]] == [whole["id"]]
    shown = billcli("tax-rates", "show", whole["id"]).out
    assert "VAT 20% (inclusive)" in shown and "carved out of the amount" in shown
    (created,) = [e for e in events("tax_rate.created") if e["data"]["object"]["id"] == made["id"]]
    assert created["data"]["object"] == made
    checked_ledger()


def test_only_what_stripe_lets_change_changes_and_the_event_says_what_was(
    ok, at_start, events, assert_valid, checked_ledger
) -> None:
    vat = ok("tax-rates", "create", "--display-name", "VAT", "--percentage", "19")["id"]
    after = ok("tax-rates", "update", vat, "--display-name", "MwSt", "--jurisdiction", "DE",
               "--no-active", "--country", "de")  # fmt: skip
    assert_valid(after)
    assert (after["display_name"], after["jurisdiction"], after["country"]) == ("MwSt", "DE", "DE")
    assert (after["active"], after["percentage"]) == (False, 19)
    (updated,) = events("tax_rate.updated")
    assert updated["data"]["previous_attributes"] == {
        "active": True, "country": None, "display_name": "VAT", "jurisdiction": None,
    }  # fmt: skip
    same = ok("tax-rates", "update", vat, "--display-name", "MwSt")
    assert same == after and len(events("tax_rate.updated")) == 1  # nothing changed
    assert [r["id"] for r in ok("tax-rates", "list", "--inactive")["data"]] == [vat]
    assert ok("tax-rates", "list", "--active")["data"] == []
    cleared = ok("tax-rates", "update", vat, "--jurisdiction", "", "--active")
    assert (cleared["jurisdiction"], cleared["active"]) == (None, True)
    checked_ledger()


REFUSALS = [
    (("tax-rates", "create", "--display-name", "VAT", "--percentage", "100.5"), "percentage"),
    (("tax-rates", "create", "--display-name", "VAT", "--percentage", "-1"), "percentage"),
    (("tax-rates", "create", "--display-name", "VAT", "--percentage", "7.12345"), "percentage"),
    (("tax-rates", "create", "--display-name", "VAT", "--percentage", "ten"), "percentage"),
    (("tax-rates", "create", "--percentage", "10"), "display_name"),
    (("tax-rates", "create", "--display-name", "VAT"), "percentage"),
    (
        (
            "tax-rates",
            "create",
            "--display-name",
            "VAT",
            "--percentage",
            "10",
            "--tax-type",
            "luxury",
        ),
        "tax_type",
    ),
    (
        (
            "tax-rates",
            "create",
            "--display-name",
            "VAT",
            "--percentage",
            "10",
            "--country",
            "Germany",
        ),
        "country",
    ),
    (("tax-rates", "create", "--display-name", "x" * 51, "--percentage", "10"), "display_name"),
    (("tax-rates", "update", "{vat}", "--percentage", "21"), "percentage"),
    (("tax-rates", "update", "{vat}", "--display-name", ""), "display_name"),
    (
        (
            "invoices",
            "items",
            "create",
            "--customer",
            "{ada}",
            "--amount",
            "100",
            *[arg for r in range(6) for arg in ("--tax-rate", f"{{r{r}}}")],
        ),
        "tax_rates",
    ),
    (
        (
            "invoices",
            "items",
            "create",
            "--customer",
            "{ada}",
            "--amount",
            "100",
            "--tax-rate",
            "{vat}",
            "--tax-rate",
            "{vat}",
        ),
        "tax_rates[1]",
    ),
    (
        (
            "invoices",
            "items",
            "create",
            "--customer",
            "{ada}",
            "--amount",
            "100",
            "--tax-rate",
            "{old}",
        ),
        "tax_rates[0]",
    ),
    (
        ("invoices", "create", "--customer", "{ada}", "--default-tax-rate", "{old}"),
        "default_tax_rates[0]",
    ),
    (
        ("invoices", "create", "--customer", "{ada}", "--default-tax-rate", "cus_nope"),
        "default_tax_rates[0]",
    ),
    (
        (
            "subscriptions",
            "create",
            "--customer",
            "{ada}",
            "--price",
            "{monthly}",
            "--default-tax-rate",
            "{old}",
        ),
        "default_tax_rates[0]",
    ),
    (
        (
            "subscriptions",
            "create",
            "--customer",
            "{ada}",
            "--price",
            "{monthly}",
            "--item-tax-rate",
            "{yearly}={vat}",
        ),
        "item_tax_rates",
    ),
    (
        (
            "subscriptions",
            "create",
            "--customer",
            "{ada}",
            "--price",
            "{monthly}",
            "--item-tax-rate",
            "{vat}",
        ),
        "item_tax_rates[0]",
    ),
    (
        (
            "prices",
            "create",
            "--product",
            "pro",
            "--currency",
            "usd",
            "--unit-amount",
            "100",
            "--tax-behavior",
            "sometimes",
        ),
        "tax_behavior",
    ),
]


@pytest.fixture
def names(ok, customer, catalog) -> dict[str, str]:
    """What the refusals name: a customer, active rates, an archived one, prices."""
    found = {"ada": customer(), **catalog}
    found["vat"] = ok("tax-rates", "create", "--display-name", "VAT", "--percentage", "20")["id"]
    for n in range(6):
        found[f"r{n}"] = ok("tax-rates", "create", "--display-name", f"R{n}",
                            "--percentage", str(n))["id"]  # fmt: skip
    found["old"] = ok("tax-rates", "create", "--display-name", "Old", "--percentage", "19")["id"]
    ok("tax-rates", "update", found["old"], "--no-active")
    return found


@pytest.mark.parametrize(("args", "param"), REFUSALS)
def test_refused_input_is_one_line_exit_1_and_nothing_written(
    billcli: Callable[..., Any],
    ledger_path: Path,
    names: dict[str, str],
    args: tuple[str, ...],
    param: str,
) -> None:
    before = ledger_digest(ledger_path)
    done = billcli(*(a.format(**names) for a in args), "--json")
    assert done.code == 1, done.out + done.err
    assert done.json["error"]["param"] == param
    assert len(done.err.strip().splitlines()) == 1 and "Traceback" not in done.err
    assert ledger_digest(ledger_path) == before


def test_a_rate_that_names_nothing_is_missing_exit_6(billcli, ledger_path, names) -> None:
    before = ledger_digest(ledger_path)
    done = billcli("invoices", "items", "create", "--customer", names["ada"], "--amount", "100",
                   "--tax-rate", "txr_000000000000000000000000", "--json")  # fmt: skip
    assert (done.code, done.json["error"]["code"]) == (6, "resource_missing")
    assert done.json["error"]["param"] == "tax_rates[0]"
    assert billcli("tax-rates", "show", "txr_000000000000000000000000").code == 6
    assert ledger_digest(ledger_path) == before


def test_an_archived_rate_goes_on_taxing_what_already_has_it(
    ok, customer, catalog, checked_ledger
) -> None:
    """A subscription taxed at a rate keeps being taxed at it once the rate is archived:
    its renewals, and an update that keeps the rate among its defaults."""
    vat = ok("tax-rates", "create", "--display-name", "VAT", "--percentage", "20")["id"]
    gst = ok("tax-rates", "create", "--display-name", "GST", "--percentage", "5")["id"]
    sub = ok("subscriptions", "create", "--customer", customer(), "--price", catalog["monthly"],
             "--default-tax-rate", vat)  # fmt: skip
    ok("tax-rates", "update", vat, "--no-active")
    kept = ok("subscriptions", "update", sub["id"], "--default-tax-rate", vat,
              "--default-tax-rate", gst)  # fmt: skip
    assert [r["id"] for r in kept["default_tax_rates"]] == [vat, gst]
    ok("invoices", "tick", "--to", "2027-03-01T00:00:00Z")
    renewal = ok("invoices", "show", ok("subscriptions", "show", sub["id"])["latest_invoice"])
    assert renewal["billing_reason"] == "subscription_cycle"
    assert {t["tax_rate"]: t["amount"] for t in renewal["total_tax_amounts"]} == {
        vat: 400, gst: 100,
    }  # fmt: skip
    assert renewal["total"] == 2500
    checked_ledger()
