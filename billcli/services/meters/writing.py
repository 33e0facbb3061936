"""Writing meter events: what every way in (one event, a stream, a file) shares.

A batch is checked against the active meters (`accepting`) and, event by event, against
the clock its customer lives on (`CustomerTimes`): a test clock's customer's events are
checked, defaulted and dated (`created`) in that clock's time, as everything of that
customer is. The batch is arranged in runs (`core.meters.arrange`) and appended, a part
per clock when its customers live on several (`Tx.on_clock`: one SQL transaction, each
part in its own time); identifiers already taken are skipped and named. Subscriptions
with a billing threshold then look at the usage of the customers the batch touched,
each on its customer's clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter

from billcli.core.ids import new_id
from billcli.core.meters import Accepting, CustomerTime, Row, arrange, needs_latest
from billcli.services.subscriptions import thresholds
from billcli.store.ledger import Tx

# Customers whose clock is known, remembered across a file's chunks, forgotten past this.
CUSTOMER_CACHE = 200_000
_CUSTOMER = itemgetter(1)


def accepting(tx: Tx) -> Accepting:
    """The active meters, read once per transaction."""
    memo = ("meters", "accepting")
    if memo not in tx.memo:
        tx.memo[memo] = Accepting(tx.meters.active())
    found: Accepting = tx.memo[memo]
    return found


class CustomerTimes:
    """The live customers a batch names, each with the clock it lives on, and each
    clock's instant: read for many customers at once, and without deciding the
    transaction's clock (a batch may name customers of several)."""

    def __init__(self, tx: Tx):
        self.tx = tx
        self.clocks: dict[str, str | None] = {}
        self._instants: dict[str | None, int] = {}

    def know(self, customers: Iterable[str]) -> bool:
        """Look up those of `customers` not known yet; whether every one is live."""
        wanted = set(customers)
        missing = wanted.difference(self.clocks)
        if missing:
            if len(self.clocks) > CUSTOMER_CACHE:
                self.clocks.clear()
                missing = wanted
            self.clocks.update(self.tx.meter_events.live_customers(missing))
        return wanted.issubset(self.clocks)

    def instant(self, clock: str | None) -> int:
        if clock not in self._instants:
            self._instants[clock] = self.tx.time_of(clock)
        return self._instants[clock]

    def of(self, customer: str) -> CustomerTime | None:
        """Where a customer lives in time (`core.meters.accept` asks); None when it is
        not a live customer."""
        if not self.know([customer]):
            return None
        clock = self.clocks[customer]
        return self.instant(clock), clock

    def by_clock(self, rows: list[Row]) -> dict[str | None, list[Row]]:
        """`rows` (of live customers) by the clock their customers live on."""
        customers = set(map(_CUSTOMER, rows))
        self.know(customers)  # looked up again if forgotten since they were checked
        clocks = {self.clocks[customer] for customer in customers}
        if len(clocks) == 1:
            return {clocks.pop(): rows}
        grouped: dict[str | None, list[Row]] = {}
        for row in rows:
            grouped.setdefault(self.clocks[row[1]], []).append(row)
        return grouped


def customer_times(tx: Tx) -> CustomerTimes:
    """The transaction's `CustomerTimes`, made once."""
    memo = ("meters", "customer times")
    if memo not in tx.memo:
        tx.memo[memo] = CustomerTimes(tx)
    found: CustomerTimes = tx.memo[memo]
    return found


def latest_meters(checks: Accepting) -> frozenset[int]:
    """The meters whose runs keep their latest event."""
    return frozenset(seq for seq, meter in checks.meters.values() if needs_latest(meter))


def new_identifier() -> str:
    """An identifier for an event sent without one (ordered within a process, so a
    million of them append to the identifier index)."""
    return new_id("meter_event_identifier")


def append(tx: Tx, rows: list[Row], checks: Accepting) -> list[str]:
    """Write `rows` (checked against `checks`, their customers known to
    `customer_times`) as runs, each clock's in its part of the transaction; the
    identifiers skipped because an event (earlier, or earlier in `rows`) already
    carries them, in order."""
    if not rows:
        return []
    parts = customer_times(tx).by_clock(rows)
    if len(parts) == 1:
        ((clock, _),) = parts.items()
        if _written(tx.on_clock(clock), rows, checks):
            return []
    taken = tx.meter_events.taken([row[3] for row in rows])
    kept, skipped = [], []
    for row in rows:
        if row[3] in taken:
            skipped.append(row[3])
        else:
            taken.add(row[3])
            kept.append(row)
    for clock, part_rows in customer_times(tx).by_clock(kept).items() if kept else ():
        written = _written(tx.on_clock(clock), part_rows, checks)
        assert written, "identifiers were free a moment ago, in the same transaction"
    return skipped


def _written(tx: Tx, rows: list[Row], checks: Accepting) -> bool:
    names = meter_seqs(checks)
    first = tx.meter_events.next_seq()
    if not tx.meter_events.add(arrange(rows), names, tx.now):
        return False
    tx.meter_events.add_runs(first, latest_meters(checks))
    return True


def meter_seqs(checks: Accepting) -> dict[str, int]:
    """Each active meter's seq, by its event name."""
    return {name: seq for name, (seq, _) in checks.meters.items()}


def after_usage(tx: Tx, customers: Iterable[str]) -> None:
    """Let the touched customers' subscriptions with a billing threshold invoice early."""
    thresholds.usage_recorded(tx, customers)
