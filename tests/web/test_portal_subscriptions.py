"""The portal's subscription features over HTTP: cancel, keep, change after a preview,
pause; deep-linked flows; every refusal changes nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.conftest import ledger_digest
from tests.web.conftest import BASE, csrf
from tests.web.test_portal_pages import open_portal, session_path


def version(html: str, sub: str) -> str:
    block = html[html.index(f'id="{sub}"') :]
    found = re.search(r'name="version" value="([0-9a-f]+)"', block)
    assert found
    return found.group(1)


def test_a_customer_cancels_at_the_period_end_with_a_reason_and_can_take_it_back(
    client: TestClient, plans, ok, events, checked_ledger
) -> None:
    ada = plans["ada"]
    html = open_portal(client, session_path(ok, ada["customer"]))
    assert "Cancel at the end of the period" in html and "Too expensive" in html
    form = {
        "csrf": csrf(html),
        "version": version(html, ada["sub"]),
        "reason": "too_expensive",
        "comment": "Cheaper elsewhere",
    }
    done = client.post(
        f"/p/portal/subscriptions/{ada['sub']}/cancel", data=form, follow_redirects=False
    )
    assert done.status_code == 303
    sub = ok("subscriptions", "show", ada["sub"])
    assert (sub["cancel_at_period_end"], sub["status"]) == (True, "active")
    assert sub["cancellation_details"]["feedback"] == "too_expensive"
    assert sub["cancellation_details"]["comment"] == "Cheaper elsewhere"
    page = client.get("/p/portal").text
    assert "Cancels on" in page and "Keep my subscription" in page
    kept = client.post(
        f"/p/portal/subscriptions/{ada['sub']}/keep",
        data={"csrf": csrf(page), "version": version(page, ada["sub"])},
    )
    assert kept.status_code == 200 and "Your subscription will go on." in kept.text
    assert ok("subscriptions", "show", ada["sub"])["cancel_at_period_end"] is False
    checked_ledger()


def test_a_replayed_cancel_form_changes_nothing(
    client: TestClient, plans, ok, ledger_path: Path
) -> None:
    ada = plans["ada"]
    html = open_portal(client, session_path(ok, ada["customer"]))
    form = {"csrf": csrf(html), "version": version(html, ada["sub"])}
    client.post(f"/p/portal/subscriptions/{ada['sub']}/cancel", data=form)
    before = ledger_digest(ledger_path)
    again = client.post(f"/p/portal/subscriptions/{ada['sub']}/cancel", data=form)
    assert again.status_code == 400 and "changed since the page was shown" in again.text
    assert ledger_digest(ledger_path) == before


def test_a_change_shows_its_exact_prorations_before_it_is_made(
    client: TestClient, plans, ok, checked_ledger
) -> None:
    ada = plans["ada"]
    ok("invoices", "tick", "--by", "9d")
    html = open_portal(client, session_path(ok, ada["customer"]))
    query = {"price": plans["price"]["Plus"], "quantity": "3", "version": version(html, ada["sub"])}
    preview = client.get(f"/p/portal/subscriptions/{ada['sub']}/change", params=query)
    assert preview.status_code == 200
    when = re.search(r'name="proration_date" value="(\d+)"', preview.text).group(1)  # type: ignore[union-attr]
    item = ok("subscriptions", "show", ada["sub"])["items"]["data"][0]["id"]
    expected = ok(
        "invoices",
        "upcoming",
        "--customer",
        ada["customer"],
        "--item",
        f"{item}={plans['price']['Plus']}:3",
        "--proration-date",
        when,
    )
    for line in expected["lines"]["data"]:
        assert line["description"] in preview.text
    confirm = {k: v for k, v in re.findall(r'name="(\w+)" value="([^"]*)"', preview.text)}
    made = client.post(f"/p/portal/subscriptions/{ada['sub']}/change", data=confirm)
    assert made.status_code == 200 and "Your subscription was changed." in made.text
    pending = ok("invoices", "items", "list", "--customer", ada["customer"], "--pending")["data"]
    assert sorted(i["amount"] for i in pending) == sorted(
        line["amount"] for line in expected["lines"]["data"] if line["proration"]
    )
    again = client.post(f"/p/portal/subscriptions/{ada['sub']}/change", data=confirm)
    assert again.status_code == 400  # a replayed confirmation changes nothing more
    assert (
        len(ok("invoices", "items", "list", "--customer", ada["customer"], "--pending")["data"])
        == 2
    )
    checked_ledger()


def test_a_switch_to_a_yearly_price_is_confirmed_for_what_it_then_costs(
    client: TestClient, plans, ok, checked_ledger
) -> None:
    """Month → year mid-period invoices at once: the confirm page shows that invoice (the
    unused time credited, a whole year from now), and confirming charges exactly it."""
    ada = plans["ada"]
    yearly = ok("prices", "create", "--product", "team", "--currency", "usd", "--unit-amount",
                "10000", "--recurring-interval", "year", "--nickname", "Yearly")["id"]  # fmt: skip
    config = ok("portal", "configurations", "list")["data"][0]["id"]
    ok("portal", "configurations", "update", config, "--subscription-update-product",
       f"team={plans['price']['Basic']},{plans['price']['Plus']},{yearly}")  # fmt: skip
    ok("invoices", "tick", "--by", "9d")
    html = open_portal(client, session_path(ok, ada["customer"]))
    query = {"price": yearly, "quantity": "1", "version": version(html, ada["sub"])}
    preview = client.get(f"/p/portal/subscriptions/{ada['sub']}/change", params=query)
    assert preview.status_code == 200
    totals = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", preview.text))
    confirm = {k: v for k, v in re.findall(r'name="(\w+)" value="([^"]*)"', preview.text)}
    made = client.post(f"/p/portal/subscriptions/{ada['sub']}/change", data=confirm)
    assert made.status_code == 200
    invoice = ok("invoices", "show", ok("subscriptions", "show", ada["sub"])["latest_invoice"])
    assert invoice["billing_reason"] == "subscription_update"
    assert invoice["amount_paid"] == invoice["total"] > 0
    shown = f"${invoice['total'] / 100:,.2f}"
    assert (totals["Total"], totals["Amount due"]) == (shown, shown)
    checked_ledger()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("price", "Hidden", "is not offered here"), ("price", "price_" + "0" * 24, "not offered")],
)
def test_a_price_the_configuration_does_not_offer_is_refused(
    client: TestClient, plans, ok, ledger_path: Path, field, value, message
) -> None:
    ada = plans["ada"]
    html = open_portal(client, session_path(ok, ada["customer"]))
    assert plans["price"]["Hidden"] not in html
    asked = plans["price"].get(value, value)
    form = {"csrf": csrf(html), "version": version(html, ada["sub"]), field: asked, "quantity": "2"}
    before = ledger_digest(ledger_path)
    for send in (
        lambda: client.post(f"/p/portal/subscriptions/{ada['sub']}/change", data=form),
        lambda: client.get(f"/p/portal/subscriptions/{ada['sub']}/change", params=form),
    ):
        refused = send()
        assert refused.status_code == 400 and message in refused.text
    assert ledger_digest(ledger_path) == before


def test_a_form_forged_for_another_customers_subscription_is_refused(
    client: TestClient, plans, ok, ledger_path: Path
) -> None:
    html = open_portal(client, session_path(ok, plans["ada"]["customer"]))
    bob = plans["bob"]["sub"]
    assert bob not in html
    before = ledger_digest(ledger_path)
    for action in ("cancel", "keep", "pause", "change"):
        forged = client.post(
            f"/p/portal/subscriptions/{bob}/{action}",
            data={"csrf": csrf(html), "version": "0" * 20, "price": plans["price"]["Plus"]},
        )
        assert forged.status_code == 400 and "not one of yours" in forged.text
    assert ledger_digest(ledger_path) == before


def test_forms_without_the_right_csrf_token_change_nothing(
    client: TestClient, plans, ok, ledger_path: Path
) -> None:
    ada = plans["ada"]
    html = open_portal(client, session_path(ok, ada["customer"]))
    before = ledger_digest(ledger_path)
    for token in (None, "0" * 64):
        form = {"version": version(html, ada["sub"])} | ({"csrf": token} if token else {})
        assert (
            client.post(f"/p/portal/subscriptions/{ada['sub']}/cancel", data=form).status_code
            == 403
        )
    assert ledger_digest(ledger_path) == before


def test_pause_then_resume_payments(client: TestClient, plans, ok, checked_ledger) -> None:
    ada = plans["ada"]
    html = open_portal(client, session_path(ok, ada["customer"]))
    client.post(
        f"/p/portal/subscriptions/{ada['sub']}/pause",
        data={"csrf": csrf(html), "version": version(html, ada["sub"])},
    )
    assert ok("subscriptions", "show", ada["sub"])["pause_collection"]["behavior"] == "void"
    page = client.get("/p/portal").text
    assert "Payments are paused." in page
    client.post(
        f"/p/portal/subscriptions/{ada['sub']}/pause",
        data={"csrf": csrf(page), "version": version(page, ada["sub"]), "resume": "1"},
    )
    assert ok("subscriptions", "show", ada["sub"])["pause_collection"] is None
    checked_ledger()


def test_immediate_cancellation_with_prorations_credits_the_unused_time(
    client: TestClient, plans, ok, checked_ledger
) -> None:
    configuration = ok("portal", "configurations", "list")["data"][0]["id"]
    ok(
        "portal",
        "configurations",
        "update",
        configuration,
        "--cancellation-mode",
        "immediately",
        "--cancellation-proration",
        "create_prorations",
    )
    ada = plans["ada"]
    ok("invoices", "tick", "--by", "10d")
    html = open_portal(client, session_path(ok, ada["customer"]))
    assert "Cancel now" in html
    client.post(
        f"/p/portal/subscriptions/{ada['sub']}/cancel",
        data={"csrf": csrf(html), "version": version(html, ada["sub"])},
    )
    assert ok("subscriptions", "show", ada["sub"])["status"] == "canceled"
    final = ok("invoices", "list", "--customer", ada["customer"])["data"][0]
    assert final["total"] < 0  # the unused 20 days, credited
    checked_ledger()


def test_a_cancel_flow_shows_only_that_and_redirects_after(
    client: TestClient, plans, ok, assert_valid
) -> None:
    ada = plans["ada"]
    session = ok(
        "portal",
        "sessions",
        "create",
        "--customer",
        ada["customer"],
        "--flow",
        "subscription_cancel",
        "--flow-subscription",
        ada["sub"],
        "--after-completion",
        "redirect",
        "--after-completion-url",
        "https://shop.example/bye",
    )
    assert_valid(session)
    assert session["flow"]["subscription_cancel"] == {"retention": None, "subscription": ada["sub"]}
    client.get(session["url"].removeprefix(BASE))
    html = client.get("/p/portal").text
    assert "Cancel at the end of the period" in html
    assert (
        "Review change" not in html and 'id="invoices"' not in html and 'id="details"' not in html
    )
    done = client.post(
        f"/p/portal/subscriptions/{ada['sub']}/cancel",
        data={"csrf": csrf(html), "version": version(html, ada["sub"])},
        follow_redirects=False,
    )
    assert (done.status_code, done.headers["location"]) == (303, "https://shop.example/bye")


def test_an_update_confirm_flow_lands_on_the_preview_and_confirms_in_place(
    client: TestClient, plans, ok
) -> None:
    ada = plans["ada"]
    session = ok(
        "portal",
        "sessions",
        "create",
        "--customer",
        ada["customer"],
        "--flow",
        "subscription_update_confirm",
        "--flow-subscription",
        ada["sub"],
        "--flow-price",
        f"{plans['price']['Plus']}:2",
        "--after-completion",
        "hosted_confirmation",
        "--after-completion-message",
        "Welcome to Plus!",
    )
    client.get(session["url"].removeprefix(BASE))
    preview = client.get("/p/portal")
    assert "Confirm your change" in preview.text
    confirm = {k: v for k, v in re.findall(r'name="(\w+)" value="([^"]*)"', preview.text)}
    done = client.post(f"/p/portal/subscriptions/{ada['sub']}/change", data=confirm)
    assert "Welcome to Plus!" in done.text
    item = ok("subscriptions", "show", ada["sub"])["items"]["data"][0]
    assert item["price"]["id"] == plans["price"]["Plus"]


def test_a_payment_method_flow_offers_only_the_card(client: TestClient, plans, ok) -> None:
    session = ok(
        "portal",
        "sessions",
        "create",
        "--customer",
        plans["ada"]["customer"],
        "--flow",
        "payment_method_update",
    )
    client.get(session["url"].removeprefix(BASE))
    html = client.get("/p/portal").text
    assert 'id="payment-method"' in html and 'id="subscriptions"' not in html


@pytest.mark.parametrize(
    ("args", "param"),
    [
        (["--flow", "subscription_cancel"], "flow_data[subscription_cancel][subscription]"),
        (
            ["--flow", "subscription_cancel", "--flow-subscription", "{bob}"],
            "flow_data[subscription_cancel][subscription]",
        ),
        (
            [
                "--flow",
                "subscription_update_confirm",
                "--flow-subscription",
                "{ada}",
                "--flow-price",
                "{hidden}",
            ],
            "flow_data[subscription_update_confirm][items][0][price]",
        ),
        (
            [
                "--flow",
                "subscription_cancel",
                "--flow-subscription",
                "{ada}",
                "--after-completion",
                "redirect",
            ],
            "flow_data[after_completion][redirect][return_url]",
        ),
        (["--flow", "elsewhere"], "flow_data[type]"),
    ],
)
def test_a_flow_for_another_customer_or_an_unoffered_price_is_refused(
    billcli, plans, ledger_path: Path, args, param
) -> None:
    names = {
        "ada": plans["ada"]["sub"],
        "bob": plans["bob"]["sub"],
        "hidden": plans["price"]["Hidden"],
    }
    before = ledger_digest(ledger_path)
    done = billcli(
        "portal",
        "sessions",
        "create",
        "--customer",
        plans["ada"]["customer"],
        *[a.format(**names) for a in args],
        "--json",
    )
    assert done.code == 1 and done.json["error"]["param"] == param, done.err
    assert ledger_digest(ledger_path) == before
