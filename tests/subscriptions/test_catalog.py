"""Products and prices: the catalog's rules, tier arithmetic, lookup keys, bad input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billcli.core.catalog import tiered_amount
from tests.conftest import ledger_digest, raw_connection


def test_a_product_with_prices_is_archived_not_deleted(
    ok: Callable[..., Any], billcli: Callable[..., Any], catalog: dict[str, str], assert_valid: Any
) -> None:
    product = ok("products", "show", "pro")
    assert_valid(product)
    refused = billcli("products", "delete", "pro")
    assert refused.code == 1 and "has one or more prices" in refused.err
    archived = ok("products", "update", "pro", "--inactive", "--description", "Old plan")
    assert (archived["active"], archived["description"]) == (False, "Old plan")
    empty = ok("products", "create", "--name", "Nothing yet")
    gone = ok("products", "delete", empty["id"])
    assert gone == {"id": empty["id"], "object": "product", "deleted": True}
    assert_valid(gone)
    assert ok("products", "show", empty["id"])["deleted"] is True
    listed = [p["id"] for p in ok("products", "list", "--all")["data"]]
    assert empty["id"] not in listed and "pro" in listed
    assert [p["id"] for p in ok("products", "list", "--inactive")["data"]] == ["pro"]


def test_prices_show_their_recurrence_and_validate(
    ok: Callable[..., Any], catalog: dict[str, str], assert_valid: Any
) -> None:
    monthly = ok("prices", "show", catalog["monthly"])
    assert_valid(monthly)
    assert monthly["recurring"] == {"aggregate_usage": None, "interval": "month",
                                    "interval_count": 1, "usage_type": "licensed"}  # fmt: skip
    assert (monthly["type"], monthly["unit_amount"], monthly["unit_amount_decimal"]) == (
        "recurring",
        2000,
        "2000",
    )
    setup = ok("prices", "show", catalog["setup"])
    assert (setup["type"], setup["recurring"]) == ("one_time", None)
    assert {p["id"] for p in ok("prices", "list", "--type", "one_time")["data"]} == {
        catalog["setup"]
    }
    assert len(ok("prices", "list", "--product", "seats")["data"]) == 1


def graduated(tiers: list[tuple[int | None, int, int]], quantity: int) -> int:
    """Each unit at its own tier, each reached tier's flat fee once: counted unit by unit."""
    total, reached = 0, set()
    for unit in range(1, quantity + 1):
        index = next(i for i, (top, _, _) in enumerate(tiers) if top is None or unit <= top)
        total += tiers[index][1]
        reached.add(index)
    return total + sum(tiers[i][2] for i in reached)


def volume(tiers: list[tuple[int | None, int, int]], quantity: int) -> int:
    if quantity == 0:
        return 0
    _top, unit, flat = next(t for t in tiers if t[0] is None or quantity <= t[0])
    return unit * quantity + flat


@given(
    st.lists(
        st.tuples(st.integers(1, 20), st.integers(0, 5000), st.integers(0, 3000)),
        min_size=1,
        max_size=5,
    ),
    st.integers(0, 120),
)
def test_tiered_amounts_equal_a_unit_by_unit_count(steps, quantity) -> None:
    tiers, top = [], 0
    for width, unit, flat in steps:
        top += width
        tiers.append((top, unit, flat))
    tiers[-1] = (None, tiers[-1][1], tiers[-1][2])
    stored = [{"up_to": t, "unit_amount": u, "flat_amount": f} for t, u, f in tiers]
    assert tiered_amount(stored, "graduated", quantity) == graduated(tiers, quantity)
    assert tiered_amount(stored, "volume", quantity) == volume(tiers, quantity)


def test_a_tiered_one_time_price_bills_an_item_by_its_tiers(
    ok: Callable[..., Any], catalog: dict[str, str], customer: Callable[..., str], assert_valid: Any
) -> None:
    tiered = ok("prices", "create", "--product", "seats", "--currency", "usd",
                "--billing-scheme", "tiered", "--tiers-mode", "graduated",
                "--tier", "5:1000", "--tier", "10:800:500", "--tier", "inf:600")  # fmt: skip
    assert_valid(tiered)
    assert [t["up_to"] for t in tiered["tiers"]] == [5, 10, None]
    assert tiered["unit_amount"] is None
    item = ok("invoices", "items", "create", "--customer", customer(), "--price", tiered["id"],
              "--quantity", "12")  # fmt: skip
    assert_valid(item)
    # 5 × 10.00 + 5 × 8.00 + 5.00 flat + 2 × 6.00 = 50 + 40 + 5 + 12
    assert (item["amount"], item["price"]["id"], item["description"]) == (10700, tiered["id"],
                                                                           "Seats")  # fmt: skip
    updated = ok("invoices", "items", "update", item["id"], "--quantity", "3")
    assert updated["amount"] == 3000


def test_a_lookup_key_is_unique_and_moves_only_when_transferred(
    ok: Callable[..., Any], billcli: Callable[..., Any], catalog: dict[str, str], ledger_path: Path
) -> None:
    ok("prices", "update", catalog["monthly"], "--lookup-key", "standard")
    before = ledger_digest(ledger_path)
    taken = billcli("prices", "create", "--product", "pro", "--currency", "usd",
                    "--unit-amount", "2500", "--recurring-interval", "month",
                    "--lookup-key", "standard")  # fmt: skip
    assert taken.code == 1 and "already uses the lookup key 'standard'" in taken.err
    assert ledger_digest(ledger_path) == before
    ok("prices", "update", catalog["monthly"], "--inactive")  # archived, still holds it
    moved = ok("prices", "create", "--product", "pro", "--currency", "usd", "--unit-amount",
               "2500", "--recurring-interval", "month", "--lookup-key", "standard",
               "--transfer-lookup-key")  # fmt: skip
    assert moved["lookup_key"] == "standard"
    assert ok("prices", "show", catalog["monthly"])["lookup_key"] is None
    found = ok("prices", "list", "--lookup-key", "standard")["data"]
    assert [p["id"] for p in found] == [moved["id"]]


BAD_PRICES = [
    (["--unit-amount", "-5"], 1, "unit_amount", "cannot be negative"),
    (["--unit-amount", "5", "--billing-scheme", "tiered", "--tiers-mode", "volume"], 1,
     "unit_amount", "tiered price's amounts are its tiers"),
    (["--billing-scheme", "tiered", "--tiers-mode", "volume", "--tier", "5:100"], 1,
     "tiers[0]", "last tier's up_to must be inf"),
    (["--billing-scheme", "tiered", "--tiers-mode", "volume", "--tier", "5:100",
      "--tier", "3:50", "--tier", "inf:10"], 1, "tiers[1][up_to]", "greater than the one"),
    (["--billing-scheme", "tiered", "--tier", "inf:100"], 1, "tiers_mode", "graduated or volume"),
    (["--unit-amount", "5", "--recurring-interval", "month", "--interval-count", "37"], 1,
     "interval_count", "at most three years"),
    # a count of 0 was read as 1 (issue 26.6); Stripe wants a positive count
    (["--unit-amount", "5", "--recurring-interval", "month", "--interval-count", "0"], 1,
     "interval_count", "every 1 to 36 months"),
    (["--unit-amount", "5", "--recurring-interval", "week", "--interval-count", "-1"], 1,
     "interval_count", "every 1 to 156 weeks"),
    (["--unit-amount", "5", "--recurring-interval", "fortnight"], 1, "recurring_interval",
     "day, week, month or year"),
    (["--unit-amount", "5", "--interval-count", "2"], 1, "interval_count", "--recurring-interval"),
    (["--unit-amount", "5", "--lookup-key", "k" * 201], 1, "lookup_key", "at most 200"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "code", "param", "message"), BAD_PRICES)
def test_bad_prices_are_refused_naming_the_parameter(
    billcli: Callable[..., Any], catalog: dict[str, str], ledger_path: Path, args, code, param,
    message,
) -> None:  # fmt: skip
    before = ledger_digest(ledger_path)
    done = billcli("prices", "create", "--product", "pro", "--currency", "usd", *args, "--json")
    assert done.code == code, done.err
    assert done.json["error"]["param"] == param and message in done.err
    assert ledger_digest(ledger_path) == before


def test_a_price_never_changes_its_amounts(
    billcli: Callable[..., Any], catalog: dict[str, str], ledger_path: Path
) -> None:
    before = ledger_digest(ledger_path)
    for option in (["--unit-amount", "10"], ["--currency", "eur"], ["--product", "seats"]):
        done = billcli("prices", "update", catalog["monthly"], *option)
        assert done.code != 0
    conn = raw_connection(ledger_path)
    # SQLite's IntegrityError, or psycopg's for PostgreSQL's trigger (SQLSTATE 23000).
    with pytest.raises(Exception, match="price amounts never change") as raised:
        conn.execute("UPDATE prices SET unit_amount = 1 WHERE id = ?", [catalog["monthly"]])
    assert "Integrity" in type(raised.value).__name__
    conn.close()
    assert ledger_digest(ledger_path) == before


def test_items_take_one_time_prices_only(
    billcli: Callable[..., Any], catalog: dict[str, str], customer: Callable[..., str],
    ledger_path: Path,
) -> None:  # fmt: skip
    cus = customer()
    before = ledger_digest(ledger_path)
    recurring = billcli("invoices", "items", "create", "--customer", cus, "--price",
                        catalog["monthly"])  # fmt: skip
    assert recurring.code == 1 and "is a recurring price" in recurring.err
    both = billcli("invoices", "items", "create", "--customer", cus, "--price", catalog["setup"],
                   "--amount", "5")  # fmt: skip
    assert both.code == 1 and "not both" in both.err
    unknown = billcli("invoices", "items", "create", "--customer", cus, "--price",
                      "price_" + "0" * 24)  # fmt: skip
    assert unknown.code == 6
    assert ledger_digest(ledger_path) == before
