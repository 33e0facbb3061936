"""`reports usage`: what each meter counted per day, week or month, over all customers.

A period's usage is the sum over customers of what the meter counted for each (their
summaries over the period): for `sum` and `count` meters the usage of the period; for
a `last` meter the sum of each customer's latest value, a level rather than a flow. Its
customers are those whose usage in it is not 0.
Periods follow the other reports' windows (`core.reports.window`).
"""

from __future__ import annotations

from typing import Any

from billcli.core.records.meters import Meter
from billcli.services.ledger.lookup import found
from billcli.services.meters.usage import meter_seq, usage
from billcli.services.queries.reports import report_head, report_window
from billcli.store.ledger import Ledger, Tx


def usage_report(
    ledger: Ledger,
    *,
    meter_id: str | None = None,
    by: str | None = None,
    start: int | None = None,
    end: int | None = None,
    end_day: bool = False,
) -> dict[str, Any]:
    """Per meter and period: the customers with usage, and the usage they add up to."""
    with ledger.read() as tx:
        span = report_window(tx, by, start, end, end_day)
        if meter_id is None:
            meters = sorted(tx.meters.with_seqs().values(), key=lambda m: (m.created, m.id))
        else:
            meters = [found(tx, "billing.meter", meter_id, tx.meters.get, param="meter")]
        periods = [
            _period(tx, meter, first, after) for meter in meters for first, after in span.periods
        ]
    report = report_head("usage", span) | {
        "meters": [_described(meter) for meter in meters],
        "periods": periods,
    }
    if not meters:
        report["note"] = "No meters: `billcli meters create` makes one"
    return report


def _period(tx: Tx, meter: Meter, first: int, after: int) -> dict[str, Any]:
    """The customers with usage in the period, and what it adds up to. The store names
    those with a run of events overlapping it, which may have none in it (a run spans
    a batch's events of a week; its canceled events stay in its span): only a customer
    whose usage in the period is not 0 counts."""
    candidates = tx.meter_events.customers_with_events(meter_seq(tx, meter), first, after)
    used = [u for u in (usage(tx, meter, customer, first, after) for customer in candidates) if u]
    return {"start": first, "end": after - 1, "meter": meter.id, "customers": len(used),
            "usage": sum(used)}  # fmt: skip


def _described(meter: Meter) -> dict[str, Any]:
    return {
        "id": meter.id,
        "display_name": meter.display_name,
        "event_name": meter.event_name,
        "formula": meter.formula,
        "status": meter.status,
    }
