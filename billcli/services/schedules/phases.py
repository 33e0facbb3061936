"""What the clock does to a subscription schedule: it starts (its subscription is
created), it moves from one phase to the next (the subscription is updated by the same
change code `subscriptions update` uses, prorated as the new phase says), it warns seven
days before its end, and it completes (`end_behavior`: release, or cancel).

Each step is a state change checked against the schedule as stored, in the tick's
transaction: a phase already entered is never entered again, so a step killed before
its commit is redone whole and a racing tick finds nothing left to do.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core import schedule_objects
from billcli.core import schedules as rules
from billcli.core.records.schedules import SubscriptionSchedule
from billcli.core.records.subscriptions import Subscription
from billcli.core.subscriptions import ENDED
from billcli.core.tick import SCHEDULE, Step, step
from billcli.services.discounts.applicable import live
from billcli.services.ledger.events import record
from billcli.services.subscriptions.changes import apply, cancel_in
from billcli.services.subscriptions.creation import SubscriptionInput
from billcli.services.subscriptions.creation import create_in as create_subscription
from billcli.services.subscriptions.items import billed_items
from billcli.services.subscriptions.proposals import ChangeInput, propose
from billcli.services.subscriptions.records import subscription_object
from billcli.services.subscriptions.status import end
from billcli.store.ledger import Tx

MAX_STEPS = 24  # a schedule's phases, notices and end, however far behind the clock is


def shown(tx: Tx, schedule: SubscriptionSchedule) -> dict[str, Any]:
    """The schedule as Stripe shows it, naming its customer's test clock."""
    return schedule_objects.schedule(schedule, tx.clock_of(schedule.customer))


def recorded_update(tx: Tx, before: dict[str, Any], after: SubscriptionSchedule) -> dict[str, Any]:
    """`after` as shown, and `subscription_schedule.updated` with what changed since
    `before` (the object shown before), if anything did."""
    now = shown(tx, after)
    if now != before:
        previous = {k: v for k, v in before.items() if now.get(k) != v}
        record(tx, "subscription_schedule.updated", now, previous=previous)
    return now


def saved(tx: Tx, schedule: SubscriptionSchedule) -> SubscriptionSchedule:
    """Store the schedule with when the clock must next look at it."""
    done = replace(schedule, next_action_at=rules.next_action_at(schedule))
    tx.subscription_schedules.save(done)
    return done


def manages(tx: Tx, subscription_id: str | None, before: str | None) -> None:
    """The subscription's `schedule` changed (a schedule took it on or let it go):
    `customer.subscription.updated` with its previous value."""
    sub = tx.subscriptions.get(subscription_id) if subscription_id else None
    if sub is None:
        return
    shown = subscription_object(tx, sub)
    if shown["schedule"] != before:
        record(tx, "customer.subscription.updated", shown, previous={"schedule": before})


def canceled_in(
    tx: Tx,
    schedule: SubscriptionSchedule,
    *,
    invoice_now: bool = True,
    prorate: bool = True,
) -> SubscriptionSchedule:
    """The schedule is canceled now, and its subscription with it if still running
    (prorated and invoiced at once unless told otherwise, Stripe's defaults): asked
    for, its subscription ended by other means, or its customer deleted. Its event is
    Stripe's `subscription_schedule.aborted` when dunning had canceled the subscription
    (for delinquency), else `…canceled`."""
    done = saved(tx, replace(schedule, status="canceled", canceled_at=tx.now))
    sub = tx.subscriptions.get(schedule.subscription) if schedule.subscription else None
    if sub is not None and sub.status not in ENDED:
        cancel_in(tx, sub, invoice_now=invoice_now, prorate=prorate)
    aborted = sub is not None and sub.cancellation_reason == "payment_failed"
    kind = "aborted" if aborted else "canceled"
    record(tx, f"subscription_schedule.{kind}", shown(tx, done))
    return done


def start_in(tx: Tx, schedule: SubscriptionSchedule) -> SubscriptionSchedule:
    """The schedule starts: its subscription is created on its first phase's terms
    (backdated to the schedule's start when that lies in the past)."""
    phase = schedule.phases[0]
    settings = rules.effective(phase, schedule.default_settings)
    sub = create_subscription(
        tx,
        SubscriptionInput(
            customer=schedule.customer,
            currency=phase["currency"],
            prices=tuple(f"{i['price']}:{i['quantity']}" for i in phase["items"]),
            trial_end=phase["trial_end"],
            collection_method=settings["collection_method"],
            days_until_due=settings["days_until_due"],
            default_payment_method=settings["default_payment_method"],
            description=settings["description"],
            backdate_start_date=schedule.start_date if schedule.start_date < tx.now else None,
            coupon=phase["coupon"],
            metadata=tuple(f"{k}={v}" for k, v in phase["metadata"].items()),
            collected_later=True,
        ),
    )
    started = replace(schedule, status="active", phase=0, subscription=str(sub["id"]))
    tx.subscription_schedules.save(started)
    manages(tx, started.subscription, None)
    return started


def apply_phase(
    tx: Tx,
    sub: Subscription,
    phase: dict[str, Any],
    behavior: str,
    defaults: dict[str, Any],
    *,
    new_coupon: bool = True,
) -> None:
    """Give the subscription the phase's items and billing settings (its own, else the
    schedule's `defaults`), through the change code of `subscriptions update`: kept
    prices change quantity, others are removed or added; only settings that differ are
    sent, so a phase that changes nothing records nothing. A phase without a coupon
    removes the subscription's discount (Stripe: a phase's coupon lasts that phase).
    `new_coupon` False: the phase's coupon is the one it had (an update of the current
    phase that keeps it), so the subscription's discount is left as it is."""
    settings = rules.effective(phase, defaults)
    collection = (settings["collection_method"], settings["days_until_due"])
    changes_collection = collection != (sub.collection_method, sub.days_until_due)
    method = settings["default_payment_method"]
    description = settings["description"]
    current = {b.price.id: b for b in billed_items(tx, sub)}
    wanted = {i["price"]: i["quantity"] for i in phase["items"]}
    data = ChangeInput(
        prices=tuple(f"{p}:{q}" for p, q in wanted.items() if p not in current),
        items=tuple(
            f"{b.item.id}=:{wanted[p]}"
            for p, b in current.items()
            if p in wanted and wanted[p] != b.item.quantity
        ),
        remove_items=tuple(b.item.id for p, b in current.items() if p not in wanted),
        proration_behavior=behavior,
        coupon=phase["coupon"] if new_coupon else None,
        remove_discount=new_coupon
        and phase["coupon"] is None
        and live(tx, sub.discount) is not None,
        metadata=tuple(f"{k}={v}" for k, v in phase["metadata"].items()),
        collection_method=collection[0] if changes_collection else None,
        days_until_due=collection[1] if changes_collection else None,
        default_payment_method=method if method != sub.default_payment_method else None,
        description=description if description != sub.description else None,
        trial_end=phase["trial_end"] if (phase["trial_end"] or 0) > tx.now else None,
    ).checked()
    if data.given() - {"proration_behavior"}:
        apply(tx, propose(tx, sub, data), data)


def advance(tx: Tx, schedule_id: str) -> list[Step]:
    """Do whatever of the schedule is due now (start, notice, next phases, end); the
    step of the clock's next look at it."""
    schedule = tx.subscription_schedules.get(schedule_id)
    for _ in range(MAX_STEPS):
        if schedule is None or schedule.next_action_at is None:
            return []
        if schedule.next_action_at > tx.now:
            break
        schedule = saved(tx, _step(tx, schedule))
    if schedule is None or schedule.next_action_at is None:
        return []
    seq = tx.subscription_schedules.seq(schedule.id)
    return [step(schedule.next_action_at, SCHEDULE, schedule.id, seq)]


def caught_up(tx: Tx, schedule: SubscriptionSchedule) -> SubscriptionSchedule:
    """The schedule after the clock's steps already due (a start now or a phase end in
    the past), done at once: how a create or an update answers in today's phase."""
    if schedule.next_action_at is None or schedule.next_action_at > tx.now:
        return schedule
    advance(tx, schedule.id)
    return tx.subscription_schedules.get(schedule.id) or schedule


def _step(tx: Tx, schedule: SubscriptionSchedule) -> SubscriptionSchedule:
    if schedule.status == "not_started":
        started = start_in(tx, schedule)
        recorded_update(tx, shown(tx, schedule), started)
        return started
    last_end = int(schedule.phases[-1]["end_date"])
    if not schedule.expiring_sent and tx.now >= last_end - rules.EXPIRING_NOTICE_S:
        notified = replace(schedule, expiring_sent=True)
        record(tx, "subscription_schedule.expiring", shown(tx, notified))
        return notified
    sub = tx.subscriptions.get(str(schedule.subscription))
    if sub is None or sub.status in ENDED:
        return canceled_in(tx, schedule)
    following = (schedule.phase or 0) + 1
    if following < len(schedule.phases):
        phase = schedule.phases[following]
        apply_phase(tx, sub, phase, phase["proration_behavior"], schedule.default_settings)
        moved = replace(schedule, phase=following)
        recorded_update(tx, shown(tx, schedule), moved)
        return moved
    return _completed(tx, schedule, sub)


def _completed(tx: Tx, schedule: SubscriptionSchedule, sub: Subscription) -> SubscriptionSchedule:
    """The last phase ended: the subscription goes on by itself (release) or ends."""
    done = replace(
        schedule,
        status="completed",
        completed_at=tx.now,
        released_subscription=sub.id,
        subscription=None,
    )
    tx.subscription_schedules.save(done)
    if schedule.end_behavior == "cancel":
        # Ended before its renewal at this same instant, which would otherwise bill a
        # period the schedule never had (`cancel_in` would catch the renewal up first).
        end(tx, sub, reason="cancellation_requested")
    else:
        manages(tx, sub.id, schedule.id)
    record(tx, "subscription_schedule.completed", shown(tx, done))
    return done
