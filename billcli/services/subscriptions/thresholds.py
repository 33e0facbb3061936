"""Billing thresholds: a subscription whose accrued usage reaches `amount_gte` is
invoiced at once (`billing_reason: subscription_threshold`), without waiting for its
period to end.

Facts C.6 (Stripe's thresholds page and its older one): the amount compared is what the
subscription would invoice now (the usage of the cycle not billed yet, and its pending
prorations), after discounts and before tax; thresholds are not evaluated for trials,
nor in the 24 hours before a period ends; `amount_gte` is at least the currency's
minimum charge and more than the licensed items cost a period. The billing cycle
anchor stays where it is (billcli does not take `reset_billing_cycle_anchor`). The
threshold is looked at when usage is recorded for the customer, and when it is set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from billcli.core.catalog import amount_for
from billcli.core.invoicing import DAY_S
from billcli.core.money import format_amount, minimum_charge
from billcli.core.records.invoices import Invoice
from billcli.core.records.subscriptions import Subscription
from billcli.errors import InvalidRequest
from billcli.services.discounts.applicable import discounted
from billcli.services.subscriptions.billing import (
    create_invoice,
    draft,
    licensed,
    usage_lines,
    usage_so_far,
)
from billcli.services.subscriptions.items import Billed, billed_items
from billcli.services.subscriptions.records import save
from billcli.store.ledger import Tx

QUIET_S = DAY_S  # not evaluated in the last day of a period


def check_threshold(amount: int, currency: str, billed: list[Billed]) -> int:
    """`billing_thresholds[amount_gte]` a subscription may take."""
    param = "billing_thresholds[amount_gte]"
    least = minimum_charge(currency)
    if amount < least:
        raise InvalidRequest(
            f"Invalid {param}: it must be at least {format_amount(least, currency)}",
            param=param,
        )
    licensed_cost = sum(amount_for(b.price, b.item.quantity, currency) for b in licensed(billed))
    if amount <= licensed_cost:
        raise InvalidRequest(
            f"Invalid {param}: it must be more than the licensed items cost a period "
            f"({format_amount(licensed_cost, currency)})",
            param=param,
        )
    return amount


def usage_recorded(tx: Tx, customers: Iterable[str]) -> None:
    """Usage was recorded for `customers`: invoice each of their subscriptions whose
    accrued amount has reached its threshold, on its customer's clock (a batch of
    events may touch customers of several: `Tx.on_clock` gives each clock its part)."""
    watched = tx.subscriptions.with_threshold()
    if not watched:
        return
    touched = set(customers)
    for sub in watched:
        if sub.customer in touched:
            evaluate(tx.on_clock(tx.clock_of(sub.customer)), sub)


def evaluate(tx: Tx, sub: Subscription) -> Invoice | None:
    """The threshold invoice, if the subscription's accrued amount reaches its threshold
    now; None otherwise."""
    if (
        sub.threshold_amount is None
        or sub.status not in ("active", "past_due")
        or tx.now >= sub.current_period_end - QUIET_S
    ):
        return None
    billed = billed_items(tx, sub)
    cycle = (sub.current_period_start, usage_so_far(tx))
    lines = usage_lines(tx, sub, billed, cycle)
    pending = tx.invoice_items.pending_of(sub.id)
    accrued, _ = discounted(tx, draft(tx, sub, "subscription_threshold", cycle), pending + lines)
    if accrued.total < sub.threshold_amount:
        return None
    invoice = create_invoice(
        tx, sub, "subscription_threshold", cycle, lines, threshold_amount=sub.threshold_amount
    )
    current = tx.subscriptions.get(sub.id) or sub
    save(tx, current, replace(current, latest_invoice=invoice.id))
    return invoice
