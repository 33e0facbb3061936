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
from billcli.core.promotion_codes import Redemption, check_redeemable_code
from billcli.core.records.checkout import CheckoutSession
from billcli.core.records.discounts import PromotionCode
from billcli.core.tax import kept
from billcli.errors import InvalidRequest
from billcli.services.catalog import prices
from billcli.services.discounts import coupons, promotion_codes
from billcli.services.taxes.rates import arithmetic, rate_objects
from billcli.store.ledger import Tx


def line_rates(session: CheckoutSession) -> list[list[str]]:
    """Each line's tax rates: its own, else the session's defaults."""
    defaults = list((session.subscription_data or {}).get("default_tax_rates") or [])
    return [list(item.get("tax_rates") or defaults) for item in session.line_items]


def money(tx: Tx, session: CheckoutSession) -> rules.Priced:
    chosen = [prices.find(tx, item["price"]) for item in session.line_items]
    amounts = rules.line_amounts(chosen, [item["quantity"] for item in session.line_items])
    coupon = None if session.coupon is None else coupons.find(tx, session.coupon, live=False)
    wanted = line_rates(session)
    known = {r.id: r for r in arithmetic(tx, sorted({r for ids in wanted for r in ids}))}
    rates = [[known[r] for r in ids] for ids in wanted]
    trial = bool((session.subscription_data or {}).get("trial_end"))
    return rules.priced(amounts, coupon, rates, currency=session.currency, trial=trial)


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
            checkout_objects.line_item(item, catalog_objects.price(price), line, name, shown_rates)
        )
    return out


def offered(tx: Tx, session: CheckoutSession, given: str, *, param: str) -> PromotionCode:
    """The promotion code `given` (as typed, or promo_…) if this session may redeem it:
    active, unexpired, redemptions left, for the session's customer (a new customer has
    none: no code restricted to a customer), no earlier payment where the code is for
    first-time transactions, the lines' amount at least its minimum, its coupon valid
    in the session's currency. Counted only when the subscription takes it."""
    code = promotion_codes.named(tx, given, session.customer, param=param)
    coupon = coupons.find(tx, code.coupon, live=False)
    paid_before = bool(
        code.first_time_transaction and session.customer and tx.invoices.has_paid(session.customer)
    )
    amount = sum(money(tx, session).subtotals)
    redemption = Redemption(session.customer or "", session.currency, amount, paid_before)
    try:
        check_redeemable_code(code, coupon, tx.now, redemption)
    except InvalidRequest as refused:
        raise InvalidRequest(refused.message, param=param) from refused
    return code
