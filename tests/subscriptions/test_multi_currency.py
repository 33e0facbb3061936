"""Multi-currency prices and quantity transforms: a customer who pays in euros is billed
each price's euro option on every path that prices a line (Stripe: "the currency
option of the customer's currency"), and a price that sells in packs bills the quantity
divided and rounded as its `transform_quantity` says."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.subscriptions.conftest import ts
from tests.subscriptions.test_changes import rounded

FEB_28 = ts("2027-02-28T12:00:00Z")
MAR_31 = ts("2027-03-31T12:00:00Z")


def euro_customer(ok: Callable[..., Any]) -> str:
    return str(
        ok(
            "customers",
            "create",
            "--name",
            "Émile",
            "--email",
            "emile@example.com",
            "--currency",
            "eur",
            "--payment-method",
            "pm_card_visa",
        )["id"]
    )


def priced(ok: Callable[..., Any], *args: str) -> dict[str, Any]:
    return ok("prices", "create", "--product", "pro", "--currency", "usd", *args)  # type: ignore[no-any-return]


def invoices_of(ok: Callable[..., Any], customer: str) -> list[dict[str, Any]]:
    return list(reversed(ok("invoices", "list", "--customer", customer, "--all")["data"]))


def test_a_price_shows_its_currency_options_and_keeps_its_own_currency(
    ok: Callable[..., Any], catalog: dict[str, str], assert_valid: Callable[..., None]
) -> None:
    price = priced(ok, "--unit-amount", "2000", "--recurring-interval", "month",
                   "--currency-option", "eur:1800", "--currency-option", "JPY:3000")  # fmt: skip
    assert_valid(price)
    assert (price["currency"], price["unit_amount"]) == ("usd", 2000)
    assert {c: o["unit_amount"] for c, o in price["currency_options"].items()} == {
        "eur": 1800,
        "jpy": 3000,
    }
    # The list's filter is the price's own currency, as Stripe's is.
    in_usd = ok("prices", "list", "--currency", "usd", "--all")["data"]
    assert in_usd[0] == price and {p["currency"] for p in in_usd} == {"usd"}
    assert ok("prices", "list", "--currency", "jpy")["data"] == []


def test_a_euro_customer_is_billed_the_euro_option_at_signup_renewal_and_on_a_change(
    ok: Callable[..., Any], catalog: dict[str, str], checked_ledger: Callable[[], None]
) -> None:
    price = priced(ok, "--unit-amount", "2000", "--recurring-interval", "month",
                   "--currency-option", "eur:1800")["id"]  # fmt: skip
    cus = euro_customer(ok)
    sub = ok("subscriptions", "create", "--customer", cus, "--price", f"{price}:2")
    assert sub["currency"] == "eur"
    ok("invoices", "tick", "--to", "2027-03-05T00:00:00Z")
    first, renewal = invoices_of(ok, cus)
    assert (first["currency"], first["total"]) == ("eur", 2 * 1800)
    assert (renewal["currency"], renewal["total"]) == ("eur", 2 * 1800)
    ok("subscriptions", "update", sub["id"], "--quantity", "3")
    pending = ok("invoices", "items", "list", "--customer", cus, "--pending")["data"]
    left, period = MAR_31 - ts("2027-03-05T00:00:00Z"), MAR_31 - FEB_28
    assert sorted((i["amount"], i["currency"]) for i in pending) == [
        (rounded(-2 * 1800, left, period), "eur"),
        (rounded(3 * 1800, left, period), "eur"),
    ]
    preview = ok("invoices", "upcoming", "--customer", cus)
    assert preview["currency"] == "eur"
    assert preview["amount_due"] == sum(i["amount"] for i in pending) + 3 * 1800
    checked_ledger()


def test_a_one_time_price_bills_a_euro_customer_its_euro_option(
    ok: Callable[..., Any], catalog: dict[str, str]
) -> None:
    setup = priced(ok, "--unit-amount", "5000", "--currency-option", "eur:4500")["id"]
    cus = euro_customer(ok)
    item = ok("invoices", "items", "create", "--customer", cus, "--price", setup,
              "--quantity", "2")  # fmt: skip
    assert (item["amount"], item["currency"], item["unit_amount"]) == (9000, "eur", 4500)


def test_a_price_without_the_customers_currency_is_refused_and_writes_nothing(
    ok: Callable[..., Any], billcli: Callable[..., Any], catalog: dict[str, str]
) -> None:
    cus = euro_customer(ok)
    before = ok("subscriptions", "list", "--customer", cus)["data"]
    refused = billcli("subscriptions", "create", "--customer", cus, "--price", catalog["monthly"])
    assert refused.code == 1
    assert "usd" in refused.err and "eur" in refused.err, refused.err
    assert ok("subscriptions", "list", "--customer", cus)["data"] == before


def test_packs_bill_the_quantity_divided_and_rounded_as_the_price_says(
    ok: Callable[..., Any], catalog: dict[str, str], customer: Callable[..., str]
) -> None:
    # $5.00 a pack of 10: 25 units are 3 packs rounded up, 2 rounded down.
    up = priced(ok, "--unit-amount", "500", "--recurring-interval", "month",
                "--divide-by", "10", "--round", "up")  # fmt: skip
    down = priced(ok, "--unit-amount", "500", "--recurring-interval", "month",
                  "--divide-by", "10", "--round", "down")  # fmt: skip
    assert up["transform_quantity"] == {"divide_by": 10, "round": "up"}
    for price, packs in ((up, 3), (down, 2)):
        cus = customer()
        ok("subscriptions", "create", "--customer", cus, "--price", f"{price['id']}:25")
        (invoice,) = invoices_of(ok, cus)
        assert invoice["total"] == packs * 500
        assert invoice["lines"]["data"][0]["quantity"] == 25
