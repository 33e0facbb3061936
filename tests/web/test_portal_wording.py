"""What the portal and the hosted invoice page say: a cancellation at the period end
"will be canceled", the card list names each card once, an overdue invoice says how
long it is past due."""

from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

from billcli.core.dates import utc_date
from billcli.render.text import past_due
from tests.web.conftest import BASE, csrf
from tests.web.test_portal_pages import open_portal, session_path
from tests.web.test_portal_subscriptions import version


def _cancel(client: TestClient, ok, sub: dict[str, str]) -> tuple[str, str]:
    html = open_portal(client, session_path(ok, sub["customer"]))
    form = {"csrf": csrf(html), "version": version(html, sub["sub"])}
    done = client.post(
        f"/p/portal/subscriptions/{sub['sub']}/cancel", data=form, follow_redirects=False
    )
    assert done.status_code == 303
    return done.headers["location"], client.get(done.headers["location"]).text


def test_a_cancellation_at_the_period_end_says_it_will_cancel_on_a_date(
    client: TestClient, plans, ok, checked_ledger
) -> None:
    where, page = _cancel(client, ok, plans["ada"])
    assert where == "/p/portal?done=cancels"
    notice = re.search(r'<div class="notice" role="status">([^<]*)</div>', page)
    assert notice and notice.group(1) == (
        "Your subscription will be canceled at the end of its current period, on the date "
        "below; until then it goes on."
    )
    end = ok("subscriptions", "show", plans["ada"]["sub"])["current_period_end"]
    assert f"Cancels on {utc_date(end)}." in page and "was canceled" not in page
    checked_ledger()


def test_an_immediate_cancellation_says_it_was_canceled(client: TestClient, plans, ok) -> None:
    configuration = ok("portal", "configurations", "list")["data"][0]["id"]
    ok("portal", "configurations", "update", configuration, "--cancellation-mode", "immediately")
    where, page = _cancel(client, ok, plans["ada"])
    assert where == "/p/portal?done=canceled"
    assert "Your subscription was canceled." in page


def _options(html: str, select: str) -> list[str]:
    block = html[html.index(f'id="{select}"') :].split("</select>")[0]
    return re.findall(r"<option[^>]*>([^<]*)</option>", block)


def test_the_card_lists_name_each_card_once(client: TestClient, plans, ok) -> None:
    html = open_portal(client, session_path(ok, plans["ada"]["customer"]))
    labels = _options(html, "card-choice")
    assert len(labels) == len(set(labels)) and "Visa •••• 0002 (generic_decline)" in labels


def test_an_overdue_hosted_invoice_says_how_long_it_is_past_due(client: TestClient, ok) -> None:
    customer = ok("customers", "create", "--name", "Grace", "--email", "grace@example.com")["id"]
    ok("invoices", "items", "create", "--customer", customer, "--amount", "5000")
    draft = ok("invoices", "create", "--customer", customer, "--pending-items", "include",
               "--collection-method", "send_invoice", "--days-until-due", "10")  # fmt: skip
    invoice: dict[str, Any] = ok("invoices", "finalize", draft["id"])
    path = invoice["hosted_invoice_url"].removeprefix(BASE)
    assert 'id="overdue"' not in client.get(path).text
    ok("invoices", "tick", "--to", str(invoice["due_date"] + 59 * 86_400 + 3600))
    html = client.get(path).text
    assert '<strong id="overdue">59 days past due</strong>' in html
    labels = _options(html, "pay-with")
    assert len(labels) == len(set(labels))


def test_past_due_is_said_in_days() -> None:
    assert past_due(None, 100) == "" and past_due(1000, 1000) == ""
    assert past_due(1000, 1000 + 3600) == "less than a day past due"
    assert past_due(1000, 1000 + 86_400) == "1 day past due"
    assert past_due(1000, 1000 + 2 * 86_400 + 5) == "2 days past due"
