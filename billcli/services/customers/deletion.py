"""Deleting a customer: its subscriptions end and nothing more is collected from it.

Stripe: deleting a customer cancels its subscriptions at once
(`customer.subscription.deleted` each, nothing prorated or invoiced), and so its
schedules (`subscription_schedule.canceled`, a not-started one too). billcli also stops
the collection of its drafts and open invoices, so the clock never finalizes or charges
anything of a deleted customer, and cancels its intents that could still charge (a
3-D Secure page sent before the deletion no longer opens). One transaction: a deletion
killed half-way leaves the customer and its subscriptions as they were. Deleting a test
clock deletes each of its customers the same way, in its time.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core.subscriptions import ENDED
from billcli.services.discounts.applicable import customer_object
from billcli.services.invoicing.collection import stop_collecting
from billcli.services.ledger.events import record
from billcli.services.ledger.lookup import live_customer
from billcli.services.payments.intents import cancel_in as cancel_intent
from billcli.services.schedules.phases import canceled_in
from billcli.services.subscriptions.changes import cancel_in
from billcli.store.ledger import Ledger, Tx


def delete(ledger: Ledger, customer_id: str) -> dict[str, Any]:
    """Mark a customer deleted; its history stays for `ledger check`."""
    with ledger.write() as tx:
        return delete_in(tx, customer_id)


def delete_in(tx: Tx, customer_id: str) -> dict[str, Any]:
    customer = live_customer(tx, customer_id)
    for sub in tx.subscriptions.of_customer(customer.id):
        if sub.status not in ENDED:
            cancel_in(tx, sub)
    for schedule in tx.subscription_schedules.live_of(customer.id):
        canceled_in(tx, schedule)  # its subscription ended above: nothing more to bill
    for invoice in tx.invoices.collecting(customer.id):
        stop_collecting(tx, invoice)
    for pi in tx.payment_intents.unfinished_of(customer.id):
        cancel_intent(tx, pi, "abandoned")  # its 3-D Secure page too: no charge after
    gone = replace(customer, deleted=True)
    tx.customers.save(gone)
    record(tx, "customer.deleted", customer_object(tx, customer))
    return customer_object(tx, gone)
