"""Invoices beyond their lines: revisions of a finalized invoice (`from_invoice`), the
card an invoice is charged to (`default_payment_method`), invoices of a
subscription's pending items, and items that bill a period or own discounts."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import ledger_digest
from tests.subscriptions.conftest import ts


@pytest.fixture
def opened(ok: Callable[..., Any], customer: Callable[..., str]) -> dict[str, Any]:
    """An open send_invoice invoice of two lines, numbered REV-0001."""
    cus = ok("customers", "create", "--name", "Rev", "--email", "rev@example.com",
             "--invoice-prefix", "REV")["id"]  # fmt: skip
    for amount, text in (("1000", "Lamp"), ("250", "Wick")):
        ok("invoices", "items", "create", "--customer", cus, "--amount", amount,
           "--description", text)  # fmt: skip
    draft = ok("invoices", "create", "--customer", cus, "--pending-items", "include",
               "--collection-method", "send_invoice", "--days-until-due", "30")  # fmt: skip
    return ok("invoices", "finalize", draft["id"])  # type: ignore[no-any-return]


def test_a_revision_copies_the_invoice_and_finalizing_it_voids_the_original(
    ok: Callable[..., Any],
    opened: dict[str, Any],
    assert_valid: Callable[..., None],
    checked_ledger: Callable[[], None],
) -> None:
    revision = ok("invoices", "create", "--customer", opened["customer"],
                  "--from-invoice", opened["id"])  # fmt: skip
    assert revision["from_invoice"] == {"action": "revision", "invoice": opened["id"]}
    assert revision["status"] == "draft"
    assert sorted(line["amount"] for line in revision["lines"]["data"]) == [250, 1000]
    assert (revision["total"], revision["collection_method"]) == (1250, "send_invoice")
    assert_valid(revision)
    assert ok("invoices", "show", opened["id"])["status"] == "open"  # until it is finalized
    final = ok("invoices", "finalize", revision["id"])
    assert (final["status"], final["number"]) == ("open", "REV-0001-1")
    original = ok("invoices", "show", opened["id"])
    assert (original["status"], original["latest_revision"]) == ("void", revision["id"])
    second = ok("invoices", "create", "--customer", opened["customer"],
                "--from-invoice", revision["id"])  # fmt: skip
    assert ok("invoices", "finalize", second["id"])["number"] == "REV-0001-2"
    assert ok("invoices", "show", opened["id"])["latest_revision"] == second["id"]
    checked_ledger()


@pytest.mark.parametrize("state", ["draft", "paid"])
def test_only_an_open_or_uncollectible_invoice_is_revised(
    ok: Callable[..., Any],
    billcli: Callable[..., Any],
    opened: dict[str, Any],
    ledger_path: Any,
    state: str,
) -> None:
    cus = opened["customer"]
    if state == "paid":
        target = ok("invoices", "pay", opened["id"], "--paid-out-of-band")["id"]
    else:
        ok("invoices", "items", "create", "--customer", cus, "--amount", "100")
        target = ok("invoices", "create", "--customer", cus, "--pending-items", "include")["id"]
    before = ledger_digest(ledger_path)
    refused = billcli("invoices", "create", "--customer", cus, "--from-invoice", target)
    assert refused.code == 1 and "from_invoice" in refused.err, refused.err
    assert ledger_digest(ledger_path) == before


def test_an_invoices_own_card_is_charged_before_the_customers_default(
    ok: Callable[..., Any], customer: Callable[..., str], checked_ledger: Callable[[], None]
) -> None:
    cus = customer()  # pm_card_visa is the default
    other = ok("payment-methods", "attach", "pm_card_mastercard", "--customer", cus)
    ok("invoices", "items", "create", "--customer", cus, "--amount", "4200")
    draft = ok("invoices", "create", "--customer", cus, "--pending-items", "include",
               "--default-payment-method", other["id"])  # fmt: skip
    assert draft["default_payment_method"] == other["id"]
    paid = ok("invoices", "pay", ok("invoices", "finalize", draft["id"])["id"])
    charge = ok("charges", "show", paid["charge"])
    assert (charge["payment_method"], charge["amount"]) == (other["id"], 4200)
    assert charge["payment_method_details"]["card"]["brand"] == "mastercard"
    checked_ledger()


def test_a_card_of_another_customer_is_refused_as_an_invoices_default(
    ok: Callable[..., Any], billcli: Callable[..., Any], customer: Callable[..., str]
) -> None:
    theirs = ok("payment-methods", "attach", "pm_card_visa", "--customer", customer())
    mine = customer(card=None)
    refused = billcli("invoices", "create", "--customer", mine, "--default-payment-method",
                      theirs["id"])  # fmt: skip
    assert refused.code == 1 and "must be attached to the customer" in refused.err, refused.err


def test_an_invoice_of_a_subscription_takes_only_its_pending_items(
    ok: Callable[..., Any],
    billcli: Callable[..., Any],
    catalog: dict[str, str],
    customer: Callable[..., str],
    checked_ledger: Callable[[], None],
) -> None:
    cus = customer()
    sub = ok("subscriptions", "create", "--customer", cus, "--price", catalog["monthly"])
    ok("invoices", "items", "create", "--customer", cus, "--amount", "300",
       "--description", "Of the subscription", "--subscription", sub["id"])  # fmt: skip
    ok("invoices", "items", "create", "--customer", cus, "--amount", "700",
       "--description", "Of the customer")  # fmt: skip
    invoice = ok("invoices", "create", "--customer", cus, "--subscription", sub["id"])
    assert invoice["subscription"] == sub["id"]
    assert [line["description"] for line in invoice["lines"]["data"]] == ["Of the subscription"]
    assert ok("subscriptions", "show", sub["id"])["latest_invoice"] == invoice["id"]
    listed = ok("invoices", "list", "--subscription", sub["id"], "--all")["data"]
    assert [i["id"] for i in listed] == [invoice["id"], sub["latest_invoice"]]
    empty = billcli("invoices", "create", "--customer", cus, "--subscription", sub["id"])
    assert empty.code == 1 and "no pending invoice items" in empty.err, empty.err
    checked_ledger()


def test_an_item_bills_the_period_it_names(
    ok: Callable[..., Any], billcli: Callable[..., Any], customer: Callable[..., str]
) -> None:
    cus = customer()
    item = ok("invoices", "items", "create", "--customer", cus, "--amount", "900",
              "--period-start", "2027-01-01T00:00:00Z",
              "--period-end", "2027-01-31T00:00:00Z")  # fmt: skip
    assert item["period"] == {
        "start": ts("2027-01-01T00:00:00Z"),
        "end": ts("2027-01-31T00:00:00Z"),
    }
    invoice = ok("invoices", "create", "--customer", cus, "--pending-items", "include")
    assert invoice["lines"]["data"][0]["period"] == item["period"]
    backwards = billcli("invoices", "items", "create", "--customer", cus, "--amount", "1",
                        "--period-start", "2027-02-01", "--period-end", "2027-01-01")  # fmt: skip
    assert backwards.code == 1 and "period" in backwards.err, backwards.err


def test_ledger_check_names_a_revision_whose_original_was_reopened_behind_its_back(
    ok: Callable[..., Any], billcli: Callable[..., Any], opened: dict[str, Any], ledger_path: Any
) -> None:
    revision = ok("invoices", "create", "--customer", opened["customer"],
                  "--from-invoice", opened["id"])  # fmt: skip
    ok("invoices", "finalize", revision["id"])
    conn = sqlite3.connect(ledger_path)
    conn.execute("UPDATE invoices SET status = 'open' WHERE id = ?", [opened["id"]])
    conn.commit()
    conn.close()
    result = billcli("ledger", "check", "--json")
    assert result.code == 1
    assert {"object": revision["id"],
            "message": f"is a finalized revision of {opened['id']}, which it did not void"} in [
        {"object": p["object"], "message": p["message"]} for p in result.json["problems"]
    ]  # fmt: skip
