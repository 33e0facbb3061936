"""`ledger check`'s usage half: runs against their events, usage billed once, and each
finalized usage line against what its meter counted when it was finalized."""

from __future__ import annotations

from billcli.core.ledger import Problem
from billcli.core.meter_checks import (
    billed_once,
    catalog_problems,
    run_problems,
    usage_line_problem,
)
from billcli.core.meters import counted_since
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
        counted = tx.meter_events.events_as_of(
            tx.meters.seq(meter.id),
            line.customer,
            counted_since(meter, int(line.period_start or 0), earlier),
            int(line.period_end or 0),
            invoice.finalized_at,
        )
        found = usage_line_problem(line, price, meter, counted, earlier)
        if found is not None:
            problems.append(found)
    return problems


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
