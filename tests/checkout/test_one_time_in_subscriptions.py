"""One-time prices in a `mode=subscription` Checkout Session (Stripe: accepted beside at
least one recurring price, billed once on the subscription's first invoice). The
session's totals include them, the first invoice charges them, renewals do not; during a
trial they are still due today. Amounts are computed here from the prices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SUCCESS = "https://shop.example/done"


def _open(ok: Callable[..., Any], *args: str) -> dict[str, Any]:
    return ok("checkout", "sessions", "create", "--success-url", SUCCESS, "--mode",  # type: ignore[no-any-return]
              "subscription", *args)  # fmt: skip


def _amounts(invoice: dict[str, Any]) -> list[int]:
    return sorted(line["amount"] for line in invoice["lines"]["data"])


def test_a_one_time_price_is_billed_on_the_first_invoice_only(
    ok, monthly, one_time, fill_in, checked_ledger
):
    made = _open(ok, "--price", monthly, "--price", f"{one_time}:2")
    # 20.00 a month, plus 2 × 15.00 = 30.00 once: 50.00 today.
    assert (made["amount_subtotal"], made["amount_total"]) == (5000, 5000)
    assert fill_in(made["url"]).status_code == 200
    done = ok("checkout", "sessions", "show", made["id"])
    first = ok("invoices", "show", done["invoice"])
    assert (_amounts(first), first["amount_paid"]) == ([2000, 3000], 5000)
    sub = ok("subscriptions", "show", done["subscription"])
    assert [i["price"]["id"] for i in sub["items"]["data"]] == [monthly]  # not the one-time

    ok("invoices", "tick", "--to", "2027-04-01T10:00:00Z")  # the first renewal, a month on
    renewals = [i for i in ok("invoices", "list", "--all")["data"] if i["id"] != first["id"]]
    assert [_amounts(i) for i in renewals] == [[2000]]
    checked_ledger()


def test_a_one_time_price_is_due_today_during_a_trial(
    ok, monthly, one_time, fill_in, checked_ledger
):
    made = _open(ok, "--price", monthly, "--price", one_time, "--trial-days", "14")
    # The plan is free for 14 days; the 15.00 one-time price is not.
    assert (made["amount_subtotal"], made["amount_total"]) == (1500, 1500)
    assert fill_in(made["url"]).status_code == 200
    done = ok("checkout", "sessions", "show", made["id"])
    assert ok("subscriptions", "show", done["subscription"])["status"] == "trialing"
    first = ok("invoices", "show", done["invoice"])
    assert (first["total"], first["amount_paid"]) == (1500, 1500)
    checked_ledger()


def test_a_coupon_and_tax_cover_the_one_time_price_as_the_first_invoice_does(
    ok, monthly, one_time, fill_in, checked_ledger
):
    ok("coupons", "create", "--id", "TENPC", "--percent-off", "10", "--duration", "forever")
    rate = ok("tax-rates", "create", "--display-name", "VAT", "--percentage", "20")["id"]
    made = _open(ok, "--price", monthly, "--price", one_time, "--coupon", "TENPC",
                 "--default-tax-rate", rate)  # fmt: skip
    # 20.00 + 15.00 = 35.00, less 10% = 31.50, plus 20% tax = 6.30: 37.80.
    assert made["total_details"]["amount_discount"] == 350
    assert made["total_details"]["amount_tax"] == 630
    assert made["amount_total"] == 3780
    assert fill_in(made["url"]).status_code == 200
    done = ok("checkout", "sessions", "show", made["id"])
    first = ok("invoices", "show", done["invoice"])
    assert (first["tax"], first["total"], first["amount_paid"]) == (630, 3780, 3780)
    checked_ledger()


def test_products_archived_after_the_session_was_made_still_make_its_subscription(
    ok, billcli, monthly, one_time, fill_in, checked_ledger
):
    """Its prices were checked when the session was made: archiving the products of its
    recurring and one-time lines since stops new purchases, not this one (as for an
    archived price); a new subscription of them is still refused."""
    made = _open(ok, "--price", monthly, "--price", one_time)
    ok("products", "update", "pro", "--inactive")
    ok("products", "update", "manual", "--inactive")
    assert fill_in(made["url"]).status_code == 200
    done = ok("checkout", "sessions", "show", made["id"])
    assert (done["status"], done["payment_status"]) == ("complete", "paid")
    first = ok("invoices", "show", done["invoice"])
    assert (_amounts(first), first["status"]) == ([1500, 2000], "paid")
    refused = billcli("checkout", "sessions", "create", "--success-url", SUCCESS, "--mode",
                      "subscription", "--price", monthly)  # fmt: skip
    assert refused.code != 0 and "inactive" in refused.err, refused.err
    checked_ledger()
