"""Which discount applies where, and what it takes off a draft's lines (reads only).

A draft takes its own discount (`invoices create --coupon`), else its subscription's,
else its customer's: the first that covers it (live, started by the invoice's
creation, a repeating one not yet over, in its currency). Finalization freezes what
the draft last took; nothing recomputes a finalized invoice.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from billcli.core import objects
from billcli.errors import NotFound

if TYPE_CHECKING:
    from billcli.core.records import Customer
    from billcli.core.records.discounts import Coupon, Discount
    from billcli.core.records.invoices import Invoice, InvoiceItem
    from billcli.store.ledger import Ledger, Tx


def live(tx: Tx, discount_id: str | None) -> Discount | None:
    """The discount a customer or subscription holds, unless it ended (a repeating
    coupon's months are over on its customer's clock)."""
    if discount_id is None:
        return None
    found = tx.discounts.get(discount_id)
    if found is None or found.ended_at is not None:
        return None
    return found if found.end is None or _now(tx, found) < found.end else None


def discount_object(tx: Tx, d: Discount, *, deleted: bool = False) -> dict[str, Any]:
    # startup: most customers have no discount to show
    from billcli.core import discount_objects

    return discount_objects.discount(d, _coupon(tx, d), _now(tx, d), deleted=deleted)


def _now(tx: Tx, d: Discount) -> int:
    """The discount's time: its customer's clock (a guest's payment has the ledger's)."""
    return tx.now if d.customer is None else tx.now_for(d.customer)


def held(tx: Tx, discount_id: str | None) -> dict[str, Any] | None:
    """The `discount` field of a customer or a subscription."""
    found = live(tx, discount_id)
    return None if found is None else discount_object(tx, found)


def customer_object(tx: Tx, c: Customer) -> dict[str, Any]:
    """The customer with its discount, as every command prints it."""
    return objects.customer(c, discount=None if c.deleted else held(tx, c.discount))


def discount_for(tx: Tx, invoice: Invoice) -> tuple[Discount, Coupon] | None:
    """The discount a draft takes, if any (see the module's rule)."""
    own = tx.discounts.get(invoice.discount) if invoice.discount else None
    if own is not None and own.invoice == invoice.id:
        return own, _coupon(tx, own)
    return held_by(tx, invoice.subscription, invoice.customer, invoice.created, invoice.currency)


def held_by(
    tx: Tx, subscription_id: str | None, customer_id: str, at: int, currency: str
) -> tuple[Discount, Coupon] | None:
    """The subscription's discount, else the customer's, that would apply to an invoice
    made at `at` (what a proration made then is net of)."""
    # startup: most customers have no discount to show
    from billcli.core.discounts import covers

    holders: list[str | None] = []
    if subscription_id is not None:
        sub = tx.subscriptions.get(subscription_id)
        holders.append(sub.discount if sub else None)
    customer = tx.customers.get(customer_id)
    holders.append(customer.discount if customer else None)
    for discount_id in holders:
        found = tx.discounts.get(discount_id) if discount_id else None
        if found is not None:
            coupon = _coupon(tx, found)
            if covers(found, coupon, at, currency):
                return found, coupon
    return None


def _coupon(tx: Tx, d: Discount) -> Coupon:
    coupon = tx.coupons.get(d.coupon)
    assert coupon is not None, d.coupon
    return coupon


def _applies(tx: Tx, coupon: Coupon, line: InvoiceItem) -> bool:
    """Whether a coupon restricted to products (`applies_to`) covers a line: the line's
    price is of one of them (a line of no price is of none)."""
    if coupon.applies_to is None:
        return True
    price = tx.prices.get(line.price) if line.price else None
    return price is not None and price.product in coupon.applies_to


def discounted(
    tx: Tx, invoice: Invoice, lines: list[InvoiceItem]
) -> tuple[Invoice, list[InvoiceItem]]:
    """The draft with its discount and totals, and its lines with what it takes off each:
    `subtotal` is the lines' sum, `total` what remains after the discount."""
    # startup: most customers have no discount to show
    from billcli.core.discounts import line_discounts

    found = discount_for(tx, invoice)
    amounts = [line.net_amount for line in lines]  # item-level discounts come first
    if found is None:
        cuts = [0] * len(lines)
    else:
        eligible = [line.discountable and _applies(tx, found[1], line) for line in lines]
        cuts = line_discounts(amounts, eligible, found[1], invoice.currency)
    priced = [
        line if line.discount_amount == cut else replace(line, discount_amount=cut)
        for line, cut in zip(lines, cuts, strict=True)
    ]
    subtotal = sum(amounts)
    total = subtotal - sum(cuts)
    return replace(
        invoice,
        discount=None if found is None else found[0].id,
        subtotal=subtotal,
        total=total,
        amount_due=max(0, total),
    ), priced


def show(ledger: Ledger, discount_id: str) -> dict[str, Any]:
    """A discount by its id (an invoice's `discounts` expanded), ended or not."""
    with ledger.read() as tx:
        found = tx.discounts.get(discount_id)
        if found is None:
            raise NotFound("discount", discount_id, param="discount")
        return discount_object(tx, found)
