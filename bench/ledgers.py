"""The pieces several benchmarks build their ledgers from, made one way."""

from __future__ import annotations

from pathlib import Path

from billcli.services.catalog import prices, products
from billcli.services.catalog.prices import PriceInput
from billcli.services.catalog.products import ProductInput
from billcli.services.customers import customers_import
from billcli.store.ledger import Ledger


def import_customers(
    ledger: Ledger, folder: Path, count: int, *, card: bool = True, clock: str | None = None
) -> list[str]:
    """`count` USD customers brought in by `customers import` (as a user would), each with
    a test card unless `card` is False, on the test clock `clock` if given; their ids in
    order."""
    people = folder / "customers.csv"
    column, value = (",payment_method", ",pm_card_visa") if card else ("", "")
    if clock is not None:
        column, value = f"{column},clock", f"{value},{clock}"
    people.write_text(
        f"name,email,currency{column}\n"
        + "".join(f"Customer {i},c{i}@example.com,usd{value}\n" for i in range(count))
    )
    ids: list[str] = customers_import.import_file(ledger, people)["ids"]
    return ids


def monthly_plan(ledger: Ledger) -> str:
    """The product `plan` with a $20.00 monthly price; the price's id."""
    products.create(ledger, ProductInput(name="Plan", id="plan"))
    price: str = prices.create(
        ledger,
        PriceInput(product="plan", currency="usd", unit_amount="2000", recurring_interval="month"),
    )["id"]
    return price
