"""Usage lines: what a metered subscription item bills, in arrears.

A usage line bills the meter's usage for the customer over a span of a subscription
cycle: from where the item's last usage line in the cycle ended (a threshold invoice,
a price change), or the cycle's start, or the item's creation, to the cycle's end (a
renewal), a cancellation, or a threshold. Its tiers continue from the cycle's earlier
lines at the same price (Stripe "maintains tiers across threshold invoices"): the line
charges what the cycle's usage so far costs, less what those lines charged. For `sum`
and `count` the cycle's usage is the earlier lines' quantity plus this one's; for
`last` it is this line's (a level, not an amount used up).

A draft's usage lines are counted again when it is finalized (Stripe's grace period:
events that arrive meanwhile for the span still count); a finalized line never changes.
"""

from __future__ import annotations

from dataclasses import replace

from billcli.core.catalog import amount_for, line_description, unit_amount_for
from billcli.core.ids import new_id
from billcli.core.records.catalog import Price, Product
from billcli.core.records.invoices import Invoice, InvoiceItem
from billcli.core.records.meters import Meter
from billcli.core.records.subscriptions import SubscriptionItem
from billcli.services.ledger.lookup import catalog
from billcli.services.meters.usage import usage
from billcli.store.ledger import Tx


def meter_of(tx: Tx, price: Price) -> Meter:
    memo = ("meter", str(price.meter))
    if memo not in tx.memo:
        found = tx.meters.get(str(price.meter))
        assert found is not None, price.meter
        tx.memo[memo] = found
    meter: Meter = tx.memo[memo]
    return meter


def _priced(
    tx: Tx,
    price: Price,
    customer: str,
    currency: str,
    span: tuple[int, int],
    earlier: list[InvoiceItem],
) -> tuple[int, int]:
    """(quantity, amount in `currency`: the price's own or one of its currency options)
    of a usage line over `span`, after the `earlier` lines of the cycle (tiers continue
    from those at the same price)."""
    meter = meter_of(tx, price)
    quantity = usage(tx, meter, customer, *span)
    same = [line for line in earlier if line.price == price.id]
    before_quantity = sum(line.quantity for line in same)
    before_amount = sum(line.amount for line in same)
    cycle_usage = quantity if meter.formula == "last" else before_quantity + quantity
    return quantity, amount_for(price, cycle_usage, currency) - before_amount


def usage_line(
    tx: Tx,
    customer: str,
    currency: str,
    item: SubscriptionItem,
    price: Price,
    product: Product,
    cycle: tuple[int, int],
) -> InvoiceItem | None:
    """The item's usage line from where its cycle was last billed to `cycle[1]` (a
    preview's counts the usage received so far), or None when nothing is left to bill."""
    cycle_start, end = cycle
    earlier = tx.invoice_items.usage_of(item.id, cycle_start)
    start = max([cycle_start, item.created, *(line.period_end or 0 for line in earlier)])
    if start >= end:
        return None
    quantity, amount = _priced(tx, price, customer, currency, (start, end), earlier)
    line_id = new_id("subscription_line")
    return InvoiceItem(
        id=line_id,
        customer=customer,
        created=tx.now,
        amount=amount,
        currency=currency,
        quantity=quantity,
        unit_amount=unit_amount_for(price, currency),
        description=line_description(quantity, product.name, price, currency),
        line_id=line_id,
        type="subscription",
        price=price.id,
        subscription=item.subscription,
        subscription_item=item.id,
        period_start=start,
        period_end=end,
        usage_cycle_start=cycle_start,
    )


def refresh(tx: Tx, invoice: Invoice) -> None:
    """Count a draft's usage lines again (at finalization, after the grace period)."""
    lines = [i for i in tx.invoice_items.on_invoice(invoice.id) if i.usage_cycle_start is not None]
    if not lines:
        return
    prices = catalog(tx, "prices", [str(line.price) for line in lines])
    products = catalog(tx, "products", [p.product for p in prices.values()])
    for line in lines:
        assert line.usage_cycle_start is not None and line.period_start is not None
        price = prices[str(line.price)]
        earlier = [
            other
            for other in tx.invoice_items.usage_of(
                str(line.subscription_item), line.usage_cycle_start
            )
            if other.id != line.id and (other.period_end or 0) <= line.period_start
        ]
        span = (line.period_start, int(line.period_end or line.period_start))
        quantity, amount = _priced(tx, price, line.customer, line.currency, span, earlier)
        if (quantity, amount) != (line.quantity, line.amount):
            name = products[price.product].name
            tx.invoice_items.save(
                replace(
                    line,
                    quantity=quantity,
                    amount=amount,
                    description=line_description(quantity, name, price, line.currency),
                )
            )
