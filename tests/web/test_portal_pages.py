"""The portal's pages over HTTP (Starlette's TestClient): every page, every rule."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from billcli.web.security import COOKIE
from tests.conftest import ledger_digest
from tests.web.conftest import BASE, csrf


@pytest.fixture
def shop(ok: Callable[..., Any]) -> dict[str, Any]:
    """A configuration, a customer with a card, credit, and two finalized invoices."""
    ok(
        "portal",
        "configurations",
        "create",
        "--headline",
        "Acme billing",
        "--default-return-url",
        "https://acme.test/account",
    )
    ada = ok(
        "customers",
        "create",
        "--name",
        "Ada <script>alert(1)</script>",
        "--email",
        "ada@example.com",
        "--payment-method",
        "pm_card_visa",
    )
    invoices = []
    for amount in ("2000", "3500"):
        ok("invoices", "items", "create", "--customer", ada["id"], "--amount", amount,
           "--description", f"Service {amount}")  # fmt: skip
        draft = ok("invoices", "create", "--customer", ada["id"], "--pending-items", "include",
                   "--collection-method", "send_invoice", "--days-until-due", "30")  # fmt: skip
        invoices.append(ok("invoices", "finalize", draft["id"]))
    ok("balance", "create", ada["id"], "--amount", "-700", "--description", "Goodwill")
    bob = ok("customers", "create", "--name", "Bob Other", "--email", "bob@example.com")
    return {"ada": ada, "bob": bob, "invoices": invoices}


def session_path(ok: Callable[..., Any], customer: str, *extra: str) -> str:
    url = ok("portal", "sessions", "create", "--customer", customer, *extra)["url"]
    assert url.startswith(BASE + "/p/session/")
    return url.removeprefix(BASE)


def open_portal(client: TestClient, path: str) -> str:
    landing = client.get(path)
    assert landing.status_code == 200
    assert 'http-equiv="refresh" content="0;url=/p/portal"' in landing.text
    page = client.get("/p/portal")
    assert page.status_code == 200
    return page.text


def test_opening_a_session_url_trades_it_for_a_strict_httponly_cookie(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any]
) -> None:
    response = client.get(session_path(ok, shop["ada"]["id"]))
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Max-Age=3600" in cookie
    value = cookie.split(";")[0].split("=", 1)[1]
    assert len(value) >= 43  # 256 bits, URL-safe base64


def test_portal_shows_the_customer_balance_card_invoices_and_return_link(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any], checked_ledger: Any
) -> None:
    html = open_portal(client, session_path(ok, shop["ada"]["id"]))
    assert "Acme billing" in html
    assert 'id="customer-email">ada@example.com<' in html
    assert 'id="balance">$7.00 credit<' in html
    assert 'id="card">Visa •••• 4242<' in html
    for invoice in shop["invoices"]:
        assert invoice["number"] in html
        assert invoice["hosted_invoice_url"] in html
        assert invoice["invoice_pdf"] in html
    assert '<a href="https://acme.test/account" id="return-link">' in html
    assert "Bob Other" not in html and "bob@example.com" not in html
    checked_ledger()


def test_customer_name_with_script_is_shown_escaped(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any]
) -> None:
    html = open_portal(client, session_path(ok, shop["ada"]["id"]))
    assert "<script>" not in html
    assert "Ada &lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_every_answer_carries_the_security_headers(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any]
) -> None:
    response = client.get(session_path(ok, shop["ada"]["id"]))
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"


def test_a_session_url_works_once(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any]
) -> None:
    path = session_path(ok, shop["ada"]["id"])
    open_portal(client, path)
    again = TestClient(client.app, base_url=BASE).get(path)
    assert again.status_code == 404
    assert "expired or was already used" in again.text
    assert "ada@example.com" not in again.text
    assert "https://acme.test/account" in again.text  # the way back, and nothing else


def test_an_unknown_session_url_shows_the_expired_page(client: TestClient) -> None:
    response = client.get("/p/session/" + "A" * 43)
    assert response.status_code == 404
    assert "expired" in response.text
    assert "set-cookie" not in response.headers


def test_a_session_url_expires_after_5_minutes_of_ledger_time(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any], billcli: Any
) -> None:
    path = session_path(ok, shop["ada"]["id"])
    assert billcli("invoices", "tick", "--by", "6m").code == 0
    response = client.get(path)
    assert response.status_code == 404
    assert "ada@example.com" not in response.text
    assert "set-cookie" not in response.headers


def test_a_session_url_still_opens_at_4_minutes(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any], billcli: Any
) -> None:
    path = session_path(ok, shop["ada"]["id"])
    assert billcli("invoices", "tick", "--by", "4m").code == 0
    assert "ada@example.com" in open_portal(client, path)


def test_the_cookie_lasts_one_hour_of_ledger_time(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any], billcli: Any
) -> None:
    open_portal(client, session_path(ok, shop["ada"]["id"]))
    assert billcli("invoices", "tick", "--by", "59m").code == 0
    assert client.get("/p/portal").status_code == 200
    assert billcli("invoices", "tick", "--by", "1m").code == 0
    ended = client.get("/p/portal")
    assert ended.status_code == 404
    assert "ada@example.com" not in ended.text


def test_a_tampered_cookie_shows_no_data(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any]
) -> None:
    open_portal(client, session_path(ok, shop["ada"]["id"]))
    real = client.cookies[COOKIE]
    client.cookies.clear()
    client.cookies.set(COOKIE, real[:-1] + ("A" if real[-1] != "A" else "B"), path="/p")
    response = client.get("/p/portal")
    assert response.status_code == 404
    assert "ada@example.com" not in response.text


def test_no_cookie_shows_no_data(client: TestClient, shop: dict[str, Any]) -> None:
    response = client.get("/p/portal")
    assert response.status_code == 404
    assert "Ada" not in response.text


def test_changing_the_email_is_saved_and_recorded(
    client: TestClient,
    shop: dict[str, Any],
    ok: Callable[..., Any],
    checked_ledger: Any,
) -> None:
    html = open_portal(client, session_path(ok, shop["ada"]["id"]))
    response = client.post(
        "/p/portal/details",
        data={"csrf": csrf(html), "email": "ada@new.example", "name": "Ada L."},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "Your details were saved." in page.text
    customer = ok("customers", "show", shop["ada"]["id"])
    assert (customer["email"], customer["name"]) == ("ada@new.example", "Ada L.")
    event = ok("events", "list", "--type", "customer.updated", "--limit", "1")["data"][0]
    assert event["data"]["previous_attributes"]["email"] == "ada@example.com"
    checked_ledger()


@pytest.mark.parametrize("token", [None, "0" * 64])
def test_a_form_without_the_right_csrf_token_changes_nothing(
    client: TestClient,
    shop: dict[str, Any],
    ok: Callable[..., Any],
    ledger_path: Path,
    token: str | None,
) -> None:
    open_portal(client, session_path(ok, shop["ada"]["id"]))
    before = ledger_digest(ledger_path)
    data = {"email": "evil@example.com"} | ({"csrf": token} if token else {})
    response = client.post("/p/portal/details", data=data)
    assert response.status_code == 403
    assert ledger_digest(ledger_path) == before


def test_a_field_the_configuration_does_not_allow_is_refused(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any], ledger_path: Path
) -> None:
    html = open_portal(client, session_path(ok, shop["ada"]["id"]))
    assert 'name="phone"' not in html  # the form offers exactly the allowed fields
    before = ledger_digest(ledger_path)
    response = client.post("/p/portal/details", data={"csrf": csrf(html), "phone": "+1 555"})
    assert response.status_code == 400
    assert "Invalid phone: it cannot be changed here" in response.text
    assert ledger_digest(ledger_path) == before


def test_an_invalid_email_is_refused_and_the_form_keeps_what_was_typed(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any], ledger_path: Path
) -> None:
    html = open_portal(client, session_path(ok, shop["ada"]["id"]))
    before = ledger_digest(ledger_path)
    response = client.post("/p/portal/details", data={"csrf": csrf(html), "email": "not-an-email"})
    assert response.status_code == 400
    assert "Invalid email" in response.text
    assert 'value="not-an-email"' in response.text
    assert ledger_digest(ledger_path) == before


def test_a_card_update_saves_a_working_card_and_shows_a_declining_one_as_an_error(
    client: TestClient,
    shop: dict[str, Any],
    ok: Callable[..., Any],
    ledger_path: Path,
    checked_ledger: Any,
) -> None:
    html = open_portal(client, session_path(ok, shop["ada"]["id"]))
    token = csrf(html)
    before = ledger_digest(ledger_path)
    declined = client.post(
        "/p/portal/payment-method",
        data={"csrf": token, "payment_method": "pm_card_visa_chargeDeclined"},
    )
    assert declined.status_code == 402
    assert "Your card was declined." in declined.text
    assert ledger_digest(ledger_path) == before
    saved = client.post(
        "/p/portal/payment-method", data={"csrf": token, "payment_method": "pm_card_mastercard"}
    )
    assert saved.status_code == 200 and "Your card was saved." in saved.text
    assert 'id="card">Mastercard •••• 4444<' in saved.text
    checked_ledger()


def test_features_the_configuration_turns_off_are_not_offered_nor_accepted(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any], ledger_path: Path
) -> None:
    bare = ok("portal", "configurations", "create", "--no-invoice-history",
              "--no-payment-method-update", "--customer-update", "")  # fmt: skip
    html = open_portal(client, session_path(ok, shop["ada"]["id"], "--configuration", bare["id"]))
    assert 'id="invoices"' not in html and 'id="payment-method"' not in html
    assert 'id="details"' not in html
    token = re.search(r"[0-9a-f]{64}", html)
    assert token is None  # no form at all
    before = ledger_digest(ledger_path)
    opened = client.cookies[COOKIE]
    from billcli.web.security import Tokens

    forged = Tokens().for_cookie(opened)
    response = client.post(
        "/p/portal/payment-method", data={"csrf": forged, "payment_method": "pm_card_amex"}
    )
    assert response.status_code == 400
    assert ledger_digest(ledger_path) == before


def test_a_foreign_host_header_is_refused(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any], ledger_path: Path
) -> None:
    path = session_path(ok, shop["ada"]["id"])
    before = ledger_digest(ledger_path)
    response = client.get(path, headers={"host": "evil.example"})
    assert response.status_code == 400
    assert response.text == "Invalid Host header"
    assert ledger_digest(ledger_path) == before  # the link is still unused
    assert "ada@example.com" in open_portal(client, path)


def test_the_public_url_host_is_accepted(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any], billcli: Any
) -> None:
    assert billcli("ledger", "config", "public_url", "https://billing.acme.test").code == 0
    url = ok("portal", "sessions", "create", "--customer", shop["ada"]["id"])["url"]
    secure = TestClient(client.app, base_url="https://billing.acme.test")
    response = secure.get(url.removeprefix("https://billing.acme.test"))
    assert response.status_code == 200
    assert "Secure" in response.headers["set-cookie"]


def test_a_session_of_a_customer_deleted_afterwards_shows_no_data(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any], billcli: Any
) -> None:
    path = session_path(ok, shop["ada"]["id"])
    assert billcli("customers", "delete", shop["ada"]["id"]).code == 0
    response = client.get(path)
    assert response.status_code == 404
    assert "ada@example.com" not in response.text


def test_an_open_portal_closes_when_its_customer_is_deleted(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any], billcli: Any
) -> None:
    open_portal(client, session_path(ok, shop["ada"]["id"]))
    assert billcli("customers", "delete", shop["ada"]["id"]).code == 0
    assert client.get("/p/portal").status_code == 404


def test_each_customer_sees_only_their_own_portal(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any]
) -> None:
    html = open_portal(client, session_path(ok, shop["bob"]["id"]))
    assert "bob@example.com" in html
    assert "ada@example.com" not in html and "Ada" not in html
    assert "No invoices yet." in html
    for invoice in shop["invoices"]:
        assert invoice["number"] not in html


def test_the_login_page_emails_a_working_link_and_does_not_tell_who_is_a_customer(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any]
) -> None:
    default = ok("portal", "configurations", "list", "--default")["data"][0]
    login = ok("portal", "configurations", "update", default["id"], "--login-page")
    path = login["login_page"]["url"].removeprefix(BASE)
    form = client.get(path)
    assert form.status_code == 200
    answers = [
        client.post(path, data={"csrf": csrf(form.text), "email": email}).text
        for email in ("ada@example.com", "nobody@example.com")
    ]
    assert "Check your email" in answers[0]
    assert answers[0] == answers[1]
    emails = ok("invoices", "outbox", "--limit", "5")["data"]
    links = [e for e in emails if e["subject"] == "Your billing portal link"]
    assert [e["to"] for e in links] == ["ada@example.com"]
    assert "ada@example.com" in open_portal(client, links[0]["url"].removeprefix(BASE))
    ok("portal", "configurations", "update", default["id"], "--no-login-page")
    assert client.get(path).status_code == 404


def test_serve_warns_when_printed_links_would_not_reach_it() -> None:
    from billcli.request_log import masked
    from billcli.web.server import public_url_warning

    assert public_url_warning("http://127.0.0.1:4242", "127.0.0.1", 4242) is None
    assert public_url_warning("http://localhost:4242", "127.0.0.1", 4242) is None
    hint = public_url_warning("http://127.0.0.1:4242", "127.0.0.1", 8000)
    assert hint is not None and "ledger config public_url http://127.0.0.1:8000" in hint
    assert masked("/p/session/abc123") == "/p/session/…"
    assert masked("/i/abc123/pdf") == "/i/…/pdf"
    assert masked("/i/abc123/authenticate/xyz789") == "/i/…/authenticate/…"
    assert masked("/authenticate/xyz789") == "/authenticate/…"


def test_the_portal_lists_the_customers_subscriptions_with_renewal_and_trial(
    client: TestClient, shop: dict[str, Any], ok: Callable[..., Any]
) -> None:
    ok("products", "create", "--name", "Pro plan", "--id", "pro")
    price = ok("prices", "create", "--product", "pro", "--currency", "usd", "--unit-amount",
               "2000", "--recurring-interval", "month")["id"]  # fmt: skip
    ada = shop["ada"]["id"]
    paid = ok("subscriptions", "create", "--customer", ada, "--price", f"{price}:3")
    trial = ok("subscriptions", "create", "--customer", ada, "--price", price, "--trial-days", "7",
               "--cancel-at-period-end")  # fmt: skip
    other = ok("subscriptions", "create", "--customer", shop["bob"]["id"], "--price", price,
               "--collection-method", "send_invoice")  # fmt: skip
    html = open_portal(client, session_path(ok, ada))
    section = html[html.index('id="subscriptions"') :]
    assert f'id="{paid["id"]}"' in section and f'id="{trial["id"]}"' in section
    assert other["id"] not in html  # another customer's subscription never shows
    assert "<strong>Pro plan</strong> · 3 × $20.00 / month" in section
    # Ada's $7.00 credit went to the first invoice: the renewal is the full $60.00.
    assert "for $60.00." in section
    assert "Trial ends" in section and "Cancels on" in section
