"""Money where multi-currency prices meet other features: a customer billed in a
price's currency option sees that option's amounts everywhere an amount is shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

START = "2027-01-31T12:00:00Z"


def ts(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def _catalog(ok: Callable[..., Any]) -> str:
    ok("ledger", "init")
    ok("invoices", "tick", "--to", START)
    ok("products", "create", "--name", "Pro", "--id", "pro")
    price = ok("prices", "create", "--product", "pro", "--currency", "usd",
               "--unit-amount", "2000", "--recurring-interval", "month",
               "--currency-option", "eur:1800", "--currency-option", "jpy:3001")  # fmt: skip
    return str(price["id"])


def _customer(ok: Callable[..., Any], currency: str) -> str:
    made = ok("customers", "create", "--name", "Ada", "--email", "ada@example.com",
              "--currency", currency, "--payment-method", "pm_card_visa")  # fmt: skip
    return str(made["id"])


def test_a_subscription_line_describes_the_unit_amount_of_the_currency_it_is_billed_in(
    ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    price = _catalog(ok)
    for currency, words in (("eur", "3 × Pro (at €18.00 / month)"),
                            ("jpy", "3 × Pro (at ¥3,001 / month)")):  # fmt: skip
        cus = _customer(ok, currency)
        ok("subscriptions", "create", "--customer", cus, "--price", f"{price}:3")
        (invoice,) = ok("invoices", "list", "--customer", cus)["data"]
        (line,) = invoice["lines"]["data"]
        assert (invoice["currency"], line["amount"]) == (
            currency,
            3 * (1800 if currency == "eur" else 3001),
        )
        assert line["description"] == words
        preview = ok("invoices", "upcoming", "--customer", cus)
        assert preview["lines"]["data"][0]["description"] == words
    checked_ledger()


def test_subscriptions_show_prices_an_item_in_the_subscriptions_currency(
    ok: Callable[..., Any], billcli: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    price = _catalog(ok)
    sub = ok("subscriptions", "create", "--customer", _customer(ok, "eur"), "--price", price)
    shown = billcli("subscriptions", "show", sub["id"])
    assert shown.code == 0
    assert "1 × pro at €18.00 / month" in shown.out and "$20.00" not in shown.out
    listed = billcli("subscriptions", "list")
    assert "1 × €18.00 / month" in listed.out and "$20.00" not in listed.out
    checked_ledger()


def test_a_schedule_of_a_euro_customer_is_in_euros_and_its_phases_bill_the_euro_options(
    ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    price = _catalog(ok)
    ok("products", "create", "--name", "Max", "--id", "max")
    bigger = ok("prices", "create", "--product", "max", "--currency", "usd",
                "--unit-amount", "5000", "--recurring-interval", "month",
                "--currency-option", "eur:4400")["id"]  # fmt: skip
    cus = _customer(ok, "eur")
    phases = ["--phase", f"{price}:2 iterations=1", "--phase", f"{bigger} iterations=2"]
    made = ok("subscription-schedules", "create", "--customer", cus, *phases)
    assert [p["currency"] for p in made["phases"]] == ["eur", "eur"]
    ok("invoices", "tick", "--to", "2027-03-05T00:00:00Z")
    listed = ok("invoices", "list", "--customer", cus)["data"]
    totals = [(i["currency"], i["total"]) for i in listed]
    assert totals == [("eur", 4400), ("eur", 2 * 1800)]  # newest first
    checked_ledger()


def test_a_schedule_asked_in_euros_starts_a_subscription_in_euros(
    ok: Callable[..., Any], checked_ledger: Callable[[], None], ledger_path: Any
) -> None:
    from billcli.core.schedules import PhaseInput
    from billcli.services.schedules.schedules import ScheduleInput, create
    from billcli.store.ledger import Ledger

    price = _catalog(ok)
    cus = str(ok("customers", "create", "--name", "Bo", "--email", "bo@example.com",
                 "--payment-method", "pm_card_visa")["id"])  # fmt: skip
    phase = PhaseInput(items=((price, 1),), iterations=2, currency="eur")  # phases[0][currency]
    with Ledger(ledger_path) as ledger:
        made = create(ledger, ScheduleInput(customer=cus, phases=(phase,)))
    assert made["phases"][0]["currency"] == "eur"
    sub = ok("subscriptions", "show", made["subscription"])
    (invoice,) = ok("invoices", "list", "--customer", cus)["data"]
    assert (sub["currency"], invoice["currency"], invoice["total"]) == ("eur", "eur", 1800)
    checked_ledger()


def test_a_euro_subscription_leaving_a_plan_free_in_euros_starts_a_paid_period_at_once(
    ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    """Stripe invoices at once, the period restarting, "when moving from a free ... state
    to paid": free in the currency the customer pays, here a plan whose euro option is 0
    though its own dollar amount is not."""
    paid = _catalog(ok)
    free = ok("prices", "create", "--product", "pro", "--currency", "usd",
              "--unit-amount", "500", "--recurring-interval", "month",
              "--currency-option", "eur:0")["id"]  # fmt: skip
    cus = _customer(ok, "eur")
    sub = ok("subscriptions", "create", "--customer", cus, "--price", free)
    item = sub["items"]["data"][0]["id"]
    ok("invoices", "tick", "--to", "2027-02-10T00:00:00Z")
    preview = ok("invoices", "upcoming", "--customer", cus, "--subscription", sub["id"],
                 "--item", f"{item}={paid}")  # fmt: skip
    changed = ok("subscriptions", "update", sub["id"], "--item", f"{item}={paid}")
    assert changed["current_period_start"] == ts("2027-02-10T00:00:00Z")
    latest = ok("invoices", "show", changed["latest_invoice"])
    assert (latest["billing_reason"], latest["currency"], latest["total"]) == (
        "subscription_update", "eur", 1800,
    )  # fmt: skip
    assert latest["amount_paid"] == 1800 and preview["total"] == 1800
    assert ok("invoices", "items", "list", "--customer", cus, "--pending")["data"] == []
    checked_ledger()
