"""Coupons: their terms, their redemptions, their validity on the ledger clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ledger_digest
from tests.subscriptions.conftest import ts


def test_a_coupon_is_created_with_its_terms_and_validates_against_stripes_schema(
    ok, at_start, assert_valid, events
) -> None:
    percent = ok(
        "coupons",
        "create",
        "--id",
        "WELCOME25",
        "--percent-off",
        "12.5",
        "--duration",
        "repeating",
        "--duration-in-months",
        "3",
        "--name",
        "Welcome",
    )
    amount = ok(
        "coupons",
        "create",
        "--amount-off",
        "5.00",
        "--currency",
        "USD",
        "--max-redemptions",
        "2",
        "--redeem-by",
        "2027-03-01T00:00:00Z",
    )
    assert (percent["id"], percent["percent_off"], percent["amount_off"]) == (
        "WELCOME25",
        12.5,
        None,
    )
    assert (percent["duration"], percent["duration_in_months"]) == ("repeating", 3)
    assert (amount["amount_off"], amount["currency"], amount["duration"]) == (500, "usd", "once")
    assert len(amount["id"]) == 8 and amount["id"].isalnum() and amount["id"].isupper()
    assert amount["redeem_by"] == ts("2027-03-01T00:00:00Z")
    for coupon in (percent, amount):
        assert (coupon["times_redeemed"], coupon["valid"]) == (0, True)
        assert_valid(coupon)
        assert ok("coupons", "show", coupon["id"]) == coupon
    assert [e["data"]["object"]["id"] for e in events("coupon.created")] == [
        "WELCOME25",
        amount["id"],
    ]
    assert [c["id"] for c in ok("coupons", "list")["data"]] == [amount["id"], "WELCOME25"]


@pytest.mark.parametrize(
    ("args", "param"),
    [
        (("--percent-off", "10", "--amount-off", "500", "--currency", "usd"), "percent_off"),
        ((), "percent_off"),
        (("--percent-off", "0"), "percent_off"),
        (("--percent-off", "100.5"), "percent_off"),
        (("--percent-off", "150"), "percent_off"),
        (("--percent-off", "12.345"), "percent_off"),
        (("--percent-off", "ten"), "percent_off"),
        (("--percent-off", "10", "--currency", "usd"), "currency"),
        (("--amount-off", "500"), "currency"),
        (("--amount-off", "-5", "--currency", "usd"), "amount_off"),
        (("--amount-off", "5.001", "--currency", "usd"), "amount_off"),
        (("--amount-off", "500", "--currency", "xyz"), "currency"),
        (("--percent-off", "10", "--duration", "repeating"), "duration_in_months"),
        (("--percent-off", "10", "--duration-in-months", "3"), "duration_in_months"),
        (("--percent-off", "10", "--duration", "weekly"), "duration"),
        (("--percent-off", "10", "--max-redemptions", "0"), "max_redemptions"),
        (("--percent-off", "10", "--redeem-by", "2020-01-01"), "redeem_by"),
        (("--percent-off", "10", "--id", "no spaces"), "id"),
        (("--percent-off", "10", "--name", "x" * 41), "name"),
    ],
)
def test_bad_coupon_terms_are_refused_naming_the_parameter_and_write_nothing(
    billcli, at_start, ledger_path: Path, args, param
) -> None:
    before = ledger_digest(ledger_path)
    done = billcli("coupons", "create", *args, "--json")
    assert done.code == 1, done.err
    assert done.json["error"]["param"] == param, done.json
    assert len(done.err.strip().splitlines()) == 1 and "Traceback" not in done.err
    assert ledger_digest(ledger_path) == before


def test_only_name_and_metadata_change_and_a_taken_id_is_refused(
    ok, billcli, at_start, events
) -> None:
    ok("coupons", "create", "--id", "SPRING", "--percent-off", "10")
    renamed = ok("coupons", "update", "SPRING", "--name", "Spring sale", "-m", "campaign=s27")
    assert (renamed["name"], renamed["metadata"], renamed["percent_off"]) == (
        "Spring sale",
        {"campaign": "s27"},
        10.0,
    )
    (updated,) = events("coupon.updated")
    assert updated["data"]["previous_attributes"] == {"name": None, "metadata": {}}
    taken = billcli("coupons", "create", "--id", "SPRING", "--percent-off", "20", "--json")
    assert (taken.code, taken.json["error"]["param"]) == (1, "id")


def test_a_coupon_used_up_or_past_redeem_by_is_invalid_and_refused(
    ok, billcli, at_start, customer
) -> None:
    ok("coupons", "create", "--id", "ONCE", "--percent-off", "10", "--max-redemptions", "1")
    ok(
        "coupons",
        "create",
        "--id",
        "SOON",
        "--percent-off",
        "10",
        "--redeem-by",
        "2027-02-02T00:00:00Z",
    )
    ok("customers", "update", customer(), "--coupon", "ONCE")
    shown = ok("coupons", "show", "ONCE")
    assert (shown["times_redeemed"], shown["valid"]) == (1, False)
    second = billcli("customers", "update", customer(name="Bob"), "--coupon", "ONCE", "--json")
    assert (second.code, second.json["error"]["param"], second.json["error"]["code"]) == (
        1,
        "coupon",
        "coupon_expired",
    )
    assert ok("coupons", "show", "SOON")["valid"] is True
    ok("invoices", "tick", "--to", "2027-02-02T00:00:00Z")
    assert ok("coupons", "show", "SOON")["valid"] is False
    late = billcli("customers", "update", customer(name="Cy"), "--coupon", "SOON", "--json")
    assert (late.code, late.json["error"]["code"]) == (1, "coupon_expired")
    assert ok("coupons", "show", "SOON")["times_redeemed"] == 0


def test_a_deleted_coupon_takes_no_new_redemptions_but_its_discounts_go_on(
    ok, billcli, at_start, customer, invoice_of, assert_valid, checked_ledger
) -> None:
    ok("coupons", "create", "--id", "FOREVER10", "--percent-off", "10", "--duration", "forever")
    ada = customer()
    ok("customers", "update", ada, "--coupon", "FOREVER10")
    gone = ok("coupons", "delete", "FOREVER10")
    assert gone == {"id": "FOREVER10", "object": "coupon", "deleted": True}
    assert_valid(gone)
    assert billcli("coupons", "show", "FOREVER10").code == 6
    assert "FOREVER10" not in [c["id"] for c in ok("coupons", "list")["data"]]
    refused = billcli(
        "customers", "update", customer(name="Bob"), "--coupon", "FOREVER10", "--json"
    )
    assert (refused.code, refused.json["error"]["param"]) == (6, "coupon")
    invoice = invoice_of(ada, ("10000", "Work"))
    assert invoice["total"] == 9000 and invoice["discount"]["coupon"]["id"] == "FOREVER10"
    checked_ledger()
