"""A trial that ends without a payment method, and resuming a paused subscription.

Facts §2.2 and `trial_settings`: when a `charge_automatically` trial ends and neither
the subscription nor its customer has a default payment method,
`missing_payment_method` decides: `create_invoice` (the renewal is invoiced, as
before), `cancel` (the subscription ends, no invoice) or `pause` (status `paused`, no
invoices, `customer.subscription.paused`). `POST /v1/subscriptions/{id}/resume` starts
it again: a new period from now (`billing_cycle_anchor=now`, the default) or the
period around now (`unchanged`, its remaining time prorated unless
`proration_behavior=none`), invoiced and collected at once as a first invoice is; it
is `active` (`customer.subscription.resumed`), and `past_due` when that payment fails.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core.invoicing import check_choice
from billcli.core.periods import next_boundary, period_at
from billcli.core.prorations import check_date
from billcli.core.records.subscriptions import Subscription
from billcli.errors import InvalidRequest
from billcli.services.ledger.events import record
from billcli.services.subscriptions.billing import create_invoice, period_lines
from billcli.services.subscriptions.creation import PRORATION_BEHAVIORS, collect_now
from billcli.services.subscriptions.items import billed_items
from billcli.services.subscriptions.proposals import UPDATE_PAYMENT_BEHAVIORS
from billcli.services.subscriptions.records import find, save, subscription_object
from billcli.services.subscriptions.status import end
from billcli.store.ledger import Ledger, Tx


def has_payment_method(tx: Tx, sub: Subscription) -> bool:
    """Whether a renewal could be charged: the subscription's default, or its
    customer's (billcli's customers have no legacy sources)."""
    if sub.default_payment_method is not None:
        return True
    customer = tx.customers.get(sub.customer)
    return customer is not None and customer.default_payment_method is not None


def trial_end_stops(tx: Tx, sub: Subscription) -> Subscription | None:
    """What a trial ending without a payment method does instead of renewing: the
    subscription canceled or paused (None: it renews, invoiced as usual)."""
    if (
        sub.status != "trialing"
        or sub.collection_method != "charge_automatically"
        or sub.trial_missing_payment_method == "create_invoice"
        or has_payment_method(tx, sub)
    ):
        return None
    if sub.trial_missing_payment_method == "cancel":
        return end(tx, sub, reason=None, at=sub.current_period_end)
    paused = replace(sub, status="paused")
    save(tx, sub, paused)
    current = find(tx, sub.id)
    record(tx, "customer.subscription.paused", subscription_object(tx, current))
    return current


def resume(
    ledger: Ledger,
    subscription_id: str,
    *,
    billing_cycle_anchor: str | None = None,
    proration_behavior: str | None = None,
    proration_date: int | None = None,
    payment_behavior: str | None = None,
) -> dict[str, Any]:
    anchor = check_choice(
        billing_cycle_anchor or "now", ("now", "unchanged"), "billing_cycle_anchor"
    )
    behavior = check_choice(
        proration_behavior or "create_prorations", PRORATION_BEHAVIORS, "proration_behavior"
    )
    paying = check_choice(
        payment_behavior or "allow_incomplete", UPDATE_PAYMENT_BEHAVIORS, "payment_behavior"
    )
    with ledger.write() as tx:
        sub = find(tx, subscription_id)
        if sub.status != "paused":
            raise InvalidRequest(
                f"Invalid subscription: {sub.id} is {sub.status}; only a paused subscription "
                "can be resumed",
                param="subscription",
            )
        if anchor == "now":
            start, cycle_anchor = tx.now, tx.now
            period_end = next_boundary(tx.now, sub.interval, sub.interval_count, tx.now)
        else:
            cycle_anchor = sub.billing_cycle_anchor
            start, period_end = period_at(cycle_anchor, sub.interval, sub.interval_count, tx.now)
        resumed = replace(
            sub,
            status="active",
            billing_cycle_anchor=cycle_anchor,
            current_period_start=start,
            current_period_end=period_end,
        )
        charged_from = tx.now
        if anchor == "unchanged" and proration_date is not None:
            charged_from = check_date(proration_date, (start, period_end))
        lines = (
            []
            if anchor == "unchanged" and behavior == "none"
            else period_lines(tx, resumed, billed_items(tx, resumed), charged_from, period_end)
        )
        invoice = create_invoice(tx, resumed, "subscription_update", (tx.now, tx.now), lines)
        resumed = replace(resumed, latest_invoice=invoice.id)
        save(tx, sub, resumed)
        record(tx, "customer.subscription.resumed", subscription_object(tx, find(tx, sub.id)))
        charge = resumed.collection_method == "charge_automatically"
        collect_now(
            tx,
            invoice,
            paying,
            charge=charge,
            off_session=bool(resumed.off_session),
            retried=True,
        )
        return subscription_object(tx, find(tx, sub.id))
