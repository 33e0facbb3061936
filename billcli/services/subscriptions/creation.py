"""Subscriptions: created with their first invoice, listed, shown.

Facts §2.3 and billcli-decisions ("Subscriptions"). A `charge_automatically`
subscription finalizes its first invoice (`subscription_create`) and charges it in the
same command as `payment_behavior` says; a `send_invoice` one is active at once and its
first invoice finalizes an hour later like any other; a trial's first invoice is $0 and
paid at once. Changes and cancellation are in `subscription_changes`; what the clock
does, in `subscription_clock`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from billcli.core import limits
from billcli.core.dates import moment
from billcli.core.discounts import check_one_offer
from billcli.core.ids import new_id
from billcli.core.intents import REQUIRES_ACTION_REFUSED
from billcli.core.invoicing import check_choice, due_terms
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import parse_amount
from billcli.core.pagination import Page, PageRequest, Range
from billcli.core.periods import boundary, next_boundary, period_at
from billcli.core.records.invoices import Invoice
from billcli.core.records.subscriptions import Subscription
from billcli.core.subscriptions import (
    ENDED,
    LIST_STATUSES,
    MAX_ITEMS,
    PAYMENT_BEHAVIORS,
    STATUSES,
    TRIAL_WILL_END_S,
    check_quantity,
    check_trial,
)
from billcli.core.tax import item_rates
from billcli.errors import CardDeclined, InvalidRequest
from billcli.services.customers.balance import adopt_currency
from billcli.services.discounts import redemptions as discounts
from billcli.services.invoicing.lifecycle import finalize_in
from billcli.services.invoicing.payment import WAITING, attempt_in, payment_method_for
from billcli.services.ledger.events import record
from billcli.services.ledger.idempotency import once
from billcli.services.ledger.lookup import live_clock, live_customer
from billcli.services.payments.methods import customer_method
from billcli.services.subscriptions import item_specs
from billcli.services.subscriptions import mrr as subscription_mrr
from billcli.services.subscriptions.billing import create_invoice, period_lines
from billcli.services.subscriptions.item_specs import ItemSpec
from billcli.services.subscriptions.items import Billed, items_changed, period_amount
from billcli.services.subscriptions.records import creating, find, scheduled, subscription_object
from billcli.services.subscriptions.settings import SubscriptionSettings
from billcli.services.subscriptions.thresholds import check_threshold
from billcli.services.taxes.rates import given_rates
from billcli.store.ledger import Ledger, Tx, clock_name

KIND = "subscription"
THRESHOLD_PARAM = "billing_thresholds[amount_gte]"
PRORATION_BEHAVIORS = ("create_prorations", "always_invoice", "none")


def parse_item(spec: str, param: str) -> tuple[str, int | None]:
    """`PRICE` or `PRICE:QUANTITY` (None: no quantity given)."""
    price, colon, quantity = spec.partition(":")
    if not price:
        raise InvalidRequest(f"Invalid {param}: '{spec}' (PRICE or PRICE:QUANTITY)", param=param)
    return price, quantity_of(quantity, f"{param}[quantity]") if colon else None


def quantity_of(text: str, param: str) -> int:
    """A quantity typed after `:`: a whole number, zero or more."""
    digits = text[1:] if text.startswith("-") else text
    if not (digits.isascii() and digits.isdigit()):
        raise InvalidRequest(f"Invalid {param}: '{text}' is not a whole number", param=param)
    return check_quantity(int(text), param=param)


@dataclass(frozen=True)
class SubscriptionInput:
    """`subscriptions create` as typed; instants already read as unix seconds."""

    customer: str | None = None
    prices: tuple[str, ...] = ()
    trial_days: int | None = None
    trial_end: int | None = None
    collection_method: str | None = None
    days_until_due: int | None = None
    payment_behavior: str | None = None
    billing_cycle_anchor: int | None = None
    backdate_start_date: int | None = None
    proration_behavior: str | None = None
    default_payment_method: str | None = None
    cancel_at_period_end: bool = False
    cancel_at: int | None = None
    description: str | None = None
    metadata: tuple[str, ...] = ()
    coupon: str | None = None
    promotion_code: str | None = None
    # The purchase a promotion code's minimum is held to, when not one period of the
    # items (a Checkout Session's: its lines, one-time ones included, as it showed them).
    purchase: int | None = None
    # The API's items (price or price_data, quantity, metadata), beside the CLI's --price.
    items: tuple[ItemSpec, ...] = ()
    currency: str | None = None  # one the prices all have an amount in
    trial_from_plan: bool = False
    settings: SubscriptionSettings = field(default_factory=SubscriptionSettings)
    billing_threshold: str | None = None  # billing_thresholds[amount_gte], as typed
    # A schedule's subscription: active at once, its first invoice a draft the clock
    # finalizes and charges as it does a renewal's (docs/design.md, Subscription schedules).
    collected_later: bool = False
    # Prices the purchase was set up with and checked for then (a Checkout Session's
    # lines, its inline prices among them, which are inactive as Stripe makes them).
    set_up_with: frozenset[str] = frozenset()

    def specs(self) -> list[ItemSpec]:
        """Every item asked for, the CLI's `PRICE[:QUANTITY]` ones first."""
        made = []
        for n, spec in enumerate(self.prices):
            price, quantity = parse_item(spec, f"items[{n}]")
            own = price in self.set_up_with
            made.append(ItemSpec(price, quantity, param=f"items[{n}]", set_up=own))
        return made + list(self.items)

    def params(self) -> dict[str, Any]:
        """The request's parameters, as its idempotency fingerprint sees them."""
        return {
            **vars(self),
            "items": [repr(spec) for spec in self.items],
            "settings": repr(self.settings),
        }

    default_tax_rates: tuple[str, ...] = ()
    item_tax_rates: tuple[str, ...] = ()  # ITEM=TXR, ITEM a price of `prices`

    def checked(self) -> SubscriptionInput:
        """Every check that needs no ledger, done before the transaction opens."""
        if self.customer is None:
            raise InvalidRequest.missing("customer")
        specs = self.specs()
        if not specs:
            raise InvalidRequest.missing("items")
        if len(specs) > MAX_ITEMS:
            raise InvalidRequest(f"Invalid items: at most {MAX_ITEMS} items", param="items")
        seen: set[str] = set()
        for n, spec in enumerate(specs):
            spec.checked()
            if spec.price is not None and spec.price in seen:
                raise InvalidRequest(
                    f"Invalid items[{n}][price]: {spec.price} is given twice; one item per "
                    "price, with a quantity",
                    param=f"items[{n}][price]",
                )
            seen.add(spec.price or "")
        if self.trial_from_plan and (self.trial_days is not None or self.trial_end is not None):
            raise InvalidRequest(
                "Invalid trial_from_plan: not with trial_end or trial_period_days",
                param="trial_from_plan",
            )
        self.settings.checked()
        check_choice(self.payment_behavior or "allow_incomplete", PAYMENT_BEHAVIORS,
                     "payment_behavior")  # fmt: skip
        check_choice(self.proration_behavior or "create_prorations", PRORATION_BEHAVIORS,
                     "proration_behavior")  # fmt: skip
        limits.text(KIND, "description", self.description)
        check_one_offer(self.coupon, self.promotion_code)
        parse_pairs(self.metadata)
        item_rates(self.item_tax_rates)
        return self


def create(
    ledger: Ledger, data: SubscriptionInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    data.checked()
    with ledger.write() as tx:
        return once(
            tx,
            "subscriptions.create",
            idempotency_key,
            data.params(),
            lambda: create_in(tx, data),
        )


def rated(tx: Tx, billed: list[Billed], specs: tuple[str, ...]) -> list[Billed]:
    """The items with the tax rates `ITEM=TXR` gives them, ITEM naming an item by its id
    or by its price; an item not named keeps its rates."""
    wanted = item_rates(specs)
    out = []
    for n, b in enumerate(billed):
        named = [k for k in (b.item.id, b.price.id) if k in wanted]
        if named:
            ids = wanted.pop(named[0])
            rates = given_rates(tx, ids or [""], b.item.tax_rates, f"items[{n}][tax_rates]")
            b = replace(b, item=replace(b.item, tax_rates=rates))
        out.append(b)
    if wanted:
        raise InvalidRequest(
            f"Invalid item_tax_rates: {next(iter(wanted))} names none of the subscription's "
            "items (give a price of --price, or an item id)",
            param="item_tax_rates",
        )
    return out


def subscription_payment_method(tx: Tx, customer_id: str, given: str | None) -> str | None:
    """`--default-payment-method`: one of the customer's `pm_` ids, or a test card to
    attach to them (not as their own default)."""
    if given is None:
        return None
    return customer_method(tx, customer_id, given, param="default_payment_method").id


def _periods(
    data: SubscriptionInput, sub_interval: tuple[str, int], now: int, trial_end: int | None
) -> dict[str, int]:
    """start_date, the anchor and the first period, checked against each other."""
    interval, count = sub_interval
    start = now
    if data.backdate_start_date is not None:
        if data.backdate_start_date >= now:
            raise InvalidRequest(
                "Invalid backdate_start_date: it must be in the past", param="backdate_start_date"
            )
        if trial_end is not None:
            raise InvalidRequest(
                "Invalid backdate_start_date: not with a trial", param="backdate_start_date"
            )
        start = data.backdate_start_date
    base = trial_end if trial_end is not None else start
    anchor = base
    if data.billing_cycle_anchor is not None:
        anchor = data.billing_cycle_anchor
        natural = boundary(base, interval, count, 1)
        if anchor < base or anchor <= now:
            raise InvalidRequest(
                "Invalid billing_cycle_anchor: it must be in the future"
                + (" and after the trial" if trial_end is not None else ""),
                param="billing_cycle_anchor",
            )
        if anchor > natural:
            raise InvalidRequest(
                f"Invalid billing_cycle_anchor: it cannot be later than the next natural "
                f"billing date ({moment(natural)}) for this price",
                param="billing_cycle_anchor",
            )
    if trial_end is not None:
        return {"start_date": start, "anchor": anchor, "period_start": now, "period_end": trial_end}
    end = next_boundary(anchor, interval, count, now)
    current = max(start, period_at(anchor, interval, count, now)[0])
    return {"start_date": start, "anchor": anchor, "period_start": current, "period_end": end}


def create_in(tx: Tx, data: SubscriptionInput) -> dict[str, Any]:
    customer = live_customer(tx, str(data.customer))
    sub_id = new_id("subscription")
    wanted, billed = item_specs.first_items(
        tx, data.specs(), sub_id, data.currency, customer.currency
    )
    billed = rated(tx, billed, data.item_tax_rates)
    price = billed[0].price
    customer, currency = adopt_currency(tx, customer, wanted)
    method = data.collection_method or "charge_automatically"
    days, _ = due_terms(method, data.days_until_due, None, tx.now)
    trial_days = price.trial_period_days if data.trial_from_plan else data.trial_days
    trial_end = check_trial(trial_days, data.trial_end, tx.now)
    if data.cancel_at is not None and data.cancel_at <= tx.now:
        raise InvalidRequest("Invalid cancel_at: it must be in the future", param="cancel_at")
    anchor = data.settings.anchor(tx.now if trial_end is None else trial_end, str(price.interval))
    if anchor is not None:
        data = replace(data, billing_cycle_anchor=anchor)
    periods = _periods(data, (str(price.interval), price.interval_count), tx.now, trial_end)
    charged = method == "charge_automatically" and trial_end is None and not data.collected_later
    sub = Subscription(
        id=sub_id,
        customer=customer.id,
        created=tx.now,
        currency=currency,
        interval=str(price.interval),
        interval_count=price.interval_count,
        status="trialing" if trial_end is not None else "incomplete" if charged else "active",
        start_date=periods["start_date"],
        billing_cycle_anchor=periods["anchor"],
        current_period_start=periods["period_start"],
        current_period_end=periods["period_end"],
        collection_method=method,
        days_until_due=days,
        trial_start=tx.now if trial_end is not None else None,
        trial_end=trial_end,
        cancel_at=data.cancel_at,
        cancel_at_period_end=data.cancel_at_period_end,
        canceled_at=tx.now if data.cancel_at_period_end or data.cancel_at else None,
        default_payment_method=subscription_payment_method(
            tx, customer.id, data.default_payment_method
        ),
        description=data.description or None,
        metadata=merged({}, parse_pairs(data.metadata)),
        **data.settings.fields(tx.now),
        default_tax_rates=given_rates(tx, data.default_tax_rates, [], "default_tax_rates"),
    )
    if data.billing_threshold:
        amount = parse_amount(data.billing_threshold, currency, param=THRESHOLD_PARAM)
        sub = replace(sub, threshold_amount=check_threshold(amount, currency, billed))
    creating(tx, sub.id)
    tx.subscriptions.add(sub)
    if data.coupon is not None or data.promotion_code is not None:
        amount = period_amount(billed, currency) if data.purchase is None else data.purchase
        offer = discounts.Offer(data.coupon, data.promotion_code, amount)
        sub = discounts.set_on_subscription(tx, sub, offer)
        tx.subscriptions.save(sub)
    tx.subscription_items.add_many([b.item for b in billed])
    items_changed(tx, sub.id)
    data.settings.add_items(tx, sub)
    lines = period_lines(
        tx,
        sub,
        billed,
        periods["start_date"] if trial_end is None else tx.now,
        sub.current_period_end,
        trial=trial_end is not None,
        prorate_partial=data.proration_behavior != "none",
    )
    invoice = create_invoice(tx, sub, "subscription_create", (tx.now, tx.now), lines)
    sub = replace(sub, latest_invoice=invoice.id)
    tx.subscriptions.save(sub)
    if charged or trial_end is not None:
        collect_now(
            tx,
            invoice,
            data.payment_behavior or "allow_incomplete",
            charge=charged,
            off_session=bool(sub.off_session),
        )
    final = find(tx, sub.id)
    # A trial shorter than three days hears of its end at once (facts §2.6).
    notice = trial_end is not None and trial_end - TRIAL_WILL_END_S <= tx.now
    final = scheduled(tx, replace(final, trial_will_end_sent=notice))
    tx.subscriptions.save(final)
    subscription_mrr.record(tx, final)
    shown = subscription_object(tx, final)
    record(tx, "customer.subscription.created", shown)
    if notice:
        record(tx, "customer.subscription.trial_will_end", shown)
    tx.memo.pop(("creating", sub.id))
    return shown


def collect_now(
    tx: Tx,
    invoice: Invoice,
    behavior: str,
    *,
    charge: bool = True,
    off_session: bool = False,
    retried: bool = False,
) -> None:
    """Finalize a subscription's invoice now and (`charge`) charge it as
    `payment_behavior` says: the first invoice, or one a change or a resume makes at
    once. Its hooks move the subscription: paid, active; declined, incomplete or
    past_due. A first invoice declined waits for the customer (an `incomplete`
    subscription is never retried); one that leaves the subscription `past_due`
    (`retried`) is retried on the published schedule from this attempt, as a renewal's
    is."""
    invoice = finalize_in(tx, invoice)
    if invoice.status != "open" or not charge:
        return
    method = None if behavior == "default_incomplete" else payment_method_for(tx, invoice)
    if not (retried and method is not None):
        invoice = replace(invoice, next_payment_attempt=None)  # charged here, not by the clock
        tx.invoices.save(invoice)
    if behavior == "default_incomplete":
        return
    if method is None:
        if behavior == "error_if_incomplete":
            raise InvalidRequest(
                f"{invoice.customer} has no default payment method to pay the first invoice; "
                "attach one or pass --default-payment-method",
                param="default_payment_method",
            )
        return
    _, declined = attempt_in(tx, invoice, method, automatic=False, off_session=off_session)
    if declined is not None and behavior == "error_if_incomplete":
        raise unrecorded(declined)


def unrecorded(declined: CardDeclined) -> CardDeclined:
    """`error_if_incomplete` writes nothing, so its refusal names no charge, intent or
    authentication page: the attempt that made them is rolled back."""
    waiting = declined.code == WAITING
    return CardDeclined(
        REQUIRES_ACTION_REFUSED if waiting else declined.message,
        code=declined.code or "card_declined",
        decline_code=declined.decline_code,
        param=declined.param,
        doc_url=declined.doc_url,
    )


def show(ledger: Ledger, subscription_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return subscription_object(tx, find(tx, subscription_id, param="id"))


def list_subscriptions(
    ledger: Ledger,
    request: PageRequest,
    *,
    customer: str | None = None,
    status: str | None = None,
    price: str | None = None,
    collection_method: str | None = None,
    period_start: Range | None = None,
    period_end: Range | None = None,
    automatic_tax: bool | None = None,
    test_clock: str | None = None,
) -> Page:
    """Newest first; without `status` every one not canceled, as Stripe's list. As in
    Stripe, those of test clocks only with their `customer` or `test_clock`. No billcli
    subscription has automatic tax: `automatic_tax[enabled]=true` finds none."""
    if automatic_tax:
        return Page("/v1/subscriptions", [], False)
    chosen = check_choice(status, LIST_STATUSES, "status") if status else None
    statuses: tuple[str, ...] = (
        tuple(s for s in STATUSES if s != "canceled")
        if chosen is None
        else STATUSES
        if chosen == "all"
        else ENDED
        if chosen == "ended"
        else (chosen,)
    )
    with ledger.read() as tx:
        if test_clock is not None:
            live_clock(tx, test_clock)
        if customer is None:
            tx.enter(test_clock, what=clock_name(test_clock))
        subs, has_more = tx.subscriptions.page(
            request,
            customer=customer,
            statuses=statuses,
            price=price,
            collection_method=collection_method,
            ranges={"current_period_start": period_start, "current_period_end": period_end},
            test_clock=test_clock,
        )
        return Page("/v1/subscriptions", [subscription_object(tx, s) for s in subs], has_more)
