"""What a meter's events add up to for a customer: over a window (an invoice's usage
line), or window by window (`meters summaries`, `GET …/event_summaries`).

The store hands over the runs that overlap the windows; `core.meters.summarize` adds
the runs that fall inside one window and reads the events of the others.
"""

from __future__ import annotations

from typing import Any

from billcli.core import meter_objects
from billcli.core.meters import Tally, check_summary_range, needs_latest, summarize, windows_of
from billcli.core.pagination import Page, PageRequest
from billcli.core.records.meters import Meter
from billcli.errors import InvalidRequest, NotFound
from billcli.services.ledger.lookup import found
from billcli.store.ledger import Ledger, Tx

GROUPINGS = ("hour", "day")
# A summary list computes at most this many windows (a year of hours).
MAX_WINDOWS = 366 * 24


def meter_seq(tx: Tx, meter: Meter) -> int:
    memo = ("meter seq", meter.id)
    if memo not in tx.memo:
        tx.memo[memo] = tx.meters.seq(meter.id)
    seq: int = tx.memo[memo]
    return seq


def usage(tx: Tx, meter: Meter, customer_id: str, start: int, end: int) -> int:
    """The meter's aggregated value for the customer over [start, end).

    A meter that only adds up (`sum`, `count`) has the runs wholly inside the window
    added up by the store, and only those its edges cut read here: the month-end
    renewal of 10,000 subscriptions reads two runs each, not hundreds."""
    if end <= start:
        return 0
    seq = meter_seq(tx, meter)
    if needs_latest(meter):
        runs = tx.meter_events.runs(seq, customer_id, start, end)
        return summarize(meter, [(start, end)], runs, tx.meter_events.events)[0]
    inside = Tally(*tx.meter_events.added_up(seq, customer_id, start, end))
    cut = tx.meter_events.runs(seq, customer_id, start, end, cut_only=True)
    edges = summarize(meter, [(start, end)], cut, tx.meter_events.events)[0]
    return inside.value(meter.formula) + edges


def windowed(
    tx: Tx, meter: Meter, customer_id: str, start: int, end: int, grouping: str | None
) -> list[tuple[int, int, int]]:
    """(start, end, value) of each window of [start, end), oldest first."""
    windows = windows_of(start, end, grouping)
    runs = tx.meter_events.runs(meter_seq(tx, meter), customer_id, start, end)
    values = summarize(meter, windows, runs, tx.meter_events.events)
    return [(a, b, v) for (a, b), v in zip(windows, values, strict=True)]


def summaries(
    ledger: Ledger,
    meter_id: str,
    *,
    customer: str,
    start: int,
    end: int,
    grouping: str | None = None,
    request: PageRequest | None = None,
) -> Page:
    """Stripe's event summaries: one per window, newest first, zero ones included; a
    page of them by `request`, or every one without (the command line's default)."""
    if grouping is not None and grouping not in GROUPINGS:
        raise InvalidRequest(
            f"Invalid value_grouping_window: '{grouping}' (hour or day)",
            param="value_grouping_window",
        )
    check_summary_range(start, end, grouping)
    if len(windows_of(start, end, grouping)) > MAX_WINDOWS:
        raise InvalidRequest(
            f"Invalid end_time: at most {MAX_WINDOWS:,} windows a request; ask for a shorter "
            "range or a wider window",
            param="end_time",
        )
    with ledger.read() as tx:
        meter = found(tx, "billing.meter", meter_id, tx.meters.get, param="id")
        found(tx, "customer", customer, tx.customers.get, param="customer")
        rows = windowed(tx, meter, customer, start, end, grouping)
    shown = [meter_objects.summary(meter.id, customer, a, b, v) for a, b, v in reversed(rows)]
    data, has_more = (shown, False) if request is None else _page(shown, request)
    url = f"/v1/billing/meters/{meter.id}/event_summaries"
    return Page(url, data, has_more)


def _page(shown: list[dict[str, Any]], request: PageRequest) -> tuple[list[dict[str, Any]], bool]:
    """A page of the summaries (newest first), by Stripe's cursors."""
    ids = [s["id"] for s in shown]
    if request.cursor is not None and request.cursor not in ids:
        raise NotFound("meter event summary", request.cursor, param=request.cursor_param)
    if request.starting_after:
        at = ids.index(request.starting_after) + 1
        return shown[at : at + request.limit], len(shown) > at + request.limit
    if request.ending_before:
        at = ids.index(request.ending_before)
        return shown[max(0, at - request.limit) : at], at > request.limit
    return shown[: request.limit], len(shown) > request.limit
