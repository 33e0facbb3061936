"""Writing meter events: what every way in (one event, a stream, a file) shares.

A batch is checked against the active meters and the clock (`accepting`), arranged in
runs (`core.meters.arrange`) and appended; identifiers already taken are skipped and
named. Subscriptions with a billing threshold then look at the usage of the customers
the batch touched.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from billcli.core.ids import new_id
from billcli.core.meters import Accepting, Row, arrange, needs_latest
from billcli.services.subscriptions import thresholds
from billcli.store.ledger import Tx


def accepting(tx: Tx) -> Accepting:
    """The active meters and the timestamps allowed now, read once per transaction."""
    memo = ("meters", "accepting")
    if memo not in tx.memo:
        tx.memo[memo] = Accepting(tx.meters.active(), tx.now)
    found: Accepting = tx.memo[memo]
    return found


def latest_meters(checks: Accepting) -> frozenset[int]:
    """The meters whose runs keep their latest event."""
    return frozenset(seq for seq, meter in checks.meters.values() if needs_latest(meter))


def new_identifier() -> str:
    """An identifier for an event sent without one (ordered within a process, so a
    million of them append to the identifier index)."""
    return new_id("meter_event_identifier")


def append(tx: Tx, rows: Sequence[Row], latest: Collection[int]) -> list[str]:
    """Write `rows` as runs; the identifiers skipped because an event (earlier, or
    earlier in `rows`) already carries them, in order."""
    if not rows:
        return []
    if _written(tx, rows, latest):
        return []
    taken = tx.meter_events.taken([row[4] for row in rows])
    kept, skipped = [], []
    for row in rows:
        if row[4] in taken:
            skipped.append(row[4])
        else:
            taken.add(row[4])
            kept.append(row)
    if kept:
        written = _written(tx, kept, latest)
        assert written, "identifiers were free a moment ago, in the same transaction"
    return skipped


def _written(tx: Tx, rows: Sequence[Row], latest: Collection[int]) -> bool:
    ordered, runs = arrange(rows, latest)
    first = tx.meter_events.next_seq()
    if not tx.meter_events.add(ordered, tx.now):
        return False
    tx.meter_events.add_runs(runs, first)
    return True


def after_usage(tx: Tx, customers: Iterable[int]) -> None:
    """Let the touched customers' subscriptions with a billing threshold invoice early."""
    thresholds.usage_recorded(tx, customers)
