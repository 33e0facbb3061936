"""Seams of the portal's plan changes: the proration date a confirmation carries is
the one its preview was computed at, never one the customer picks."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from tests.conftest import ledger_digest
from tests.web.conftest import BASE
from tests.web.test_portal_pages import open_portal, session_path
from tests.web.test_portal_subscriptions import version


def _preview(client: TestClient, plans, ok) -> dict[str, str]:
    """Ada, nine days into her month on Basic × 2, previews Plus × 2: the confirm form."""
    ada = plans["ada"]
    ok("invoices", "tick", "--by", "9d")
    html = open_portal(client, session_path(ok, ada["customer"]))
    query = {"price": plans["price"]["Plus"], "quantity": "2", "version": version(html, ada["sub"])}
    preview = client.get(f"/p/portal/subscriptions/{ada['sub']}/change", params=query)
    assert preview.status_code == 200
    return dict(re.findall(r'name="(\w+)" value="([^"]*)"', preview.text))


def test_a_confirmation_forged_to_prorate_at_the_period_end_is_refused_and_changes_nothing(
    client: TestClient, plans, ok, ledger_path: Path, checked_ledger
) -> None:
    """Stripe's portal prorates a change as of when the customer makes it; the date is
    not the customer's to choose. Dated at the last second of the period, an upgrade
    from $20.00 to $50.00 a month would cost Ada nothing for the 21 days left."""
    ada = plans["ada"]
    confirm = _preview(client, plans, ok)
    sub = ok("subscriptions", "show", ada["sub"])
    forged = confirm | {"proration_date": str(sub["current_period_end"] - 1)}
    before = ledger_digest(ledger_path)
    refused = client.post(f"/p/portal/subscriptions/{ada['sub']}/change", data=forged)
    assert refused.status_code == 400 and "proration" in refused.text
    assert ledger_digest(ledger_path) == before
    assert (
        ok("subscriptions", "show", ada["sub"])["items"]["data"][0]["price"]["id"]
        == (plans["price"]["Basic"])
    )
    checked_ledger()


def test_a_confirmation_forged_to_prorate_from_the_period_start_is_refused(
    client: TestClient, plans, ok, ledger_path: Path, checked_ledger
) -> None:
    """Backdated to the period start, a downgrade would credit the whole month's unused
    time rather than what is left of it."""
    ada = plans["ada"]
    confirm = _preview(client, plans, ok)
    sub = ok("subscriptions", "show", ada["sub"])
    forged = confirm | {"proration_date": str(sub["current_period_start"])}
    before = ledger_digest(ledger_path)
    refused = client.post(f"/p/portal/subscriptions/{ada['sub']}/change", data=forged)
    assert refused.status_code == 400 and "proration" in refused.text
    assert ledger_digest(ledger_path) == before
    checked_ledger()


def test_the_confirmation_as_previewed_prorates_as_of_the_preview(
    client: TestClient, plans, ok, checked_ledger
) -> None:
    """$30.00 more a month for what is left of it after nine days, as the preview said
    (each line rounded half away from zero)."""
    ada = plans["ada"]
    confirm = _preview(client, plans, ok)
    sub = ok("subscriptions", "show", ada["sub"])
    start, end = sub["current_period_start"], sub["current_period_end"]
    at = int(confirm["proration_date"])
    assert at == start + 9 * 86_400
    share = (end - at) / (end - start)
    expected = -int(2000 * share + 0.5) + int(5000 * share + 0.5)
    made = client.post(f"/p/portal/subscriptions/{ada['sub']}/change", data=confirm)
    assert made.status_code == 200 and "Your subscription was changed." in made.text
    pending = ok("invoices", "items", "list", "--customer", ada["customer"], "--pending")["data"]
    assert all(i["period"]["start"] == int(confirm["proration_date"]) for i in pending)
    assert sum(i["amount"] for i in pending) == expected > 0
    checked_ledger()


def test_an_update_confirm_flow_sets_the_quantity_it_names_where_customers_cannot_choose_one(
    client: TestClient, plans, ok, checked_ledger
) -> None:
    """Stripe asks of `flow_data[subscription_update_confirm][items]` only that the price
    be one the configuration lists: the quantity is the operator's, set by the flow, even
    when the configuration does not let customers change quantities themselves. Such a
    flow was made, then its page refused the change it was made for."""
    _confirmed(client, plans, ok, "price", 3)
    checked_ledger()


def test_an_update_confirm_flow_sets_the_price_it_names_where_customers_change_only_seats(
    client: TestClient, plans, ok, checked_ledger
) -> None:
    """The same for the price: listed in the configuration's products, it is confirmed
    even when `default_allowed_updates` lets customers change only the quantity."""
    _confirmed(client, plans, ok, "quantity", 2)
    checked_ledger()


def _confirmed(client: TestClient, plans, ok, allows: str, quantity: int) -> None:
    """With the configuration letting customers change only `allows`, an update-confirm
    flow to Plus × `quantity` is shown, confirmed, and sets both."""
    ada = plans["ada"]
    config = ok("portal", "configurations", "list")["data"][0]["id"]
    ok("portal", "configurations", "update", config, "--subscription-update-allows", allows)
    session = ok("portal", "sessions", "create", "--customer", ada["customer"],
                 "--flow", "subscription_update_confirm", "--flow-subscription", ada["sub"],
                 "--flow-price", f"{plans['price']['Plus']}:{quantity}")  # fmt: skip
    client.get(session["url"].removeprefix(BASE))
    preview = client.get("/p/portal")
    assert preview.status_code == 200 and "Confirm your change" in preview.text, preview.text
    confirm = dict(re.findall(r'name="(\w+)" value="([^"]*)"', preview.text))
    done = client.post(f"/p/portal/subscriptions/{ada['sub']}/change", data=confirm)
    assert done.status_code == 200, done.text
    item = ok("subscriptions", "show", ada["sub"])["items"]["data"][0]
    assert (item["price"]["id"], item["quantity"]) == (plans["price"]["Plus"], quantity)
