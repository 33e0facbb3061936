"""The invariants of subscriptions, for `ledger check`.

Periods follow the anchor and follow each other with no gap; a period is renewed by
one invoice only; a status agrees with the subscription's invoices; every item is
priced in the subscription's currency and interval; the next action the clock will
take is the one its fields call for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from billcli.core.catalog import charges_in
from billcli.core.dates import moment
from billcli.core.ledger import Problem
from billcli.core.periods import next_boundary
from billcli.core.subscriptions import ENDED, STATUSES, next_action_at

if TYPE_CHECKING:
    from billcli.core.records.catalog import Price
    from billcli.core.records.invoices import Invoice
    from billcli.core.records.subscriptions import Subscription, SubscriptionItem


def check_subscription(
    sub: Subscription,
    items: Sequence[SubscriptionItem],
    prices: Mapping[str, Price],
    invoices: Sequence[Invoice],
    *,
    upcoming_days: int,
    customer_deleted: bool = False,
) -> list[Problem]:
    """Problems of one subscription; `invoices` are its own, oldest first. A deleted
    customer's subscriptions have all ended (Stripe cancels them with the customer)."""
    problems = _items(sub, items, prices) + _periods(sub) + _renewals(invoices)
    if customer_deleted and sub.status not in ENDED:
        problems.append(f"its customer was deleted, yet it is {sub.status}")
    problems += _status(sub, invoices)
    latest = invoices[-1] if invoices else None
    if latest is not None and sub.latest_invoice != latest.id:
        problems.append(f"latest_invoice {sub.latest_invoice} is not its newest ({latest.id})")
    overdue = None
    if (
        sub.collection_method == "send_invoice"
        and latest is not None
        and latest.id == sub.latest_invoice
        and latest.status == "open"
    ):
        overdue = latest.due_date
    expected = next_action_at(sub, upcoming_days=upcoming_days, overdue_at=overdue)
    if sub.next_action_at != expected:
        problems.append(
            f"next_action_at {moment(sub.next_action_at)} is not when its fields call for "
            f"({moment(expected)})"
        )
    return [Problem(sub.id, p) for p in problems]


def _items(
    sub: Subscription, items: Sequence[SubscriptionItem], prices: Mapping[str, Price]
) -> list[str]:
    if not items:
        return ["it has no item"]
    problems = []
    for item in items:
        price = prices.get(item.price)
        if price is None:
            problems.append(f"item {item.id} has a price that does not exist ({item.price})")
            continue
        if not charges_in(price, sub.currency) or (price.interval, price.interval_count) != (
            sub.interval,
            sub.interval_count,
        ):
            priced_in = "/".join([price.currency, *price.currency_options])
            problems.append(
                f"item {item.id} is priced in {priced_in} every {price.interval_count} "
                f"{price.interval}, not the subscription's {sub.currency} every "
                f"{sub.interval_count} {sub.interval}"
            )
    return problems


def _periods(sub: Subscription) -> list[str]:
    if sub.current_period_start >= sub.current_period_end:
        return ["its current period ends before it starts"]
    if sub.status in ENDED or sub.status == "incomplete":
        return []
    natural = next_boundary(
        sub.billing_cycle_anchor, sub.interval, sub.interval_count, sub.current_period_start
    )
    allowed = {natural, sub.cancel_at, sub.trial_end if sub.status == "trialing" else None}
    if sub.current_period_end not in allowed:
        return [
            f"its period ends at {moment(sub.current_period_end)}, not at the anchor's next "
            f"boundary ({moment(natural)})"
        ]
    return []


def _renewals(invoices: Sequence[Invoice]) -> list[str]:
    """One renewal invoice per period, each period starting where the last one ended
    (a change that starts a new period at once breaks the chain on purpose)."""
    problems, seen = [], set()
    previous_end = None
    for inv in invoices:
        if inv.billing_reason == "subscription_update":
            previous_end = None
            continue
        if inv.billing_reason != "subscription_cycle":
            continue
        if inv.period_end in seen:
            problems.append(
                f"{inv.id} renews a period already renewed (ending {moment(inv.period_end)})"
            )
        seen.add(inv.period_end)
        if previous_end is not None and inv.period_start != previous_end:
            problems.append(
                f"{inv.id} renews from {moment(inv.period_start)}, but the period before "
                f"ended at {moment(previous_end)}"
            )
        previous_end = inv.period_end
    return problems


def _status(sub: Subscription, invoices: Sequence[Invoice]) -> list[str]:
    if sub.status not in STATUSES:
        return [f"unknown status '{sub.status}'"]
    latest = next((i for i in invoices if i.id == sub.latest_invoice), None)
    if sub.status == "canceled" and (sub.ended_at is None or sub.canceled_at is None):
        return ["it is canceled without ended_at and canceled_at"]
    if sub.status == "incomplete" and (latest is None or latest.status not in ("open", "draft")):
        return ["it is incomplete, but its first invoice is not open"]
    if sub.status == "incomplete_expired" and latest is not None and latest.status == "paid":
        return ["it expired, but its first invoice was paid"]
    if sub.status == "trialing" and sub.trial_end != sub.current_period_end:
        return ["it is trialing, but its period does not end with the trial"]
    if sub.status in ("past_due", "unpaid") and not any(
        i.status in ("open", "uncollectible", "draft") for i in invoices
    ):
        return [f"it is {sub.status}, but none of its invoices is unpaid"]
    return []
