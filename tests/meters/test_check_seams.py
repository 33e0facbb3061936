"""`ledger check` on usage lines finalized at once (a subscription update that resets
the billing cycle anchor invoices and finalizes in the same second), when events of the
line's span arrive or are canceled later in that very second: the ledger clock stands
still between commands, so the check cannot tell them from those before the invoice by
their time, only by their order. The line billed what the ledger held when it was
finalized; the check must pass, and still catch a line billing anything else."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import raw_connection

DAY = 86_400


def _plan(ok: Callable[..., Any], meter_id: str) -> tuple[str, str]:
    """A $20.00 monthly licensed price and a metered one of 3¢ a unit."""
    ok("products", "create", "--name", "API", "--id", "api")
    licensed = ok("prices", "create", "--product", "api", "--currency", "usd",
                  "--unit-amount", "2000", "--recurring-interval", "month")["id"]  # fmt: skip
    metered = ok("prices", "create", "--product", "api", "--currency", "usd",
                 "--recurring-interval", "month", "--usage-type", "metered", "--meter",
                 meter_id, "--unit-amount", "3")["id"]  # fmt: skip
    return licensed, metered


def _usage_line(ok: Callable[..., Any], customer_id: str, metered: str) -> dict[str, Any]:
    found = ok("invoices", "list", "--customer", customer_id, "--all")["data"]
    [invoice] = [i for i in found if i["billing_reason"] == "subscription_update"]
    assert invoice["status"] == "paid"  # finalized at once, and paid
    [line] = [li for li in invoice["lines"]["data"] if li["price"]["id"] == metered]
    return line


def test_an_event_arriving_in_the_second_an_invoice_was_finalized_after_it_passes_the_check(
    ok, billcli, at_start, customer, meter, send, checked_ledger
):
    cus = customer()
    licensed, metered = _plan(ok, meter())
    sub = ok("subscriptions", "create", "--customer", cus, "--price", licensed,
             "--price", metered)  # fmt: skip
    ok("invoices", "tick", "--to", str(at_start + 5 * DAY))
    send(cus, 100)
    change = at_start + 10 * DAY
    ok("invoices", "tick", "--to", str(change))
    ok("subscriptions", "update", sub["id"], "--billing-cycle-anchor", "now")
    send(cus, 10, timestamp=str(change - 120))  # for the span just billed, but after it
    line = _usage_line(ok, cus, metered)
    assert (line["quantity"], line["amount"]) == (100, 100 * 3)
    assert line["period"]["end"] == change
    checked_ledger()


def test_an_event_canceled_in_the_second_an_invoice_was_finalized_after_it_passes_the_check(
    ok, billcli, at_start, customer, meter, send, checked_ledger
):
    cus = customer()
    licensed, metered = _plan(ok, meter())
    sub = ok("subscriptions", "create", "--customer", cus, "--price", licensed,
             "--price", metered)  # fmt: skip
    ok("invoices", "tick", "--to", str(at_start + 5 * DAY))
    send(cus, 100)
    change = at_start + 10 * DAY
    ok("invoices", "tick", "--to", str(change))
    send(cus, 20, identifier="late", timestamp=str(change - 3600))
    ok("subscriptions", "update", sub["id"], "--billing-cycle-anchor", "now")
    ok("meters", "events", "cancel", "late", "--event-name", "api_calls")
    line = _usage_line(ok, cus, metered)
    assert (line["quantity"], line["amount"]) == (120, 120 * 3)  # billed before it went
    checked_ledger()


def test_the_check_still_names_a_usage_line_finalized_at_once_that_bills_too_much(
    ok, billcli, ledger_path: Path, at_start, customer, meter, send
):
    cus = customer()
    licensed, metered = _plan(ok, meter())
    sub = ok("subscriptions", "create", "--customer", cus, "--price", licensed,
             "--price", metered)  # fmt: skip
    ok("invoices", "tick", "--to", str(at_start + 5 * DAY))
    send(cus, 100)
    change = at_start + 10 * DAY
    ok("invoices", "tick", "--to", str(change))
    ok("subscriptions", "update", sub["id"], "--billing-cycle-anchor", "now")
    send(cus, 10, timestamp=str(change - 120))
    line = _usage_line(ok, cus, metered)
    conn = raw_connection(ledger_path)  # 130 units: more than was ever there
    conn.execute(
        f"UPDATE invoice_items SET quantity = 130, amount = 390 WHERE line_id = '{line['id']}'"
    )
    conn.commit()
    conn.close()
    result = billcli("ledger", "check")
    assert result.code == 1
    assert "counted 110" in result.out and "bills 130 units" in result.out
