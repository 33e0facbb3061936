"""Money where multi-currency prices meet the customer portal: a customer billed in a
price's currency option is shown that option's amounts, never the price's own."""

from __future__ import annotations

import html as markup
import re
from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from tests.web.conftest import BASE


def _portal_page(client: TestClient, ok: Callable[..., Any], customer: str) -> str:
    url = ok("portal", "sessions", "create", "--customer", customer)["url"]
    assert client.get(url.removeprefix(BASE)).status_code == 200
    page = client.get("/p/portal")
    assert page.status_code == 200
    return markup.unescape(page.text)


def test_the_portal_shows_a_euro_subscription_and_its_plan_choices_in_euros(
    client: TestClient, ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    ok("invoices", "tick", "--by", "1s")
    ok("products", "create", "--name", "Team plan", "--id", "team")
    made = []
    for name, usd, eur in (("Basic", "1000", "900"), ("Plus", "2500", "2200")):
        args = ["--product", "team", "--currency", "usd", "--unit-amount", usd,
                "--recurring-interval", "month", "--nickname", name,
                "--currency-option", f"eur:{eur}"]  # fmt: skip
        made.append(ok("prices", "create", *args))
    basic, plus = (p["id"] for p in made)
    ok("portal", "configurations", "create", "--subscription-update",
       "--subscription-update-allows", "price,quantity",
       "--subscription-update-product", f"team={basic},{plus}")  # fmt: skip
    cus = ok("customers", "create", "--name", "Émile", "--email", "emile@example.com",
             "--currency", "eur", "--payment-method", "pm_card_visa")["id"]  # fmt: skip
    sub = ok("subscriptions", "create", "--customer", cus, "--price", f"{basic}:2")
    assert (sub["currency"], ok("invoices", "list", "--customer", cus)["data"][0]["total"]) == (
        "eur",
        1800,
    )
    page = _portal_page(client, ok, cus)
    section = page[page.index('id="subscriptions"') :]
    assert "<strong>Team plan</strong> · 2 × €9.00 / month" in section
    assert "for €18.00." in section  # the renewal the customer will pay
    assert "Basic · €9.00 / month" in section and "Plus · €22.00 / month" in section
    assert "$" not in section
    checked_ledger()


def test_the_portal_offers_a_euro_subscription_only_plans_with_a_euro_amount(
    client: TestClient, ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    ok("invoices", "tick", "--by", "1s")
    ok("products", "create", "--name", "Team plan", "--id", "team")
    both = ["--product", "team", "--currency", "usd", "--recurring-interval", "month"]
    basic = ok("prices", "create", *both, "--unit-amount", "1000", "--nickname", "Basic",
               "--currency-option", "eur:900")["id"]  # fmt: skip
    dollars = ok("prices", "create", *both, "--unit-amount", "3000", "--nickname", "Dollars")["id"]
    ok("portal", "configurations", "create", "--subscription-update",
       "--subscription-update-allows", "price",
       "--subscription-update-product", f"team={basic},{dollars}")  # fmt: skip
    cus = ok("customers", "create", "--name", "Émile", "--email", "emile@example.com",
             "--currency", "eur", "--payment-method", "pm_card_visa")["id"]  # fmt: skip
    sub = ok("subscriptions", "create", "--customer", cus, "--price", basic)["id"]
    page = _portal_page(client, ok, cus)
    assert "Basic · €9.00 / month" in page
    assert dollars not in page and "Dollars" not in page  # it has no amount in euros
    shown = re.search(r'name="version" value="([0-9a-f]+)"', page)
    assert shown is not None
    asked = {"price": dollars, "version": shown.group(1)}
    refused = client.get(f"/p/portal/subscriptions/{sub}/change", params=asked)
    assert refused.status_code == 400 and "is not offered here" in markup.unescape(refused.text)
    assert ok("subscriptions", "show", sub)["items"]["data"][0]["price"]["id"] == basic
    checked_ledger()
