"""The portal and the hosted invoice page of a clock customer speak in its clock's time:
the ledger clock stands seven years later (2027), so a page reading the ledger's time
would say an invoice is years overdue and a renewal long past."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from billcli.core.dates import utc_date
from tests.clocks.conftest import CLOCK_START
from tests.subscriptions.conftest import ts
from tests.web.conftest import BASE, client  # noqa: F401
from tests.web.test_portal_pages import open_portal, session_path

DAY = 86_400


def test_a_clock_customers_hosted_invoice_is_overdue_by_its_clocks_days(
    client: TestClient,  # noqa: F811
    ok: Callable[..., Any],
    new_clock: Callable[..., str],
    clock_customer: Callable[..., str],
    checked_ledger: Callable[[], None],
) -> None:
    clock = new_clock()
    grace = clock_customer(clock, "Grace", card=None)
    ok("invoices", "items", "create", "--customer", grace, "--amount", "5000")
    draft = ok("invoices", "create", "--customer", grace, "--pending-items", "include",
               "--collection-method", "send_invoice", "--days-until-due", "10")  # fmt: skip
    invoice = ok("invoices", "finalize", draft["id"])
    due = ts(CLOCK_START) + 10 * DAY
    assert invoice["due_date"] == due
    path = invoice["hosted_invoice_url"].removeprefix(BASE)
    page = client.get(path).text
    assert utc_date(due) in page and 'id="overdue"' not in page
    ok("clocks", "advance", clock, "--to", str(due + 3 * DAY + 3600))
    assert '<strong id="overdue">3 days past due</strong>' in client.get(path).text
    checked_ledger()


def test_a_clock_customers_portal_shows_its_renewal_on_its_clocks_calendar(
    client: TestClient,  # noqa: F811
    ok: Callable[..., Any],
    new_clock: Callable[..., str],
    clock_customer: Callable[..., str],
    catalog: dict[str, str],
) -> None:
    clock = new_clock()
    ada = clock_customer(clock)
    ok("subscriptions", "create", "--customer", ada, "--price", catalog["monthly"])
    ok("portal", "configurations", "create", "--headline", "Acme")
    page = open_portal(client, session_path(ok, ada))
    # Created on 2020-01-31, it renews at the month's end: 2020-02-29, not in 2027.
    assert f"Renews {utc_date(ts('2020-02-29T12:00:00Z'))} for" in page
    assert "2027" not in page
