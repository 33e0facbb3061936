"""A subscription session shows what its first invoice charges, line by line.

Stripe shows the amount due today: with `subscription_data[billing_cycle_anchor]` the
first invoice bills the stub up to the anchor, prorated to the second (nothing with
`proration_behavior=none`), so the page shows that too; the stub is a proration,
which no coupon discounts, on the page as on the invoice. Once the anchor has passed,
Checkout "displays and charges for the full period starting with the billing cycle
anchor". A line the buyer takes down to
0 is not bought, recurring or not, and leaves the line items response ("If your
customer removes a line item, it is also removed from the line items response"); a
subscription keeps at least one recurring line. Amounts are computed here: the clock is
frozen at 2027-03-01 09:00 UTC, a 20.00 monthly price, a 9.99 one-time fee.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from billcli.core.checkout import Adjustable
from billcli.errors import InvalidRequest
from billcli.services.checkout import completion, quantities, sessions
from billcli.store.ledger import Ledger

SUCCESS = "https://shop.example/done"
ANCHOR = int(datetime(2027, 3, 11, 9, tzinfo=UTC).timestamp())
# The anchor's cycle before it: 2027-02-11 09:00 to 2027-03-11 09:00, 28 days; the stub
# from 2027-03-01 09:00 is 10 of them: 20.00 × 10 / 28 = 7.142… → 7.14.
STUB = round(2000 * 10 / 28)


@pytest.fixture
def fee(ok: Callable[..., Any], at_start: int) -> str:
    ok("products", "create", "--name", "Setup", "--id", "setup")
    return str(ok("prices", "create", "--product", "setup", "--currency", "usd",
                  "--unit-amount", "999")["id"])  # fmt: skip


def _create(ledger_path: Any, **given: Any) -> dict[str, Any]:
    with Ledger(ledger_path) as ledger:
        data = sessions.SessionInput(mode="subscription", success_url=SUCCESS, **given)
        return sessions.create(ledger, data)


def _paid(ledger_path: Any, made: dict[str, Any]) -> None:
    with Ledger(ledger_path) as ledger:
        secret = made["url"].rsplit("/c/", 1)[1]
        assert completion.pay(ledger, secret, "pm_card_visa", "ada@example.com").completed


@pytest.mark.parametrize(("behavior", "stub"), [(None, STUB), ("none", 0)])
def test_a_billing_cycle_anchor_shows_the_prorated_stub_the_first_invoice_charges(
    ok, monthly, fee, ledger_path, checked_ledger, behavior, stub
):
    made = _create(ledger_path, line_items=((monthly, 1), (fee, 1)), billing_cycle_anchor=ANCHOR,
                   proration_behavior=behavior)  # fmt: skip
    assert made["amount_total"] == stub + 999
    _paid(ledger_path, made)
    done = ok("checkout", "sessions", "show", made["id"])
    invoice = ok("invoices", "show", done["invoice"])
    assert (done["amount_total"], invoice["total"], invoice["amount_paid"]) == (
        stub + 999,
        stub + 999,
        stub + 999,
    )
    sub = ok("subscriptions", "show", done["subscription"])
    assert (sub["billing_cycle_anchor"], sub["current_period_end"]) == (ANCHOR, ANCHOR)
    checked_ledger()


def _items(ledger_path: Any, session_id: str) -> list[dict[str, Any]]:
    with Ledger(ledger_path) as ledger, ledger.read() as tx:
        return list(tx.checkout_sessions.get(session_id).line_items)


def test_a_recurring_line_taken_to_zero_is_not_subscribed_and_leaves_the_line_items(
    ok, monthly, fee, ledger_path, checked_ledger
):
    ok("products", "create", "--name", "Seats", "--id", "seats")
    seats = ok("prices", "create", "--product", "seats", "--currency", "usd",
               "--unit-amount", "500", "--recurring-interval", "month")["id"]  # fmt: skip
    any_quantity = Adjustable(enabled=True)
    made = _create(ledger_path, line_items=((monthly, 1), (seats, 2), (fee, 1)),
                   line_item_adjustable=(any_quantity, any_quantity, None))  # fmt: skip
    secret = made["url"].rsplit("/c/", 1)[1]
    items = _items(ledger_path, made["id"])
    with Ledger(ledger_path) as ledger:
        quantities.adjust(ledger, secret, items[1]["id"], "0")
        with pytest.raises(InvalidRequest, match="Keep at least one subscription item"):
            quantities.adjust(ledger, secret, items[0]["id"], "0")
    listed = ok("checkout", "sessions", "show", made["id"])
    assert [i["price"]["id"] for i in listed["line_items"]["data"]] == [monthly, fee]
    assert listed["amount_total"] == 2000 + 999  # the seats taken off; the plan kept
    _paid(ledger_path, made)
    done = ok("checkout", "sessions", "show", made["id"])
    sub = ok("subscriptions", "show", done["subscription"])
    assert [(i["price"]["id"], i["quantity"]) for i in sub["items"]["data"]] == [(monthly, 1)]
    assert ok("invoices", "show", done["invoice"])["total"] == 2000 + 999
    checked_ledger()


def test_a_coupon_discounts_no_stub_before_the_anchor_on_the_session_as_on_the_invoice(
    ok, monthly, fee, ledger_path, checked_ledger
):
    ok("coupons", "create", "--id", "THIRD", "--duration", "forever", "--percent-off", "33")
    made = _create(ledger_path, line_items=((monthly, 1), (fee, 1)), coupons=("THIRD",),
                   billing_cycle_anchor=ANCHOR)  # fmt: skip
    # The stub is a proration, never discounted; the fee loses 33% of 9.99 = 3.2967 → 3.30.
    due = STUB + 999 - 330
    assert (made["total_details"]["amount_discount"], made["amount_total"]) == (330, due)
    _paid(ledger_path, made)
    done = ok("checkout", "sessions", "show", made["id"])
    invoice = ok("invoices", "show", done["invoice"])
    assert (done["amount_total"], invoice["total"], invoice["amount_paid"]) == (due, due, due)
    checked_ledger()


def test_a_stub_a_coupon_would_cover_still_asks_for_a_card_when_payment_is_if_required(
    ok, monthly, ledger_path, checked_ledger
):
    ok("coupons", "create", "--id", "TEN", "--duration", "forever", "--amount-off", "1000",
       "--currency", "usd")  # fmt: skip
    made = _create(ledger_path, line_items=((monthly, 1),), coupons=("TEN",),
                   billing_cycle_anchor=ANCHOR,
                   payment_method_collection="if_required")  # fmt: skip
    assert (made["total_details"]["amount_discount"], made["amount_total"]) == (0, STUB)
    with Ledger(ledger_path) as ledger:
        assert completion.page(ledger, made["url"].rsplit("/c/", 1)[1]).needs_card
    _paid(ledger_path, made)
    done = ok("checkout", "sessions", "show", made["id"])
    assert ok("invoices", "show", done["invoice"])["amount_paid"] == STUB
    checked_ledger()


def test_an_anchor_passed_while_the_session_was_open_charges_the_full_period_from_it(
    ok, monthly, at_start, ledger_path, checked_ledger
):
    anchor = at_start + 2 * 3600
    made = _create(ledger_path, line_items=((monthly, 1),), billing_cycle_anchor=anchor)
    ok("invoices", "tick", "--to", str(at_start + 3 * 3600))
    _paid(ledger_path, made)
    done = ok("checkout", "sessions", "show", made["id"])
    invoice = ok("invoices", "show", done["invoice"])
    paid = (done["status"], done["amount_total"], invoice["amount_paid"])
    assert paid == ("complete", 2000, 2000)
    sub = ok("subscriptions", "show", done["subscription"])
    # The month from the anchor: 2027-03-01 11:00 to 2027-04-01 11:00 UTC.
    month_later = int(datetime(2027, 4, 1, 11, tzinfo=UTC).timestamp())
    assert (sub["current_period_start"], sub["current_period_end"]) == (anchor, month_later)
    checked_ledger()
