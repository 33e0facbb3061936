"""Deleting test clocks: asked for, or when the ledger clock reaches `deletes_after`.

Deleting a clock deletes each of its customers as `customers delete` does (their
subscriptions end, nothing more is collected from them), in one transaction on the
clock, so each customer's deletion happens in its time; the clock's own event is in
ledger time.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core import objects
from billcli.core.ids import check_id
from billcli.core.records.clocks import TestClock
from billcli.services.clock import claims
from billcli.services.ledger.events import record
from billcli.services.ledger.lookup import live_clock
from billcli.store.ledger import Ledger, Tx


def delete(ledger: Ledger, clock_id: str) -> dict[str, Any]:
    """Delete a clock and its customers, as `customers delete` leaves each (their
    subscriptions end, nothing more is collected); one transaction, in its time."""
    check_id(clock_id, "test_clock", param="test_clock")
    with ledger.write(clock=clock_id) as tx:
        return _delete_in(tx, live_clock(tx, clock_id))


def _delete_in(tx: Tx, clock: TestClock) -> dict[str, Any]:
    # startup: deleting customers loads subscriptions and invoicing
    from billcli.services.customers.deletion import delete_in

    claims.refuse_if_held(clock, "delete it")
    for customer_id in tx.test_clocks.customers(clock.id):
        delete_in(tx, customer_id)
    gone = replace(clock, deleted=True, advanced_by=None, lease_until=None)
    tx.test_clocks.save(gone)
    record(tx, "test_helpers.test_clock.deleted", objects.test_clock(clock))
    return objects.test_clock(gone)


def delete_expired(ledger: Ledger, clock_ids: list[str]) -> None:
    """Delete the clocks whose `deletes_after` the ledger clock has reached, as Stripe
    does (one still advancing waits for the next tick)."""
    for clock_id in clock_ids:
        with ledger.write(clock=clock_id) as tx:
            clock = tx.test_clocks.get(clock_id)
            if clock is not None and not clock.deleted and not claims.held(clock):
                _delete_in(tx, clock)
