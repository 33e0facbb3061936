"""What a Checkout Session costs, from what it stores: its lines' prices, its coupon (or
the promotion code it came from) and each line's tax rates. Created sessions and the
page's promotion-code field reprice through here, and the line items shown are its.

A line's rates are its own `tax_rates`, else the session's `subscription_data
[default_tax_rates]`, as on the subscription's invoices (`services/taxes/applied.py`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core import catalog_objects, checkout_objects
from billcli.core import checkout as rules
from billcli.core.periods import next_boundary
from billcli.core.records.checkout import CheckoutSession
from billcli.core.records.discounts import Coupon, PromotionCode
from billcli.core.tax import kept
from billcli.services.catalog import prices
from billcli.services.discounts import coupons
from billcli.services.discounts.applicable import held_by
from billcli.services.discounts.redemptions import redeemable_code
from billcli.services.taxes.rates import arithmetic, rate_objects
from billcli.store.ledger import Tx


def line_rates(session: CheckoutSession) -> list[list[str]]:
    """Each line's tax rates: its own, else the session's defaults."""
    defaults = list((session.subscription_data or {}).get("default_tax_rates") or [])
    return [list(item.get("tax_rates") or defaults) for item in session.line_items]


def coupon_of(tx: Tx, session: CheckoutSession) -> Coupon | None:
    """The coupon the session's money is net of: its own (given, or typed on its page);
    else, in `subscription` mode, the discount its customer already holds, which the
    subscription's first invoice takes as every invoice of that customer does (a
    subscription's own discount overrides the customer's). A one-time payment is a
    PaymentIntent, which a customer's coupon never discounts (docs/design.md)."""
    if session.coupon is not None:
        return coupons.find(tx, session.coupon, live=False)
    if session.mode != "subscription" or session.customer is None or session.currency is None:
        return None
    held = held_by(tx, None, session.customer, tx.now_for(session.customer), session.currency)
    return None if held is None else held[1]


def _now(tx: Tx, session: CheckoutSession) -> int:
    """Now on the session's customer's clock: the subscription starts then."""
    return tx.now if session.customer is None else tx.now_for(session.customer)


def first_period(tx: Tx, session: CheckoutSession) -> rules.FirstPeriod | None:
    """The stub a subscription session's billing cycle anchor makes, as of now (on its
    customer's clock): the subscription starts when the session completes. None once
    the anchor has passed: Checkout then charges the full period starting with it."""
    data = session.subscription_data or {}
    anchor = data.get("billing_cycle_anchor")
    if session.mode != "subscription" or anchor is None or data.get("trial_end"):
        return None
    now = _now(tx, session)
    if now >= int(anchor):
        return None
    return rules.FirstPeriod(int(anchor), now, data.get("proration_behavior") != "none")


def anchored(tx: Tx, session: CheckoutSession, price_id: str) -> tuple[int | None, int | None]:
    """The subscription's `billing_cycle_anchor` and `backdate_start_date`: the
    session's anchor while it is ahead; once it has passed (the buyer paid late), the
    full period starting with it, as Stripe's Checkout charges it: the subscription
    starts at the old anchor and its cycle turns at the next boundary, so what the page
    showed (`first_period`: no stub) is what the first invoice charges."""
    data = session.subscription_data or {}
    anchor = data.get("billing_cycle_anchor")
    now = _now(tx, session)
    if anchor is None or data.get("trial_end") or now < int(anchor):
        return anchor, None
    price = prices.find(tx, price_id)
    turn = next_boundary(int(anchor), str(price.interval), price.interval_count, int(anchor))
    return turn, (int(anchor) if int(anchor) < now else None)


def money(tx: Tx, session: CheckoutSession) -> rules.Priced:
    coupon = coupon_of(tx, session)
    wanted = line_rates(session)
    known = {r.id: r for r in arithmetic(tx, sorted({r for ids in wanted for r in ids}))}
    first = first_period(tx, session)
    lines = [
        rules.priced_line(
            prices.find(tx, item["price"]), item["quantity"], coupon, [known[r] for r in ids],
            first, session.currency,
        )
        for item, ids in zip(session.line_items, wanted, strict=True)
    ]  # fmt: skip
    trial = bool((session.subscription_data or {}).get("trial_end"))
    return rules.priced(lines, coupon, currency=session.currency, trial=trial)


def repriced(tx: Tx, session: CheckoutSession) -> CheckoutSession:
    """The session with its amounts computed from its lines, coupon and rates."""
    priced = money(tx, session)
    return replace(
        session,
        amount_subtotal=priced.subtotal,
        amount_discount=priced.discount,
        amount_total=priced.total,
        tax_amounts=kept(priced.tax_amounts),
    )


def line_item_objects(tx: Tx, session: CheckoutSession) -> list[dict[str, Any]]:
    """The session's items with their prices, each with its share of the discount and
    its taxes."""
    priced = money(tx, session)
    wanted = sorted({r for ids in line_rates(session) for r in ids})
    shown_rates = {r["id"]: r for r in rate_objects(tx, wanted)}
    out = []
    for n, item in enumerate(session.line_items):
        price = prices.find(tx, item["price"])
        product = tx.products.get(price.product)
        name = product.name if product is not None else price.product
        line = (priced.subtotals[n], priced.discounts[n], priced.taxes[n])
        out.append(
            checkout_objects.line_item(
                item, catalog_objects.price(price), line, name, shown_rates, session.currency
            )
        )
    return out


def purchase(tx: Tx, session: CheckoutSession) -> int:
    """The purchase a promotion code's minimum is held to: the lines' amount before any
    discount, one-time lines included, on the page and by the subscription it makes."""
    return sum(money(tx, session).subtotals)


def redeemable_here(tx: Tx, session: CheckoutSession, given: str, *, param: str) -> PromotionCode:
    """The promotion code `given` if this session may redeem it, by the rule every
    redemption follows (`redemptions.redeemable_code`), the minimum checked against the
    session's `purchase`. Counted only when the session completes."""
    amount = purchase(tx, session)
    code, _ = redeemable_code(
        tx,
        given,
        customer=session.customer,
        currency=session.currency,
        amount=amount,
        param=param,
        checkout_session=session.id,
    )
    return code
