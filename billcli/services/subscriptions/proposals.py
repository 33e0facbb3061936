"""What a change to a subscription would do, computed without writing anything.

A change is first *proposed* and then applied (`changes`); the upcoming invoice renders
the same proposal without applying it, so a preview and the update made with the same
`--proration-date` agree to the cent. Facts §3.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from billcli.core import limits
from billcli.core.catalog import amount_for
from billcli.core.discounts import check_one_offer
from billcli.core.ids import new_id
from billcli.core.invoicing import COLLECTION_METHODS, check_choice
from billcli.core.metadata import merged, parse_pairs
from billcli.core.prorations import Cycle, Priced, Proration, changed, check_date
from billcli.core.records.catalog import Price, Product
from billcli.core.records.subscriptions import Subscription, SubscriptionItem
from billcli.core.subscriptions import ENDED, RENEWING, check_quantity
from billcli.core.tax import item_rates
from billcli.errors import InvalidRequest, NotFound
from billcli.services.catalog import prices
from billcli.services.subscriptions import item_specs
from billcli.services.subscriptions.creation import (
    PRORATION_BEHAVIORS,
    parse_item,
    quantity_of,
    rated,
)
from billcli.services.subscriptions.item_specs import ItemSpec, in_currency, item_quantity
from billcli.services.subscriptions.items import Billed, billed_items
from billcli.services.subscriptions.prorating import charges, credits
from billcli.services.subscriptions.settings import SubscriptionSettings
from billcli.services.taxes.rates import given_rates
from billcli.store.ledger import Tx

PAUSE_BEHAVIORS = ("keep_as_draft", "mark_uncollectible", "void")


UPDATE_PAYMENT_BEHAVIORS = ("allow_incomplete", "default_incomplete", "error_if_incomplete")


@dataclass(frozen=True)
class ChangeInput:
    """`subscriptions update` as typed; times read as unix seconds (`now`, "" kept)."""

    prices: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    remove_items: tuple[str, ...] = ()
    quantity: int | None = None
    proration_behavior: str | None = None
    proration_date: int | None = None
    billing_cycle_anchor: str | None = None
    cancel_at_period_end: bool | None = None
    cancel_at: int | str | None = None
    trial_end: int | str | None = None
    pause_collection: str | None = None
    resumes_at: int | None = None
    resume_collection: bool = False
    payment_behavior: str | None = None
    default_payment_method: str | None = None
    description: str | None = None
    metadata: tuple[str, ...] = ()
    coupon: str | None = None
    promotion_code: str | None = None
    remove_discount: bool = False
    collection_method: str | None = None
    days_until_due: int | None = None
    cancellation_feedback: str | None = None
    cancellation_comment: str | None = None
    trial_from_plan: bool = False
    # The API's new items with their details, and metadata for items it keeps.
    added: tuple[ItemSpec, ...] = ()
    item_metadata: tuple[tuple[str, tuple[str, ...]], ...] = ()
    settings: SubscriptionSettings = field(default_factory=SubscriptionSettings)
    default_tax_rates: tuple[str, ...] = ()  # ("",): none
    item_tax_rates: tuple[str, ...] = ()  # ITEM=TXR, ITEM an item id or a price
    billing_threshold: str | None = None  # billing_thresholds[amount_gte]; "" removes it

    @property
    def empty(self) -> bool:
        """Nothing asked: a preview shows the next invoice as it stands."""
        return self == ChangeInput()

    @property
    def changes_items(self) -> bool:
        return (
            bool(self.prices or self.items or self.remove_items or self.added)
            or bool(self.item_tax_rates)
            or self.quantity is not None
            or bool(self.item_metadata)
        )

    def given(self) -> set[str]:
        """The names of the options given (differing from their defaults)."""
        unset = ChangeInput()
        return {name for name, value in vars(self).items() if value != getattr(unset, name)}

    def checked(self) -> ChangeInput:
        check_choice(self.proration_behavior or "create_prorations", PRORATION_BEHAVIORS,
                     "proration_behavior")  # fmt: skip
        check_choice(self.payment_behavior or "allow_incomplete", UPDATE_PAYMENT_BEHAVIORS,
                     "payment_behavior")  # fmt: skip
        if self.billing_cycle_anchor not in (None, "now", "unchanged"):
            raise InvalidRequest(
                f"Invalid billing_cycle_anchor: '{self.billing_cycle_anchor}' (now or unchanged)",
                param="billing_cycle_anchor",
            )
        if self.pause_collection is not None:
            check_choice(self.pause_collection, PAUSE_BEHAVIORS, "pause_collection")
            if self.resume_collection:
                raise InvalidRequest(
                    "Invalid resume_collection: not with --pause-collection",
                    param="resume_collection",
                )
        elif self.resumes_at is not None:
            raise InvalidRequest(
                "Invalid resumes_at: it goes with --pause-collection", param="resumes_at"
            )
        if self.proration_date is not None and self.proration_behavior == "none":
            raise InvalidRequest(
                "Invalid proration_date: not with --proration-behavior none",
                param="proration_date",
            )
        if self.quantity is not None:
            check_quantity(self.quantity)
        check_one_offer(self.coupon, self.promotion_code, self.remove_discount)
        if self.collection_method is not None:
            check_choice(self.collection_method, COLLECTION_METHODS, "collection_method")
        if self.cancellation_feedback:
            check_choice(
                self.cancellation_feedback,
                limits.ENUMS["cancellation_feedback"],
                "cancellation_details[feedback]",
            )
        limits.text("subscription", "cancellation_details[comment]", self.cancellation_comment)
        if self.trial_from_plan and self.trial_end is not None:
            raise InvalidRequest(
                "Invalid trial_from_plan: not with trial_end", param="trial_from_plan"
            )
        for spec in self.added:
            spec.checked()
        self.settings.checked()
        limits.text("subscription", "description", self.description)
        parse_pairs(self.metadata)
        item_rates(self.item_tax_rates)
        return self


@dataclass
class Proposal:
    """What a change would do, computed without writing anything."""

    sub: Subscription
    before: list[Billed]
    after: list[Billed]
    at: int
    prorations: list[Proration] = field(default_factory=list)
    reset: bool = False  # a new period starts now, invoiced at once
    invoice_now: bool = False  # always_invoice, or a reset
    # a metered item removed or moved to another price mid-period bills its usage so
    # far (not with proration_behavior none: Stripe's way of removing a metered price
    # unbilled)
    bills_usage: bool = True

    @property
    def metered_left(self) -> list[Billed]:
        """Metered items removed or moved to another price, whose usage so far is billed
        at the old price (with proration_behavior none: billed nowhere)."""
        if not self.bills_usage:
            return []
        after = {b.item.id: b.price.id for b in self.after}
        return [b for b in self.before if b.price.metered and after.get(b.item.id) != b.price.id]

    @property
    def removed(self) -> list[str]:
        kept = {b.item.id for b in self.after}
        return [b.item.id for b in self.before if b.item.id not in kept]


def priced(billed: list[Billed], currency: str | None = None) -> list[Priced]:
    """The items as proration arithmetic sees them (in the subscription's currency)."""
    return [
        Priced(
            b.item.id, b.price, b.item.quantity, b.product.name, currency, tuple(b.item.tax_rates)
        )
        for b in billed
    ]


def _items_after(
    tx: Tx, sub: Subscription, data: ChangeInput, before: list[Billed]
) -> list[Billed]:
    """The items once the change is made: removed, replaced, re-counted, added."""
    after = {b.item.id: b for b in before}
    for n, item_id in enumerate(data.remove_items):
        if item_id not in after:
            raise NotFound("subscription_item", item_id, param=f"remove_item[{n}]")
        del after[item_id]
    for n, spec in enumerate(data.items):
        after = _item_changed(tx, sub, after, spec, f"items[{n}]")
    if data.quantity is not None:
        if len(after) != 1:
            raise InvalidRequest(
                f"Invalid quantity: {sub.id} has {len(after)} items; change one with "
                "--item SI=:QUANTITY",
                param="quantity",
            )
        (only,) = after.values()
        quantity = item_quantity(only.price, data.quantity, "quantity")
        after[only.item.id] = replace(only, item=replace(only.item, quantity=quantity))
    for n, spec in enumerate(data.prices):
        price_id, given = parse_item(spec, f"items[{n}]")
        price, product = _usable(tx, sub, price_id, f"items[{n}][price]")
        quantity = item_quantity(price, given, f"items[{n}][quantity]")
        added = SubscriptionItem(new_id("subscription_item"), sub.id, tx.now, price.id, quantity)
        after[added.id] = Billed(added, price, product)
    for added_spec in data.added:
        made = item_specs.billed(tx, added_spec, sub.id, sub.currency)
        after[made.item.id] = made
    for item_id, pairs in data.item_metadata:
        if item_id not in after:
            raise NotFound("subscription_item", item_id, param="items[id]")
        kept = after[item_id]
        metadata = merged(kept.item.metadata, parse_pairs(pairs, param="items[metadata]"))
        after[item_id] = replace(kept, item=replace(kept.item, metadata=metadata))
    result = rated(tx, list(after.values()), data.item_tax_rates)
    _check_items(sub, result)
    return result


def _item_changed(
    tx: Tx, sub: Subscription, after: dict[str, Billed], spec: str, param: str
) -> dict[str, Billed]:
    """`SI=PRICE[:QUANTITY]` or `SI=:QUANTITY` applied to the items."""
    item_id, equals, target = spec.partition("=")
    if not equals:
        raise InvalidRequest(
            f"Invalid {param}: '{spec}' (SI=PRICE[:QUANTITY] or SI=:QUANTITY)", param=param
        )
    if item_id not in after:
        raise NotFound("subscription_item", item_id, param=f"{param}[id]")
    current = after[item_id]
    price_id, colon, count = target.partition(":")
    given = quantity_of(count, f"{param}[quantity]") if colon else None
    price, product = current.price, current.product
    if price_id and price_id != current.price.id:
        price, product = _usable(tx, sub, price_id, f"{param}[price]")
    if given is None and not price.metered:  # a metered item had none: one unit
        given = 1 if current.price.metered else current.item.quantity
    quantity = item_quantity(price, given, f"{param}[quantity]")
    since = tx.now if price.id != current.item.price else current.item.price_since
    changed = replace(current.item, price=price.id, quantity=quantity, price_since=since)
    return after | {item_id: Billed(changed, price, product)}


def _usable(tx: Tx, sub: Subscription, price_id: str, param: str) -> tuple[Price, Product]:
    """A recurring price a subscription may take: usable, and in its currency."""
    price, product = prices.usable(tx, price_id, param=param, recurring=True)
    in_currency(sub, price, param)
    return price, product


def _check_items(sub: Subscription, items: list[Billed]) -> None:
    if not items:
        raise InvalidRequest(
            f"Invalid items: {sub.id} would have no item left; cancel it instead", param="items"
        )
    seen: set[str] = set()
    for n, b in enumerate(items):
        if b.price.id in seen:
            raise InvalidRequest(
                f"Invalid items[{n}][price]: {b.price.id} would be on two items; change the "
                "quantity of one",
                param=f"items[{n}][price]",
            )
        seen.add(b.price.id)
    intervals = {(b.price.interval, b.price.interval_count) for b in items}
    if len(intervals) > 1:
        raise InvalidRequest(
            "Invalid items: currency and interval must match across all prices of a subscription",
            param="items",
        )


def _ensure_changeable(sub: Subscription, data: ChangeInput) -> None:
    if sub.status in ENDED:
        raise InvalidRequest(
            f"Invalid subscription: {sub.id} is {sub.status}; an ended subscription cannot "
            "be updated",
            param="subscription",
        )
    if sub.status in ("incomplete", "paused"):
        allowed = {"metadata", "description", "default_payment_method"}
        given = data.given()
        if given - allowed:
            until = "its first invoice is paid" if sub.status == "incomplete" else "it is resumed"
            raise InvalidRequest(
                f"Invalid {sorted(given - allowed)[0]}: {sub.id} is {sub.status}; until "
                f"{until} only metadata, description and the default payment method can "
                "change",
                param=sorted(given - allowed)[0],
            )


def refuse_if_scheduled(tx: Tx, sub: Subscription, given: list[str]) -> None:
    """Stripe's rule: a subscription a schedule manages ends as the schedule says, so
    its own cancellation (`given`: the parameters that set or take one back) is refused
    until the schedule lets it go."""
    schedule = tx.subscription_schedules.managing(sub.id) if given else None
    if schedule is not None:
        raise InvalidRequest(
            f"The subscription is managed by the subscription schedule `{schedule.id}`, and "
            "updating any cancelation behavior directly is not allowed. Please update the "
            "schedule instead.",
            param=given[0],
        )


def propose(tx: Tx, sub: Subscription, data: ChangeInput) -> Proposal:
    """What `data` would change, and its prorations (nothing is written)."""
    _ensure_changeable(sub, data)
    refuse_if_scheduled(
        tx, sub, [n for n in ("cancel_at_period_end", "cancel_at") if getattr(data, n) is not None]
    )
    before = billed_items(tx, sub)
    after = _items_after(tx, sub, data, before) if data.changes_items else before
    at = tx.now
    if data.proration_date is not None:
        at = check_date(data.proration_date, (sub.current_period_start, sub.current_period_end))
    proposal = Proposal(sub, before, after, at)
    behavior = data.proration_behavior or "create_prorations"
    new_interval = (after[0].price.interval, after[0].price.interval_count)
    free_to_paid = not any(b.price.metered for b in before) and sum(
        _amounts(before, sub.currency)
    ) == 0 < sum(_amounts(after, sub.currency))
    trial_ends_now = data.trial_end == "now" and sub.status == "trialing"
    proposal.reset = (
        new_interval != (sub.interval, sub.interval_count)
        or data.billing_cycle_anchor == "now"
        or trial_ends_now
        or (free_to_paid and sub.status != "trialing")
    )
    billable = sub.status in RENEWING and sub.status != "trialing"
    prorates = behavior != "none" and billable
    proposal.bills_usage = behavior != "none"
    cycle = Cycle(sub.billing_cycle_anchor, sub.interval, sub.interval_count)
    end_at = sub.current_period_end
    if prorates and proposal.reset:
        proposal.prorations = credits(tx, priced(before, sub.currency), at, end_at)
    elif prorates:
        credited, charged = changed(priced(before, sub.currency), priced(after, sub.currency))
        proposal.prorations = credits(tx, credited, at, end_at)
        defaults = given_rates(
            tx, data.default_tax_rates, sub.default_tax_rates, "default_tax_rates"
        )
        proposal.prorations += charges(
            tx, sub, cycle, priced(after, sub.currency), charged, at, end_at, defaults
        )
    cancel_at = data.cancel_at if isinstance(data.cancel_at, int) else None
    if prorates and cancel_at is not None and at <= cancel_at < end_at and not proposal.reset:
        made = tuple(proposal.prorations)
        proposal.prorations += credits(tx, priced(after, sub.currency), cancel_at, end_at, made)
    proposal.prorations = [p for p in proposal.prorations if p.amount]
    proposal.invoice_now = proposal.reset or (
        behavior == "always_invoice"
        and bool(proposal.prorations or (billable and proposal.metered_left))
    )
    return proposal


def _amounts(billed: list[Billed], currency: str) -> list[int]:
    """What the items cost a period in the subscription's `currency` (a plan free in it
    is free to its customer, whatever its own amount)."""
    return [amount_for(b.price, b.item.quantity, currency) for b in billed]
