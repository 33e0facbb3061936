"""What a change's prorations are worth (facts §3; `core/prorations` has the rule):
credits from what each item was billed for the period, charges net of the discount the
subscription has, and both as the pending invoice items they become."""

from __future__ import annotations

from billcli.core.catalog import amount_for, unit_amount_for
from billcli.core.credit_notes import kept_of_line
from billcli.core.discounts import line_discounts
from billcli.core.ids import new_id
from billcli.core.prorations import Charged, Cycle, Priced, Proration, remaining, unused
from billcli.core.records.invoices import InvoiceItem
from billcli.core.records.subscriptions import Subscription
from billcli.services.discounts.applicable import held_by
from billcli.store.ledger import Tx


def charged(tx: Tx, item_id: str) -> list[Charged]:
    """The lines that billed a subscription item, as credits read them."""
    return [
        Charged(
            net=kept_of_line(amount - invoice_cut - credited, amount_only, invoice_net or 0),
            gross=kept_of_line(
                amount + (cut if amount >= 0 else -cut) - credited_gross,
                amount_only,
                invoice_net or 0,
            ),
            start=start,
            end=end,
            discount=discount,
        )
        for (
            amount, invoice_cut, cut, start, end, discount, credited, credited_gross,
            amount_only, invoice_net,
        ) in tx.invoice_items.charges_of(item_id)
    ]  # fmt: skip


def credits(
    tx: Tx,
    items: list[Priced],
    at: int,
    end: int,
    also: tuple[Proration, ...] = (),
) -> list[Proration]:
    """The unused time of `items` over [at, end): what they were billed for it (and what
    `also`, prorations of the same change not yet written, adds), credited."""
    made = []
    for p in items:
        pending = [
            Charged(o.amount, o.amount + _signed(o), o.start, o.end, o.discount)
            for o in also
            if o.priced.item == p.item
        ]
        made.append(unused(p, charged(tx, p.item) + pending, at, end))
    return made


def _signed(o: Proration) -> int:
    return o.discount_amount if o.amount >= 0 else -o.discount_amount


def charges(
    tx: Tx, sub: Subscription, cycle: Cycle, after: list[Priced], items: list[Priced], at: int,
    end: int,
) -> list[Proration]:  # fmt: skip
    """The remaining time of `items` over [at, end), net of the discount the subscription
    (or else its customer) has now, split over `after` (all its items) as a whole
    period's invoice would be."""
    found = held_by(tx, sub.id, sub.customer, tx.now, sub.currency)
    cuts: dict[str, int] = {}
    if found is not None:
        amounts = [amount_for(p.price, p.quantity, p.currency) for p in after]
        coupon = found[1]
        restricted = coupon.applies_to
        eligible = [restricted is None or p.price.product in restricted for p in after]
        taken = line_discounts(amounts, eligible, coupon, sub.currency)
        cuts = {p.item: cut for p, cut in zip(after, taken, strict=True)}
    discount = None if found is None else found[0].id
    return [remaining(p, cycle, at, end, cut=cuts.get(p.item, 0), discount=discount) for p in items]


def proration_items(tx: Tx, sub: Subscription, lines: list[Proration]) -> list[InvoiceItem]:
    """Prorations as pending invoice items of the subscription (not discountable: their
    amounts are net of the discount already)."""
    return [
        InvoiceItem(
            id=new_id("invoiceitem"),
            customer=sub.customer,
            created=tx.now,
            amount=line.amount,
            currency=sub.currency,
            quantity=line.priced.quantity,
            unit_amount=unit_amount_for(line.priced.price, sub.currency),
            description=line.description,
            price=line.priced.price.id,
            subscription=sub.id,
            subscription_item=line.priced.item,
            proration=True,
            period_start=line.start,
            period_end=line.end,
            proration_discount=line.discount,
            proration_discount_amount=line.discount_amount,
        )
        for line in lines
        if line.amount
    ]
