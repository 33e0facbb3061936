"""An invoice created through the API does not collect itself unless asked: Stripe's
`auto_advance` defaults to false for invoices created through the API (changelog
2018-11-08, facts §4.2; billcli-decisions, Invoices), so the clock neither finalizes
nor charges it, while `auto_advance=true` still does both (and the CLI's default,
true, is unchanged)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2 as httpx

START = "2027-03-01T09:00:00Z"


def _draft(http: httpx.Client, customer: str, **extra: str) -> dict[str, Any]:
    http.post("/v1/invoiceitems", data={"customer": customer, "amount": "1500", "currency": "usd"})
    made = http.post(
        "/v1/invoices",
        data={"customer": customer, "pending_invoice_items_behavior": "include", **extra},
    )
    assert made.status_code == 200, made.text
    return made.json()  # type: ignore[no-any-return]


def test_an_api_invoice_is_neither_finalized_nor_charged_by_the_clock_unless_asked(
    http: httpx.Client, ok: Callable[..., Any], checked_ledger: Callable[[], None]
) -> None:
    ok("invoices", "tick", "--to", START)
    ada = http.post("/v1/customers", data={"name": "Ada", "payment_method": "pm_card_visa"})
    quiet = _draft(http, ada.json()["id"])
    assert (quiet["auto_advance"], quiet["automatically_finalizes_at"]) == (False, None)
    asked = _draft(http, ada.json()["id"], auto_advance="true")
    assert asked["auto_advance"] is True
    assert asked["automatically_finalizes_at"] == asked["created"] + 3600

    ok("invoices", "tick", "--by", "2h")
    assert ok("invoices", "show", quiet["id"])["status"] == "draft"
    assert ok("invoices", "show", asked["id"])["status"] == "paid"  # finalized, then charged

    final = http.post(f"/v1/invoices/{quiet['id']}/finalize").json()
    assert (final["status"], final["auto_advance"], final["next_payment_attempt"]) == (
        "open",
        False,
        None,
    )
    ok("invoices", "tick", "--by", "1d")
    still = ok("invoices", "show", quiet["id"])
    assert (still["status"], still["attempt_count"], still["charge"]) == ("open", 0, None)
    assert [c["invoice"] for c in ok("charges", "list")["data"]] == [asked["id"]]
    checked_ledger()
