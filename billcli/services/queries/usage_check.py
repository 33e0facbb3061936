"""`ledger check`'s usage half: runs against their events, usage billed once, and each
finalized usage line against what its meter counted when it was finalized."""

from __future__ import annotations

from collections.abc import Iterator

from billcli.core.ledger import Problem
from billcli.core.meter_checks import (
    billed_once,
    catalog_problems,
    orders_within_second,
    run_problems,
    usage_line_problem,
)
from billcli.core.meters import Event, counted_since
from billcli.core.records.invoices import Invoice, InvoiceItem
from billcli.store.ledger import Tx


def usage_problems(tx: Tx) -> list[Problem]:
    meters = tx.meters.with_seqs()
    by_id = {meter.id: meter for meter in meters.values()}
    prices = {p.id: p for p in tx.prices.all()}
    problems = catalog_problems(prices.values(), tx.subscription_items.all(), by_id)
    wrong = list(tx.meter_events.run_problems()) + list(tx.meter_events.latest_problems())
    named = [(meters[m].id, customer, first) for m, customer, first in wrong]
    problems += run_problems(named, tx.meter_events.coverage())
    lines = [line for line in tx.invoice_items.usage_lines() if not _voided(tx, line)]
    problems += billed_once(lines)
    for line in lines:
        invoice = _invoice(tx, line)
        if invoice is None or invoice.finalized_at is None:
            continue  # counted again when it is finalized
        price = prices[str(line.price)]
        meter = by_id[str(price.meter)]
        earlier = [
            other
            for other in lines
            if other.subscription_item == line.subscription_item
            and other.usage_cycle_start == line.usage_cycle_start
            and other.price == line.price
            and (other.period_end or 0) <= (line.period_start or 0)
        ]
        span = (
            tx.meters.seq(meter.id),
            line.customer,
            counted_since(meter, int(line.period_start or 0), earlier),
            int(line.period_end or 0),
        )
        found = usage_line_problem(
            line, price, meter, _held(tx, span, invoice.finalized_at), earlier
        )
        if found is not None:
            problems.append(found)
    return problems


def _held(tx: Tx, span: tuple[int, str, int, int], at: int) -> Iterator[list[Event]]:
    """What a usage line finalized at `at` may have counted of `span` (meter, customer,
    start, end): the events the ledger held at the end of that second; only when the line
    bills something else, the orders of the events received or canceled within it."""
    after = list(tx.meter_events.events_as_of(*span, at))
    yield after
    before = tx.meter_events.events_as_of(*span, at - 1)
    during = tx.meter_events.events_as_of(*span, at, live=at - 1)
    yield from orders_within_second(before, during, after)


def _voided(tx: Tx, line: InvoiceItem) -> bool:
    invoice = _invoice(tx, line)
    return invoice is not None and invoice.status == "void"


def _invoice(tx: Tx, line: InvoiceItem) -> Invoice | None:
    if line.invoice is None:
        return None
    memo = ("check invoice", line.invoice)
    if memo not in tx.memo:
        tx.memo[memo] = tx.invoices.get(line.invoice)
    found: Invoice | None = tx.memo[memo]
    return found
