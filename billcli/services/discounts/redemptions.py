"""Applying coupons (or promotion codes of them): to a customer, a subscription or one
invoice; removing them; a `once` coupon used up by the invoice it discounted.

Each application redeems the coupon once (`times_redeemed`); a holder has one discount
at a time, so a new coupon replaces the old discount (`customer.discount.updated`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from billcli.core import objects
from billcli.core.discounts import check_redeemable, discount_end
from billcli.core.ids import new_id
from billcli.core.promotion_codes import PARAM, Redemption, check_redeemable_code
from billcli.core.records.discounts import Discount
from billcli.errors import InvalidRequest, NotFound
from billcli.services.customers.balance import record_customer_update
from billcli.services.discounts import coupons, promotion_codes
from billcli.services.discounts.applicable import customer_object, discount_object, live
from billcli.services.ledger.events import record
from billcli.services.subscriptions.mrr import customer_changed
from billcli.services.subscriptions.records import save, subscription_object

if TYPE_CHECKING:
    from billcli.core.records import Customer
    from billcli.core.records.discounts import Coupon, PromotionCode
    from billcli.core.records.invoices import Invoice, InvoiceItem
    from billcli.core.records.subscriptions import Subscription
    from billcli.store.ledger import Tx

Holder = TypeVar("Holder", "Customer", "Subscription")


@dataclass(frozen=True)
class Offer:
    """What a holder is given: a coupon, or a promotion code of one (by id or as typed)
    with the amount of the purchase its minimum is checked against (None: no purchase,
    as on a customer)."""

    coupon: str | None = None
    promotion_code: str | None = None
    amount: int | None = None


def redeemable_code(
    tx: Tx,
    given: str,
    *,
    customer: str | None,
    currency: str | None,
    amount: int | None,
    param: str = PARAM,
    checkout_session: str | None = None,
) -> tuple[PromotionCode, Coupon]:
    """The one rule for whether a promotion code may be redeemed by this purchase (a
    customer's, a subscription's, a Checkout Session's, offered or redeemed): the code
    `given` (as typed, or promo_…) for this customer (None: a new customer, so no code
    restricted to one), with its restrictions met (`check_redeemable_code`); refused
    naming `param`. A Checkout Session whose buyer is at the bank's challenge holds its
    code (`held`), so that a payment it makes is never refused (`checkout_session`: the
    purchase's own, not counted)."""
    code = promotion_codes.named(tx, given, customer, param=param)
    coupon = coupons.find(tx, code.coupon, live=False)
    paid_before = bool(code.first_time_transaction and customer and tx.invoices.has_paid(customer))
    redemption = Redemption(customer or "", currency, amount, paid_before=paid_before)
    counted = held(tx, "promotion_code", code.id, checkout_session)
    try:
        shown = replace(code, times_redeemed=code.times_redeemed + counted)
        check_redeemable_code(shown, with_holds(tx, coupon, checkout_session), tx.now, redemption)
    except InvalidRequest as refused:
        refused.param = param  # the field the purchase took the code in
        raise
    return code, coupon


def held(tx: Tx, column: str, value: str, checkout_session: str | None) -> int:
    """Redemptions held by Checkout Sessions at the bank's challenge: the buyer was shown
    the discount and may pay for it any moment, so they count against the limits. A
    session past its `expires_at` holds nothing, though no tick has expired it yet: it
    can no longer be paid."""
    return tx.checkout_sessions.challenged(column, value, checkout_session, tx.now)


def with_holds(tx: Tx, coupon: Coupon, checkout_session: str | None) -> Coupon:
    """The coupon as its limits see it: every held redemption counts against it, whether
    the session holds the coupon itself or any promotion code of it."""
    counted = held(tx, "coupon", coupon.id, checkout_session)
    return replace(coupon, times_redeemed=coupon.times_redeemed + counted)


def offered(
    tx: Tx,
    offer: Offer,
    *,
    customer: str | None,
    currency: str | None,
    honoured: bool = False,
    checkout_session: str | None = None,
) -> tuple[PromotionCode | None, Coupon]:
    """The promotion code (if any) and coupon `offer` redeems, its restrictions met.
    `honoured`: a discount the buyer was shown and has already paid for (a Checkout
    Session's PaymentIntent that succeeded), which Stripe honours even if a limit was
    reached meanwhile, so nothing is checked. Sessions at the bank's challenge hold their
    redemption (`held`), so honouring one stays within the limits."""
    if offer.promotion_code is not None:
        if honoured:
            promotion = promotion_codes.find(tx, offer.promotion_code, param=PARAM)
            return promotion, coupons.find(tx, promotion.coupon, live=False)
        return redeemable_code(
            tx,
            offer.promotion_code,
            customer=customer,
            currency=currency,
            amount=offer.amount,
            checkout_session=checkout_session,
        )
    coupon = coupons.find(tx, str(offer.coupon), live=not honoured)
    if not honoured:
        check_redeemable(with_holds(tx, coupon, checkout_session), tx.now, currency=currency)
    return None, coupon


def redeem(
    tx: Tx,
    offer: Offer,
    *,
    customer: str | None,
    currency: str | None,
    subscription: str | None = None,
    invoice: str | None = None,
    invoice_item: str | None = None,
    checkout_session: str | None = None,
    honoured: bool = False,
) -> Discount:
    """A new discount of the coupon (or of the promotion code's coupon), by `offered`;
    each counts one more redemption."""
    promotion, coupon = offered(tx, offer, customer=customer, currency=currency, honoured=honoured)
    if promotion is not None:
        tx.promotion_codes.save(replace(promotion, times_redeemed=promotion.times_redeemed + 1))
    tx.coupons.save(replace(coupon, times_redeemed=coupon.times_redeemed + 1))
    discount = Discount(
        id=new_id("discount"),
        coupon=coupon.id,
        start=tx.now,
        customer=customer,
        subscription=subscription,
        invoice=invoice,
        end=discount_end(coupon, tx.now),
        invoice_item=invoice_item,
        promotion_code=None if promotion is None else promotion.id,
        checkout_session=checkout_session,
    )
    tx.discounts.add(discount)
    return discount


def on_item(tx: Tx, item: InvoiceItem, coupon_ids: Sequence[str]) -> InvoiceItem:
    """An item with discounts of its own (`discounts[n][coupon]` on an invoice item): each
    coupon redeemed once for it, replacing the ones it had."""
    for own in item.item_discounts:
        old = tx.discounts.get(own["discount"])
        if old is not None and old.ended_at is None:
            tx.discounts.save(replace(old, ended_at=tx.now))
    made = [
        {
            "discount": redeem(
                tx,
                Offer(coupon=coupon_id),
                customer=item.customer,
                currency=item.currency,
                invoice_item=item.id,
            ).id,
            "amount": 0,
        }
        for coupon_id in coupon_ids
    ]
    return priced_item(tx, replace(item, item_discounts=made))


def priced_item(tx: Tx, item: InvoiceItem) -> InvoiceItem:
    """An item with what each of its own discounts takes off its amount, in order, never
    more than what is left of it."""
    # startup: most items have no discount of their own
    from billcli.core.discounts import line_discounts

    left, cuts = max(item.amount, 0), []
    for own in item.item_discounts:
        discount = tx.discounts.get(own["discount"])
        coupon = tx.coupons.get(discount.coupon) if discount else None
        cut = 0 if coupon is None else line_discounts([left], [True], coupon, item.currency)[0]
        cuts.append({"discount": own["discount"], "amount": cut})
        left -= cut
    return replace(item, item_discounts=cuts, item_discount_amount=sum(c["amount"] for c in cuts))


def _changed(tx: Tx, old: Discount | None, new: Discount) -> None:
    """End the discount a holder had, and record what became of it."""
    shown = discount_object(tx, new)
    if old is None:
        record(tx, "customer.discount.created", shown)
        return
    tx.discounts.save(replace(old, ended_at=tx.now))
    before = discount_object(tx, old)
    record(
        tx, "customer.discount.updated", shown, previous=objects.changed_attributes(before, shown)
    )


def _removed(tx: Tx, old: Discount) -> None:
    tx.discounts.save(replace(old, ended_at=tx.now))
    record(tx, "customer.discount.deleted", discount_object(tx, old, deleted=True))


def no_discount(holder: str) -> NotFound:
    return NotFound(
        "discount",
        holder,
        param="discount",
        message=f"No active discount for {holder}",
    )


def set_on_customer(tx: Tx, customer: Customer, offer: Offer) -> Customer:
    """The customer holding a new discount of the coupon (in its currency, if it has one)."""
    old = live(tx, customer.discount)
    new = redeem(tx, offer, customer=customer.id, currency=customer.currency)
    _changed(tx, old, new)
    return replace(customer, discount=new.id)


def set_on_subscription(tx: Tx, sub: Subscription, offer: Offer) -> Subscription:
    old = live(tx, sub.discount)
    new = redeem(tx, offer, customer=sub.customer, currency=sub.currency, subscription=sub.id)
    _changed(tx, old, new)
    return replace(sub, discount=new.id)


def removed(tx: Tx, holder: Holder) -> Holder:
    """The customer or subscription without its discount (`customer.discount.deleted`)."""
    old = live(tx, holder.discount)
    if old is None:
        raise no_discount(holder.id)
    _removed(tx, old)
    return replace(holder, discount=None)


def set_on_invoice(tx: Tx, invoice: Invoice, offer: Offer) -> Invoice:
    """A draft with a discount of its own, which overrides any other."""
    new = redeem(
        tx, offer, customer=invoice.customer, currency=invoice.currency, invoice=invoice.id
    )
    return replace(invoice, discount=new.id)


def used(tx: Tx, invoice: Invoice) -> None:
    """After finalization: a `once` discount of a customer or a subscription is used up."""
    if invoice.discount is None:
        return
    discount = tx.discounts.get(invoice.discount)
    if discount is None or discount.invoice is not None or discount.ended_at is not None:
        return
    coupon = tx.coupons.get(discount.coupon)
    if coupon is None or coupon.duration != "once":
        return
    if discount.subscription is not None:
        sub = tx.subscriptions.get(discount.subscription)
        assert sub is not None, discount.subscription
        shown = subscription_object(tx, sub)
        _removed(tx, discount)
        if sub.discount == discount.id:
            save(tx, sub, replace(sub, discount=None), shown_before=shown)
        return
    customer = tx.customers.get(str(discount.customer))
    assert customer is not None, discount.customer
    shown_before = customer_object(tx, customer)
    _removed(tx, discount)
    if customer.discount == discount.id:
        after = replace(customer, discount=None)
        tx.customers.save(after)
        record_customer_update(tx, customer, after, shown_before=shown_before)
        customer_changed(tx, customer.id)
