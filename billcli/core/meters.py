"""Meters and their events: what a meter accepts, and what its events add up to.

Facts C.1–C.4. A meter counts the events named by its `event_name`; each event's payload
names a customer (under the meter's customer key) and a value (under its value key). An
event is accepted when its timestamp lies within the past 35 days or up to 5 minutes
ahead of its customer's clock (its test clock's, else the ledger clock's); an
identifier is unique for good (Stripe: for at least 24 hours); an event can be
canceled within 24 hours of its receipt.

Aggregation: `sum` adds the values, `count` counts the events, `last` takes the value
of the latest event (greatest timestamp, then the one received last). A meter with an
`event_time_window` (pre-aggregated usage) keeps only the latest event of each UTC hour
or day, and aggregates those. Values are whole numbers, 0 or more, of at most 15 digits
(billcli's rule: an invoice line's quantity is a whole number; Stripe refuses more
than 15 significant digits).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from billcli.core.catalog import amount_for
from billcli.core.dates import moment, parse_instant
from billcli.errors import InvalidRequest, NotFound

if TYPE_CHECKING:
    from billcli.core.records.catalog import Price
    from billcli.core.records.invoices import InvoiceItem
    from billcli.core.records.meters import Meter, Run

FORMULAS = ("sum", "count", "last")
TIME_WINDOWS = ("hour", "day")
STATUSES = ("active", "inactive")
WINDOW_S = {"hour": 3600, "day": 86_400}
DAY_S = 86_400
WEEK_S = 7 * DAY_S
PAST_S = 35 * DAY_S  # the oldest timestamp an event may have, behind the clock
FUTURE_S = 5 * 60  # the latest, ahead of it
CANCEL_S = DAY_S  # how long after its receipt an event may be canceled
SESSION_S = 15 * 60  # a meter event session's token lives this long
MAX_EVENT_NAME = 100
MAX_IDENTIFIER = 100
MAX_DISPLAY_NAME = 250
MAX_KEY = 100
MAX_VALUE_DIGITS = 15
MAX_STREAM_EVENTS = 100
DEFAULT_CUSTOMER_KEY = "stripe_customer_id"
DEFAULT_VALUE_KEY = "value"

_DIGITS = re.compile(r"^[0-9]+$")
_DECIMAL = re.compile(r"^-?[0-9]*\.?[0-9]+$")


def event_refused(code: str, message: str, param: str) -> InvalidRequest:
    """A meter event Stripe's validation refuses: `invalid_request_error` with the code
    Stripe's error reports name (SDK `v1.billing.meter.error_report_triggered`)."""
    return InvalidRequest(message, param=param, code=code)


class NamedNothing(NotFound):
    """An event naming no meter, or no customer: exit 6 as any name of nothing, but
    HTTP 400 as Stripe answers a payload it cannot map."""

    http_status = 400


def check_text(value: str | None, param: str, limit: int, *, required: bool = True) -> str:
    """A required (or given) text parameter of at most `limit` characters."""
    if value is None or value == "":
        if required:
            raise InvalidRequest(f"Missing required param: {param}.", param=param)
        return ""
    if len(value) > limit:
        raise InvalidRequest(
            f"Invalid {param}: must be at most {limit} characters (it has {len(value)})",
            param=param,
        )
    return value


def parse_value(text: object, param: str) -> int:
    """A payload value: a whole number of units, 0 or more, at most 15 digits."""
    shown = str(text)
    if isinstance(text, bool) or not isinstance(text, str | int | float):
        raise event_refused(
            "meter_event_invalid_value", f"Invalid {param}: '{shown}' is not a number", param
        )
    digits = shown.strip()
    if not _DIGITS.match(digits):
        why = (
            "it cannot be negative"
            if digits.startswith("-") and _DECIMAL.match(digits)
            else "usage is a whole number of units (send 1500 MB rather than 1.5 GB)"
            if _DECIMAL.match(digits)
            else "it is not a number"
        )
        raise event_refused(
            "meter_event_invalid_value", f"Invalid {param}: '{shown}' ({why})", param
        )
    if len(digits.lstrip("0")) > MAX_VALUE_DIGITS:
        raise event_refused(
            "meter_event_value_too_many_digits",
            f"Invalid {param}: the value in the event payload can have at most "
            f"{MAX_VALUE_DIGITS} digits. Received {shown}",
            param,
        )
    return int(digits)


def timestamp_window(now: int) -> tuple[int, int]:
    """The timestamps an event may carry at `now`: 35 days back to 5 minutes ahead."""
    return now - PAST_S, now + FUTURE_S


def check_timestamp(
    timestamp: int, now: int, param: str = "timestamp", clock: str | None = None
) -> int:
    """`timestamp` within the window of `now`, the instant of the clock the event's
    customer lives on (`clock`, a test clock's id; None for the ledger clock)."""
    oldest, latest = timestamp_window(now)
    named = "the ledger clock" if clock is None else f"its customer's test clock {clock}"
    if timestamp < oldest:
        raise event_refused(
            "timestamp_too_far_in_past",
            f"Invalid {param}: {moment(timestamp)} is more than 35 days before {named} "
            f"({moment(now)}); events must be within the past 35 days",
            param,
        )
    if timestamp > latest:
        raise event_refused(
            "timestamp_in_future",
            f"Invalid {param}: {moment(timestamp)} is more than 5 minutes after {named} "
            f"({moment(now)})",
            param,
        )
    return timestamp


def week_of(timestamp: int) -> int:
    """The epoch week a run of events is filed under (runs never span two)."""
    return timestamp // WEEK_S


# An event ready to be written, as a file's plain line reads (the store maps the event
# name to its meter, and SQLite reads value and timestamp as integers):
# (event name, customer id, value, identifier, timestamp).
Row = tuple[str, str, "str | int", str, "str | int"]
_NAME, _CUSTOMER, _TIMESTAMP = itemgetter(0), itemgetter(1), itemgetter(4)


def arrange(rows: list[Row]) -> list[Row]:
    """`rows` in the order they are written: each customer's events of each meter and
    week together, in the order given (stable sorts; by week only when the batch spans
    two), so that a run, one meter's events of one customer in one epoch week of one
    batch, takes consecutive seqs."""
    ordered = list(rows)
    low, high = _span(ordered)
    if low // WEEK_S != high // WEEK_S:
        ordered.sort(key=lambda row: int(row[4]) // WEEK_S)
    if len(set(map(_NAME, ordered))) > 1:
        ordered.sort(key=_NAME)
    ordered.sort(key=_CUSTOMER)
    return ordered


def _span(rows: list[Row]) -> tuple[int, int]:
    """The least and greatest timestamp of `rows` (compared as text when every one is
    ten digits, as a file's are: a tenth of the cost of reading each as a number)."""
    stamps = list(map(_TIMESTAMP, rows))
    try:
        if set(map(len, stamps)) == {10}:
            return int(min(stamps)), int(max(stamps))
    except TypeError:  # numbers already (one event, or a file's lines one by one)
        pass
    numbers = list(map(int, stamps))
    return min(numbers), max(numbers)


@dataclass(frozen=True)
class Accepting:
    """The active meters a batch of events may name, by event name (with their seqs)."""

    meters: Mapping[str, tuple[int, Meter]]


# Where a customer lives in time: its clock's instant, and that clock (a test clock's
# id; None for the ledger clock). An event is checked and dated in its customer's time.
CustomerTime = tuple[int, "str | None"]


def accept(
    checks: Accepting,
    event_name: object,
    payload: object,
    timestamp: object,
    customer_time: Callable[[str], CustomerTime | None],
    *,
    inactive: Callable[[str], bool] = lambda name: False,
) -> tuple[Meter, str, int, int]:
    """One event checked as Stripe validates it: (meter, customer id, timestamp, value),
    or the error with the code Stripe reports it by. `customer_time` says where a live
    customer lives in time (None: no such customer): the event's timestamp defaults to
    its clock's instant and must lie in that instant's window."""
    name = check_text(event_name if isinstance(event_name, str) else None, "event_name",
                      MAX_EVENT_NAME)  # fmt: skip
    found = checks.meters.get(name)
    if found is None:
        if inactive(name):
            raise event_refused(
                "archived_meter",
                f"Invalid event_name: the meter of '{name}' is inactive; reactivate it to "
                "record events",
                "event_name",
            )
        raise NamedNothing(
            "meter",
            name,
            param="event_name",
            message=f"No active meter has the event name '{name}'",
            code="no_meter",
        )
    _, meter = found
    if not isinstance(payload, Mapping):
        raise InvalidRequest("Missing required param: payload.", param="payload")
    customer_id = payload.get(meter.customer_key)
    if customer_id is None or customer_id == "":
        raise event_refused(
            "meter_event_no_customer_defined",
            f"Customer mapping key {meter.customer_key} not found in payload.",
            f"payload[{meter.customer_key}]",
        )
    customer = str(customer_id)
    lives = customer_time(customer)
    if lives is None:
        raise NamedNothing(
            "customer",
            str(customer_id),
            param=f"payload[{meter.customer_key}]",
            code="meter_event_customer_not_found",
        )
    value = _value(meter, payload.get(meter.value_key), f"payload[{meter.value_key}]")
    now, clock = lives
    when = _instant(timestamp, now)
    if not now - PAST_S <= when <= now + FUTURE_S:
        check_timestamp(when, now, clock=clock)
    return meter, customer, when, value


def _value(meter: Meter, raw: object, param: str) -> int:
    """The event's value; a `count` meter counts events and reads none (0 is kept)."""
    if meter.formula == "count":
        try:
            return 0 if raw is None else parse_value(raw, param)
        except InvalidRequest:
            return 0
    if raw is None:
        raise event_refused(
            "meter_event_invalid_value", f"Value key {meter.value_key} not found in payload.", param
        )
    return parse_value(raw, param)


def _instant(timestamp: object, now: int) -> int:
    """An event's time: unix seconds (a number or digits), or an ISO 8601 time (v2 and
    files); now when absent."""
    if timestamp is None or timestamp == "":
        return now
    if isinstance(timestamp, int) and not isinstance(timestamp, bool):
        return timestamp
    if isinstance(timestamp, str):
        return parse_instant(timestamp, param="timestamp")
    raise InvalidRequest(
        f"Invalid timestamp: '{timestamp}' is neither unix seconds nor an ISO 8601 time",
        param="timestamp",
    )


def check_identifier(identifier: Any) -> str | None:
    """A given identifier (up to 100 characters); None when absent (one is made)."""
    if identifier is None or identifier == "":
        return None
    if not isinstance(identifier, str):
        raise InvalidRequest("Invalid identifier: it must be text", param="identifier")
    return check_text(identifier, "identifier", MAX_IDENTIFIER)


def _latest(
    current: tuple[int, int, int] | None, candidate: tuple[int, int, int]
) -> tuple[int, int, int]:
    return candidate if current is None or candidate[:2] > current[:2] else current


@dataclass
class Tally:
    """What events add up to under one formula, from whole runs and single events."""

    events: int = 0
    total: int = 0
    latest: tuple[int, int, int] | None = None  # (timestamp, seq, value)

    def add_run(self, run: Run) -> None:
        self.events += run.events
        self.total += run.total
        if run.latest_seq is not None:
            assert run.latest_timestamp is not None and run.latest_value is not None
            self.latest = _latest(
                self.latest, (run.latest_timestamp, run.latest_seq, run.latest_value)
            )

    def add(self, timestamp: int, seq: int, value: int) -> None:
        self.events += 1
        self.total += value
        self.latest = _latest(self.latest, (timestamp, seq, value))

    def value(self, formula: str) -> int:
        if formula == "count":
            return self.events
        if formula == "last":
            return 0 if self.latest is None else self.latest[2]
        return self.total


@dataclass
class Windowed:
    """A pre-aggregated meter's events: only the latest of each time window counts."""

    width: int
    windows: dict[int, tuple[int, int, int]] = field(default_factory=dict)

    def add(self, timestamp: int, seq: int, value: int) -> None:
        key = timestamp // self.width
        self.windows[key] = _latest(self.windows.get(key), (timestamp, seq, value))

    def add_run(self, run: Run) -> None:
        assert run.latest_timestamp is not None and run.latest_seq is not None
        assert run.latest_value is not None
        self.add(run.latest_timestamp, run.latest_seq, run.latest_value)

    def value(self, formula: str) -> int:
        tally = Tally()
        for timestamp, seq, value in self.windows.values():
            tally.add(timestamp, seq, value)
        return tally.value(formula)


Event = tuple[int, int, int]  # (timestamp, seq, value) of an event not canceled


def needs_latest(meter: Meter) -> bool:
    """Whether a meter's runs keep their latest event (the rest only add up)."""
    return meter.formula == "last" or meter.event_time_window is not None


def windows_of(start: int, end: int, grouping: str | None) -> list[tuple[int, int]]:
    """The summary windows of [start, end): one, or each hour or UTC day."""
    if grouping is None:
        return [(start, end)]
    width = WINDOW_S[grouping]
    return [(at, min(at + width, end)) for at in range(start, end, width)]


def summarize(
    meter: Meter,
    windows: Sequence[tuple[int, int]],
    runs: Iterable[Run],
    events_of: Callable[[Run], Iterable[Event]],
) -> list[int]:
    """The aggregated value of each window (consecutive, ascending), from the runs that
    overlap them: a run inside one window (and one pre-aggregation window) counts whole,
    the events of any other are read (`events_of`) and counted one by one."""
    if not windows:
        return []
    start, end = windows[0][0], windows[-1][1]
    width = WINDOW_S[meter.event_time_window] if meter.event_time_window else None
    tallies: list[Tally | Windowed] = [
        Tally() if width is None else Windowed(width) for _ in windows
    ]
    bounds = [w[0] for w in windows]

    def window_of(timestamp: int) -> int:
        return _bisect(bounds, timestamp)

    for run in runs:
        first, last = run.first_timestamp, run.last_timestamp
        if last < start or first >= end:
            continue
        index = window_of(first)
        whole = (
            first >= start
            and last < end
            and index == window_of(last)
            and (width is None or first // width == last // width)
            and (run.events == 0 or width is None or run.latest_seq is not None)
        )
        if whole:
            if run.events:
                tallies[index].add_run(run)
            continue
        for timestamp, seq, value in events_of(run):
            if start <= timestamp < end:
                tallies[window_of(timestamp)].add(timestamp, seq, value)
    return [tally.value(meter.formula) for tally in tallies]


def _bisect(bounds: Sequence[int], timestamp: int) -> int:
    low, high = 0, len(bounds)
    while high - low > 1:
        middle = (low + high) // 2
        if bounds[middle] <= timestamp:
            low = middle
        else:
            high = middle
    return low


def counted_since(meter: Meter, start: int, earlier: Sequence[InvoiceItem]) -> int:
    """Where a usage line starting at `start` counts its meter's events from, after the
    cycle's `earlier` lines at its price: its own start for `sum` and `count` (an amount
    used up), the first of those lines' start for `last` (a level: the one an earlier
    line billed holds until an event changes it, so a span without events keeps it)."""
    if meter.formula != "last":
        return start
    return min([start, *(int(line.period_start or start) for line in earlier)])


def usage_charge(
    meter: Meter, price: Price, counted: int, earlier: Sequence[InvoiceItem], currency: str
) -> tuple[int, int]:
    """(quantity, amount) of a usage line whose meter `counted` this much from
    `counted_since`, after the cycle's `earlier` lines at its price: tiers continue from
    those (the cycle's usage so far is priced, less what they billed). For `sum` and
    `count` the cycle's usage is theirs plus this line's; for `last` it is the level."""
    before_amount = sum(line.amount for line in earlier)
    if meter.formula == "last":
        cycle_usage = counted
    else:
        cycle_usage = sum(line.quantity for line in earlier) + counted
    return counted, amount_for(price, cycle_usage, currency) - before_amount


def check_summary_range(start: int, end: int, grouping: str | None) -> None:
    """Facts C.4: minute boundaries, hour or UTC day boundaries when grouped, end after
    start."""
    step, unit = (WINDOW_S[grouping], grouping) if grouping else (60, "minute")
    boundary = {"minute": "a minute", "hour": "an hour", "day": "a UTC day"}[unit]
    why = f" (summaries by {grouping})" if grouping else ""
    for name, value in (("start_time", start), ("end_time", end)):
        if value % step:
            raise InvalidRequest(
                f"Invalid {name}: {moment(value)} is not on {boundary} boundary{why}",
                param=name,
            )
    if end <= start:
        raise InvalidRequest("Invalid end_time: it must be after start_time", param="end_time")
