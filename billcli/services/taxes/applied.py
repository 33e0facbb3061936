"""Which rates tax a line, and a draft's money once discounted and taxed (reads only).

Stripe's precedence: a line's own `tax_rates` (an invoice item's, a subscription item's,
a proration's), else its invoice's `default_tax_rates` (a subscription's invoice takes
the subscription's). Discounts come first: each line is taxed on its amount less its own
(item-level) discounts and the invoice discount's share of it (`core.tax`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from billcli.core.records.invoices import Invoice, InvoiceItem
from billcli.core.tax import Totals, kept, line_taxes, summed
from billcli.services.discounts.applicable import discounted
from billcli.services.taxes.rates import arithmetic
from billcli.store.ledger import Tx


def effective(line: InvoiceItem, defaults: Sequence[str]) -> list[str]:
    """The rates that tax a line: its own when it has them set, else the invoice's
    defaults."""
    return list(defaults if line.tax_rates is None else line.tax_rates)


def taxed(tx: Tx, invoice: Invoice, lines: list[InvoiceItem]) -> tuple[Invoice, list[InvoiceItem]]:
    """The discounted draft with its tax and total, and its lines with the tax each rate
    made on them."""
    wanted = {r for line in lines for r in effective(line, invoice.default_tax_rates)}
    rates = {r.id: r for r in arithmetic(tx, sorted(wanted))}
    per_line, out = [], []
    for line in lines:
        ids = effective(line, invoice.default_tax_rates)
        amounts = line_taxes(line.net_amount - line.discount_amount, [rates[i] for i in ids])
        per_line.append(amounts)
        stored = kept(amounts)
        out.append(line if line.tax_amounts == stored else replace(line, tax_amounts=stored))
    totals = Totals(invoice.subtotal, sum(line.discount_amount for line in lines), summed(per_line))
    return replace(
        invoice,
        tax_amounts=kept(totals.taxes),
        total=totals.total,
        amount_due=max(0, totals.total),
    ), out


def totalled(
    tx: Tx, invoice: Invoice, lines: list[InvoiceItem]
) -> tuple[Invoice, list[InvoiceItem]]:
    """A draft's money from its lines: discounts, then tax."""
    draft, priced = discounted(tx, invoice, lines)
    return taxed(tx, draft, priced)
