"""The invariants of usage, for `ledger check`.

Summaries equal the events they cover: each run of events keeps the count, sum, time
span and latest event of exactly its events, and every event lies in one run. Usage is
billed once: a subscription item's usage lines never cover the same instant twice. A
finalized usage line bills what its meter counted for its span when it was finalized
(events received by then, not canceled by then; of those received or canceled in that
very second, the ones that came before it, in seq order), priced by its tiers after the
cycle's earlier lines. Metered prices name a meter, and their items carry no quantity.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from billcli.core.dates import moment
from billcli.core.ledger import Problem
from billcli.core.meters import WINDOW_S, Event, Tally, Windowed, usage_charge

if TYPE_CHECKING:
    from billcli.core.records.catalog import Price
    from billcli.core.records.invoices import InvoiceItem
    from billcli.core.records.meters import Meter
    from billcli.core.records.subscriptions import SubscriptionItem


def aggregate(meter: Meter, events: Iterable[Event]) -> int:
    """What `events` add up to under the meter's formula (and pre-aggregation)."""
    tally: Tally | Windowed = (
        Tally() if meter.event_time_window is None else Windowed(WINDOW_S[meter.event_time_window])
    )
    for timestamp, seq, value in events:
        tally.add(timestamp, seq, value)
    return tally.value(meter.formula)


def run_problems(
    wrong: Iterable[tuple[str, str, int]], coverage: tuple[int, int, int]
) -> list[Problem]:
    """Runs that do not add up to their events ((meter, customer, first seq) each), and
    events in no run or in two (`coverage`: events, events covered, overlaps)."""
    problems = [
        Problem(meter, f"the run of {customer}'s events from seq {first} does not add up to them")
        for meter, customer, first in wrong
    ]
    events, covered, overlapping = coverage
    if covered != events or overlapping:
        problems.append(
            Problem(
                "meter events",
                f"{events:,} events, but the runs cover {covered:,} (and {overlapping} "
                "overlap the run before them)",
            )
        )
    return problems


def catalog_problems(
    prices: Iterable[Price], items: Iterable[SubscriptionItem], meters: Mapping[str, Meter]
) -> list[Problem]:
    """Metered prices name a meter that exists; their items have no quantity."""
    problems, metered = [], set()
    for price in prices:
        if price.metered:
            metered.add(price.id)
            if price.meter not in meters:
                problems.append(
                    Problem(price.id, f"it is metered by a missing meter ({price.meter})")
                )
        elif price.meter is not None:
            problems.append(Problem(price.id, "it is licensed, yet names a meter"))
    for item in items:
        if item.price in metered and item.quantity != 0:
            problems.append(Problem(item.id, f"it is metered, yet has quantity {item.quantity}"))
    return problems


def billed_once(lines: Sequence[InvoiceItem]) -> list[Problem]:
    """No two usage lines of one subscription item cover the same instant."""
    problems = []
    by_item: dict[str, list[InvoiceItem]] = {}
    for line in lines:
        by_item.setdefault(str(line.subscription_item), []).append(line)
    for item, billed in by_item.items():
        spans = sorted((int(li.period_start or 0), int(li.period_end or 0), li.id) for li in billed)
        for (_, end, first), (start, _, second) in pairwise(spans):
            if start < end:
                problems.append(
                    Problem(
                        item,
                        f"usage lines {first} and {second} both bill {moment(start)} to "
                        f"{moment(end)}",
                    )
                )
    return problems


def usage_line_problem(
    line: InvoiceItem,
    price: Price,
    meter: Meter,
    held: Iterable[Iterable[Event]],
    earlier: Sequence[InvoiceItem],
) -> Problem | None:
    """A finalized usage line against the events of its span (from `counted_since`) it
    may have counted when it was finalized (`held`: first what the ledger held at the end
    of that second, then `orders_within_second`), and the cycle's `earlier` lines at its
    price: None when it bills one of them."""
    first: tuple[int, int] | None = None
    for counted in held:
        billed = usage_charge(meter, price, aggregate(meter, counted), earlier, line.currency)
        if (line.quantity, line.amount) == billed:
            return None
        first = first or billed
    assert first is not None
    quantity, amount = first
    return Problem(
        line.id,
        f"it bills {line.quantity} units for {line.amount}, but its meter counted "
        f"{quantity} for its span when it was finalized (worth {amount})",
    )


def orders_within_second(
    before: Iterable[Event], during: Iterable[Event], after: Iterable[Event]
) -> Iterator[list[Event]]:
    """What a line finalized within a second may have counted, from the events the ledger
    held `before` that second, `during` it (received by its end, canceled in it or not)
    and `after` it: the ledger clock counts whole seconds, so an event received or
    canceled in that second may have come before the line or after it. Those before it
    are the events held before, then the first ones (by seq) of those received in it;
    the ones canceled in it went either before the line or after it."""
    held_before = {event[1] for event in before}
    held_after = {event[1] for event in after}
    possible = sorted(during, key=lambda event: event[1])
    came = [event[1] for event in possible if event[1] not in held_before]
    for canceled_after in (True, False):
        for first in range(len(came) + 1):
            arrived = held_before | set(came[:first])
            yield [
                event
                for event in possible
                if event[1] in arrived and (canceled_after or event[1] in held_after)
            ]
