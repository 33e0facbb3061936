"""The portal end to end in real headless Chromium, against `billcli portal serve`.

CI sets BILLCLI_REQUIRE_BROWSER=1, so a missing Chromium fails the run there instead
of skipping. BILLCLI_SCREENSHOTS=DIR saves the pages as PNG files (the README's).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from billcli.request_log import masked
from tests.conftest import ledger_digest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Shop(BaseHTTPRequestHandler):
    """The merchant's site the portal's return link leads back to."""

    def do_GET(self) -> None:
        body = b"<!doctype html><title>Acme</title><h1>Back at Acme</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def shop_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Shop)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/account"
    server.shutdown()


@pytest.fixture
def server(ledger_path: Path, ok: Callable[..., Any]) -> Iterator[str]:
    """`billcli portal serve` on a free port, with public_url pointing at it."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    ok("ledger", "init")
    ok("ledger", "config", "public_url", base)
    process = subprocess.Popen(
        [sys.executable, "-m", "billcli", "portal", "serve", "--port", str(port)],
        env={**os.environ, "BILLCLI_LEDGER": str(ledger_path)},
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.1)
    try:
        yield base
    finally:
        process.terminate()
        _, log = process.communicate(timeout=10)
        logged = [line.split()[1] for line in log.splitlines() if line[:4] in ("GET ", "POST")]
        assert all(masked(path) == path for path in logged), "secrets are masked in the log"


@pytest.fixture
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("BILLCLI_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is required here and missing at {CHROMIUM}")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _screenshot(page: Any, name: str) -> None:
    folder = os.environ.get("BILLCLI_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_a_customer_opens_the_portal_changes_email_pays_and_returns(
    server: str,
    shop_url: str,
    browser: Any,
    ok: Callable[..., Any],
    checked_ledger: Callable[[], None],
) -> None:
    ok(
        "portal",
        "configurations",
        "create",
        "--headline",
        "Acme Rentals",
        "--default-return-url",
        shop_url,
        "--customer-update",
        "email,name,phone",
    )
    ada = ok(
        "customers",
        "create",
        "--name",
        "Ada Lovelace",
        "--email",
        "ada@example.com",
        "--payment-method",
        "pm_card_visa",
        "--invoice-prefix",
        "ADA",
    )
    for amount, what in (("4200", "Engine rental"), ("12900", "Difference engine service")):
        ok(
            "invoices",
            "items",
            "create",
            "--customer",
            ada["id"],
            "--amount",
            amount,
            "--description",
            what,
        )
        draft = ok(
            "invoices",
            "create",
            "--customer",
            ada["id"],
            "--pending-items",
            "include",
            "--collection-method",
            "send_invoice",
            "--days-until-due",
            "30",
        )
        ok("invoices", "finalize", draft["id"])
    ok("balance", "create", ada["id"], "--amount", "-1500", "--description", "Welcome credit")
    url = ok("portal", "sessions", "create", "--customer", ada["id"])["url"]

    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(url)
    page.wait_for_url(f"{server}/p/portal")
    history = page.locator("#invoices")
    assert history.locator("tbody tr").count() == 2
    assert "ADA-0002" in history.inner_text() and "ADA-0001" in history.inner_text()
    assert page.locator("#balance").inner_text() == "$15.00 credit"
    _screenshot(page, "portal.png")

    page.fill("#field-email", "ada@analytical.example")
    page.click("#details button")
    page.wait_for_selector(".notice")
    assert page.locator("#customer-email").inner_text() == "ada@analytical.example"
    assert ok("customers", "show", ada["id"])["email"] == "ada@analytical.example"

    row = history.locator("tbody tr", has_text="ADA-0002")
    row.get_by_role("link", name="View").click()
    page.wait_for_selector("#pay")
    assert page.locator("#status").inner_text() == "open"
    _screenshot(page, "hosted-invoice.png")
    page.click("#pay button")
    page.wait_for_selector(".notice")
    assert page.locator("#status").inner_text() == "paid"
    listed = ok("invoices", "list", "--customer", ada["id"])["data"]
    paid = [i for i in listed if i["status"] == "paid"]
    assert [i["number"] for i in paid] == ["ADA-0002"]

    page.go_back()
    page.go_back()
    page.reload()
    page.click("#return-link")
    page.wait_for_url(shop_url)
    assert page.locator("h1").inner_text() == "Back at Acme"

    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.goto(ok("portal", "sessions", "create", "--customer", ada["id"])["url"])
    phone.wait_for_url(f"{server}/p/portal")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the portal fits a phone without sideways scrolling ({width}px)"
    _screenshot(phone, "portal-phone.png")

    events = [e["type"] for e in ok("events", "list", "--limit", "100")["data"]]
    assert "customer.updated" in events and "invoice.paid" in events
    assert json.dumps(events).count("billing_portal.session.created") == 2
    checked_ledger()


def test_a_customer_reviews_a_plan_change_confirms_it_then_cancels_with_a_reason(
    server: str,
    plans: dict[str, Any],
    browser: Any,
    ok: Callable[..., Any],
    checked_ledger: Callable[[], None],
) -> None:
    ada = plans["ada"]
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(ok("portal", "sessions", "create", "--customer", ada["customer"])["url"])
    page.wait_for_url(f"{server}/p/portal")
    card = page.locator(f"#{ada['sub']}")
    assert "2 ×" in card.inner_text()
    card.locator(f"#price-{ada['sub']}").select_option(plans["price"]["Plus"])
    card.locator(f"#quantity-{ada['sub']}").fill("3")
    card.get_by_role("button", name="Review change").click()
    page.wait_for_selector("#preview")
    preview = page.locator("#preview").inner_text()
    assert "Remaining time on 3 × Team plan" in preview
    assert "Unused time on 2 × Team plan" in preview
    _screenshot(page, "portal-change.png")
    page.click("#confirm-change")
    page.wait_for_selector(".notice")
    assert "Your subscription was changed." in page.locator(".notice").inner_text()
    item = ok("subscriptions", "show", ada["sub"])["items"]["data"][0]
    assert (item["price"]["id"], item["quantity"]) == (plans["price"]["Plus"], 3)

    card = page.locator(f"#{ada['sub']}")
    card.locator(f"#reason-{ada['sub']}").select_option("unused")
    card.locator(f"#comment-{ada['sub']}").fill("Team moved on")
    card.get_by_role("button", name="Cancel at the end of the period").click()
    page.wait_for_selector(".notice")
    assert "Cancels on" in page.locator(f"#{ada['sub']}").inner_text()
    details = ok("subscriptions", "show", ada["sub"])["cancellation_details"]
    assert (details["feedback"], details["comment"]) == ("unused", "Team moved on")
    checked_ledger()


def test_a_tampered_page_cannot_buy_a_hidden_price_or_touch_another_customer(
    server: str,
    plans: dict[str, Any],
    browser: Any,
    ok: Callable[..., Any],
    ledger_path: Path,
) -> None:
    ada, bob = plans["ada"], plans["bob"]
    page = browser.new_page()
    page.goto(ok("portal", "sessions", "create", "--customer", ada["customer"])["url"])
    page.wait_for_url(f"{server}/p/portal")
    before = ledger_digest(ledger_path)
    select = f"#price-{ada['sub']}"
    page.eval_on_selector(
        select, "(s, id) => { s.options[0].value = id; s.value = id; }", plans["price"]["Hidden"]
    )
    page.locator(f"#{ada['sub']} form.change button").click()
    assert "is not offered here" in page.locator("body").inner_text()
    page.go_back()
    page.eval_on_selector(
        f"#{ada['sub']} form.cancel",
        "(f, id) => f.action = f.action.replace(/sub_[A-Za-z0-9]+/, id)",
        bob["sub"],
    )
    page.locator(f"#{ada['sub']} form.cancel button").click()
    assert "not one of yours" in page.locator("body").inner_text()
    assert ledger_digest(ledger_path) == before
    assert ok("subscriptions", "show", bob["sub"])["cancel_at_period_end"] is False
