"""Writing meter events: what every way in (one event, a stream, a file) shares.

A batch is checked against the active meters and the clock (`accepting`), arranged in
runs (`core.meters.arrange`) and appended; identifiers already taken are skipped and
named. Subscriptions with a billing threshold then look at the usage of the customers
the batch touched.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def append(tx: Tx, rows: list[Row], checks: Accepting) -> list[str]:
    """Write `rows` (checked against `checks`) as runs; the identifiers skipped because
    an event (earlier, or earlier in `rows`) already carries them, in order."""
    if not rows:
        return []
    if _written(tx, rows, checks):
        return []
    taken = tx.meter_events.taken([row[3] for row in rows])
    kept, skipped = [], []
    for row in rows:
        if row[3] in taken:
            skipped.append(row[3])
        else:
            taken.add(row[3])
            kept.append(row)
    if kept:
        written = _written(tx, kept, checks)
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
