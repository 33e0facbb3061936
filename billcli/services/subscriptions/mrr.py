"""Each subscription's monthly recurring revenue as it changes, for `reports mrr`.

A row is written whenever what a subscription would bring in a month changes: its
items, quantities and prices, its status (trials, pauses of collection, the end), its
discount or its customer's. The row holds the MRR before any discount and the
discount's terms with its end, so the MRR at any instant follows from the rows alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from billcli.core.catalog import amount_for
from billcli.core.discounts import line_discounts
from billcli.core.reports import monthly
from billcli.services.discounts.applicable import live
from billcli.services.subscriptions.items import billed_items

if TYPE_CHECKING:
    from billcli.core.records.subscriptions import Subscription
    from billcli.store.ledger import Tx

BILLING = ("active", "past_due")
State = tuple[int, int | None, int | None, int | None]


def state(tx: Tx, sub: Subscription) -> State:
    """(MRR before discount, percent off ×100, amount off a month, discount's end)."""

    if sub.status not in BILLING or sub.pause_collection:
        return 0, None, None, None
    monthlies = [
        (
            b.product.id,
            monthly(
                amount_for(b.price, b.item.quantity, sub.currency),
                str(b.price.interval),
                b.price.interval_count,
            ),
        )
        for b in billed_items(tx, sub)
    ]
    mrr = sum(amount for _, amount in monthlies)
    customer = tx.customers.get(sub.customer)
    discount = live(tx, sub.discount) or live(tx, customer.discount if customer else None)
    coupon = tx.coupons.get(discount.coupon) if discount else None
    if discount is None or coupon is None or coupon.duration == "once":
        return mrr, None, None, None
    if coupon.applies_to is not None:  # restricted to products: an amount off their part
        covered = sum(amount for product, amount in monthlies if product in coupon.applies_to)
        cut = line_discounts([covered], [True], coupon, sub.currency)[0] if covered else 0
        return mrr, None, cut, discount.end
    if coupon.percent_off is not None:
        return mrr, round(coupon.percent_off * 100), None, discount.end
    off = monthly(coupon.amount_off_in(sub.currency) or 0, sub.interval, sub.interval_count)
    return mrr, None, off, discount.end


def record(tx: Tx, sub: Subscription) -> None:
    """Write the subscription's MRR row if it differs from its latest."""
    now = state(tx, sub)
    if tx.subscription_mrr.latest(sub.id) != now:
        tx.subscription_mrr.add(sub.id, sub.customer, sub.currency, tx.now, now)


def customer_changed(tx: Tx, customer_id: str) -> None:
    """The customer's discount changed: so may each of its subscriptions' MRR."""
    for sub in tx.subscriptions.of_customer(customer_id):
        record(tx, sub)
