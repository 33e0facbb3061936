"""Subscription schedules: created (from a customer's phases, or from a subscription),
shown, listed, updated, canceled, released. What the clock does at each phase boundary
is `phases.py`'s."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from billcli.core import schedules as rules
from billcli.core.catalog import charges_in
from billcli.core.ids import new_id
from billcli.core.invoicing import check_choice
from billcli.core.metadata import merged, parse_pairs
from billcli.core.pagination import Page, PageRequest, Range
from billcli.core.records.schedules import SubscriptionSchedule
from billcli.errors import InvalidRequest
from billcli.services.catalog import prices
from billcli.services.discounts.applicable import live
from billcli.services.ledger.events import record
from billcli.services.ledger.idempotency import once
from billcli.services.ledger.lookup import found, live_customer
from billcli.services.payments.methods import customer_method
from billcli.services.schedules.phases import (
    apply_phase,
    canceled_in,
    caught_up,
    manages,
    recorded_update,
    saved,
    shown,
    start_in,
)
from billcli.services.subscriptions.items import billed_items
from billcli.services.subscriptions.records import find as find_subscription
from billcli.store.ledger import Ledger, Tx

KIND = "subscription_schedule"


@dataclass(frozen=True)
class ScheduleInput:
    """`subscription-schedules create` (or the API's create) as given."""

    customer: str | None = None
    from_subscription: str | None = None
    start_date: int | str | None = None  # unix seconds or "now"
    end_behavior: str | None = None
    metadata: tuple[str, ...] = ()
    phases: tuple[rules.PhaseInput, ...] = ()
    default_settings: rules.Settings = field(default_factory=rules.Settings)

    def checked(self) -> ScheduleInput:
        self.default_settings.checked()
        if self.from_subscription is not None:
            others = self.customer or self.phases or self.start_date is not None
            if others or self.end_behavior is not None:
                raise InvalidRequest(
                    "You cannot set `customer`, `phases`, `start_date` or `end_behavior` "
                    "with `from_subscription`: the schedule copies the subscription; update "
                    "it afterwards.",
                    param="from_subscription",
                )
            parse_pairs(self.metadata)
            return self
        if self.customer is None:
            raise InvalidRequest.missing("customer")
        if self.end_behavior is not None:
            check_choice(self.end_behavior, rules.END_BEHAVIORS, "end_behavior")
        if isinstance(self.start_date, str) and self.start_date != "now":
            raise InvalidRequest(
                f"Invalid start_date: '{self.start_date}' (a time or now)", param="start_date"
            )
        rules.check_phases(self.phases)
        parse_pairs(self.metadata)
        return self


def create(
    ledger: Ledger, data: ScheduleInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    data.checked()
    with ledger.write() as tx:
        return once(
            tx, "subscription_schedules.create", idempotency_key, dict(vars(data)),
            lambda: schedule_object(tx, create_in(tx, data)),
        )  # fmt: skip


def create_in(tx: Tx, data: ScheduleInput) -> SubscriptionSchedule:
    if data.from_subscription is not None:
        return _from_subscription(tx, data)
    customer = live_customer(tx, str(data.customer))
    start = tx.now if data.start_date in (None, "now") else int(str(data.start_date))
    phases = laid_out(tx, start, data.phases, customer.currency)
    defaults = data.default_settings.stored()
    _check_methods(tx, customer.id, defaults, phases)
    schedule = SubscriptionSchedule(
        id=new_id(KIND),
        created=tx.now,
        customer=customer.id,
        status="not_started",
        start_date=start,
        end_behavior=data.end_behavior or "release",
        phases=phases,
        metadata=merged({}, parse_pairs(data.metadata)),
        default_settings=defaults,
    )
    tx.subscription_schedules.add(schedule)
    if start <= tx.now:
        schedule = start_in(tx, schedule)
    schedule = saved(tx, schedule)
    record(tx, "subscription_schedule.created", schedule_object(tx, schedule))
    return caught_up(tx, schedule)  # backdated past a phase's end: today's phase


def _check_methods(
    tx: Tx, customer: str, defaults: dict[str, Any], phases: list[dict[str, Any]]
) -> None:
    """Every default_payment_method named is the customer's card, checked when given
    (not when a phase starts, when nobody is there to be told)."""
    named = [("default_settings[default_payment_method]", defaults.get("default_payment_method"))]
    named += [
        (f"phases[{n}][default_payment_method]", p["settings"].get("default_payment_method"))
        for n, p in enumerate(phases)
    ]
    for param, method in named:
        if method is not None:
            customer_method(tx, customer, method, param=param)


def laid_out(
    tx: Tx, start: int, phases: tuple[rules.PhaseInput, ...], billed_in: str | None
) -> list[dict[str, Any]]:
    """The phases back to back, each priced: usable recurring prices of one interval
    within a phase, all billed in one currency by the rule every line is billed by
    (`billing_currency`): a phase's `currency` if given, else `billed_in` (the
    customer's, or the subscription's) when every price has an amount in it (its own or
    a `currency_options` one), else the prices' own."""
    intervals, everything = [], []
    for n, phase in enumerate(phases):
        chosen = []
        for m, (price_id, _) in enumerate(phase.items):
            param = f"phases[{n}][items][{m}][price]"
            price, _ = prices.usable(tx, price_id, param=param, recurring=True)
            chosen.append(price)
        first = chosen[0]
        for m, price in enumerate(chosen):
            if (price.interval, price.interval_count) != (first.interval, first.interval_count):
                raise InvalidRequest(
                    f"Invalid phases[{n}][items][{m}][price]: currency and interval must "
                    "match across all prices of a phase",
                    param=f"phases[{n}][items][{m}][price]",
                )
        intervals.append((str(first.interval), first.interval_count))
        everything += [(n, m, price) for m, price in enumerate(chosen)]
    asked = next((p.currency.lower() for p in phases if p.currency), None)
    if asked is None and billed_in and all(charges_in(p, billed_in) for _, _, p in everything):
        asked = billed_in
    currency = asked or everything[0][2].currency
    for n, m, price in everything:
        if not charges_in(price, currency):
            raise InvalidRequest(
                f"Invalid phases[{n}][items][{m}][price]: every phase of a schedule bills in "
                f"one currency; {price.id} has no amount in {currency}",
                param=f"phases[{n}][items][{m}][price]",
            )
    return rules.lay_out(start, phases, intervals, currency)


def _from_subscription(tx: Tx, data: ScheduleInput) -> SubscriptionSchedule:
    sub = find_subscription(tx, str(data.from_subscription), param="from_subscription")
    if sub.status in ("canceled", "incomplete_expired"):
        raise InvalidRequest(
            f"Invalid from_subscription: {sub.id} is {sub.status}", param="from_subscription"
        )
    if tx.subscription_schedules.managing(sub.id) is not None:
        raise InvalidRequest(
            f"Invalid from_subscription: {sub.id} is already managed by a subscription schedule",
            param="from_subscription",
        )
    items = [{"price": b.price.id, "quantity": b.item.quantity} for b in billed_items(tx, sub)]
    discount = live(tx, sub.discount)  # the phase keeps it (a phase without one removes it)
    phase = {
        "start_date": sub.current_period_start,
        "end_date": sub.current_period_end,
        "items": items,
        "proration_behavior": "create_prorations",
        "coupon": discount.coupon if discount else None,
        "trial_end": sub.trial_end if sub.status == "trialing" else None,
        "collection_method": sub.collection_method,
        "metadata": {},
        "currency": sub.currency,
        "settings": {},
    }
    schedule = SubscriptionSchedule(
        id=new_id(KIND),
        created=tx.now,
        customer=sub.customer,
        status="active",
        start_date=sub.current_period_start,
        phases=[phase],
        phase=0,
        subscription=sub.id,
        metadata=merged({}, parse_pairs(data.metadata)),
        default_settings=data.default_settings.stored(),
    )
    tx.subscription_schedules.add(schedule)
    record(tx, "subscription_schedule.created", schedule_object(tx, schedule))
    manages(tx, sub.id, None)
    return saved(tx, schedule)


def schedule_object(tx: Tx, schedule: SubscriptionSchedule) -> dict[str, Any]:
    return shown(tx, schedule)


def find(tx: Tx, schedule_id: str, *, param: str = "schedule") -> SubscriptionSchedule:
    return found(tx, KIND, schedule_id, tx.subscription_schedules.get, param=param)


def show(ledger: Ledger, schedule_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return schedule_object(tx, find(tx, schedule_id))


def list_schedules(
    ledger: Ledger,
    request: PageRequest,
    *,
    customer: str | None = None,
    ranges: dict[str, Range | None] | None = None,
    scheduled: bool | None = None,
) -> Page:
    """`ranges`: canceled_at, completed_at, released_at; `scheduled`: not started yet."""
    with ledger.read() as tx:
        listed, more = tx.subscription_schedules.page(
            request, customer=customer, ranges=ranges, scheduled=scheduled
        )
        return Page("/v1/subscription_schedules", [schedule_object(tx, s) for s in listed], more)


@dataclass(frozen=True)
class ScheduleChange:
    """`subscription-schedules update`: the current and future phases, in full."""

    phases: tuple[rules.PhaseInput, ...] = ()
    end_behavior: str | None = None
    proration_behavior: str | None = None
    metadata: tuple[str, ...] = ()
    default_settings: rules.Settings | None = None  # replaces the schedule's when given

    def checked(self) -> ScheduleChange:
        if self.default_settings is not None:
            self.default_settings.checked()
        if self.phases:
            rules.check_phases(self.phases)
        if self.end_behavior is not None:
            check_choice(self.end_behavior, rules.END_BEHAVIORS, "end_behavior")
        if self.proration_behavior is not None:
            check_choice(self.proration_behavior, rules.PRORATION_BEHAVIORS, "proration_behavior")
        parse_pairs(self.metadata)
        return self


def update(ledger: Ledger, schedule_id: str, data: ScheduleChange) -> dict[str, Any]:
    """New phases (the current one first, its start unchanged) and settings; a change to
    the current phase's items reaches the subscription at once, prorated as asked."""
    data.checked()
    with ledger.write() as tx:
        schedule = find(tx, schedule_id)
        rules.require_live(schedule, "update")
        before = schedule_object(tx, schedule)
        changed = replace(
            schedule,
            end_behavior=data.end_behavior or schedule.end_behavior,
            metadata=merged(schedule.metadata, parse_pairs(data.metadata)),
        )
        if data.default_settings is not None:
            changed = replace(changed, default_settings=data.default_settings.stored())
        if data.phases:
            changed = _new_phases(tx, changed, data)
        _check_methods(tx, changed.customer, changed.default_settings, data_phases(changed, data))
        recorded_update(tx, before, saved(tx, changed))
        return schedule_object(tx, caught_up(tx, find(tx, schedule_id)))  # starts now?


def _new_phases(
    tx: Tx, schedule: SubscriptionSchedule, data: ScheduleChange
) -> SubscriptionSchedule:
    start = rules.check_update_start(schedule, data.phases[0].start_date, tx.now)
    sub_id = schedule.subscription
    billed = tx.subscriptions.get(sub_id) if sub_id else None
    owner = tx.customers.get(schedule.customer)
    billed_in = billed.currency if billed else owner.currency if owner else None
    phases = laid_out(tx, start, data.phases, billed_in)
    rules.check_not_past(phases, tx.now)
    if phases[-1]["end_date"] != schedule.phases[-1]["end_date"]:
        schedule = replace(schedule, expiring_sent=False)  # a new end, a new notice
    if schedule.status != "active":
        return replace(schedule, phases=phases, start_date=start)
    kept = schedule.phases[: schedule.phase or 0]
    current_before = schedule.phases[schedule.phase or 0]
    changed = replace(schedule, phases=kept + phases)
    if schedule.subscription is not None and rules.changes_subscription(
        current_before, phases[0], schedule.default_settings, changed.default_settings
    ):
        behavior = data.proration_behavior or "create_prorations"
        sub = find_subscription(tx, schedule.subscription)
        new_coupon = phases[0]["coupon"] != current_before["coupon"]
        apply_phase(tx, sub, phases[0], behavior, changed.default_settings, new_coupon=new_coupon)
    return changed


def data_phases(schedule: SubscriptionSchedule, data: ScheduleChange) -> list[dict[str, Any]]:
    """The phases an update sent (their payment methods are checked), else none."""
    return schedule.phases[-len(data.phases) :] if data.phases else []


def cancel(
    ledger: Ledger, schedule_id: str, *, invoice_now: bool = True, prorate: bool = True
) -> dict[str, Any]:
    """Cancel the schedule and, if it has started, its subscription now (its unused
    time credited and invoiced at once unless told otherwise, Stripe's defaults)."""
    with ledger.write() as tx:
        schedule = find(tx, schedule_id)
        rules.require_live(schedule, "cancel")
        done = canceled_in(tx, schedule, invoice_now=invoice_now, prorate=prorate)
        return schedule_object(tx, done)


def release(ledger: Ledger, schedule_id: str) -> dict[str, Any]:
    """Stop the schedule and leave its subscription running as it is."""
    with ledger.write() as tx:
        schedule = find(tx, schedule_id)
        rules.require_live(schedule, "release")
        done = saved(
            tx,
            replace(
                schedule,
                status="released",
                released_at=tx.now,
                released_subscription=schedule.subscription,
                subscription=None,
            ),
        )
        manages(tx, schedule.subscription, schedule.id)
        shown = schedule_object(tx, done)
        record(tx, "subscription_schedule.released", shown)
        return shown
