"""A subscription's items with their prices and products: what its lines, its MRR and
its object are made from, read once per transaction."""

from __future__ import annotations

from dataclasses import dataclass

from billcli.core.catalog import amount_for
from billcli.core.records.catalog import Price, Product
from billcli.core.records.subscriptions import Subscription, SubscriptionItem
from billcli.services.ledger.lookup import catalog
from billcli.store.ledger import Tx


@dataclass(frozen=True)
class Billed:
    """A subscription item with its price and product: what a line needs."""

    item: SubscriptionItem
    price: Price
    product: Product


def billed_items(tx: Tx, sub: Subscription) -> list[Billed]:
    """The subscription's items with their prices and products, read once per
    transaction (a tick step renders a subscription several times); whatever writes
    items forgets them (`items_changed`)."""
    memo = ("billed", sub.id)
    if memo not in tx.memo:
        items = tx.subscription_items.of(sub.id)
        prices = catalog(tx, "prices", [i.price for i in items])
        found = catalog(tx, "products", [p.product for p in prices.values()])
        tx.memo[memo] = [Billed(i, prices[i.price], found[prices[i.price].product]) for i in items]
    billed: list[Billed] = tx.memo[memo]
    return billed


def period_amount(billed: list[Billed], currency: str | None = None) -> int:
    """What the items cost for one period, before discounts and tax, in `currency` (None:
    each price's own): what a promotion code's minimum amount is held to. Metered items
    are billed in arrears and count nothing here."""
    return sum(
        amount_for(b.price, b.item.quantity, currency) for b in billed if not b.price.metered
    )


def items_changed(tx: Tx, subscription_id: str) -> None:
    tx.memo.pop(("billed", subscription_id), None)
