"""Property: an invoice's tax is the sum of its lines' tax, each line and rate rounded
half away from zero as Stripe rounds it (never the rounding of a sum), with the total
its subtotal less its discounts plus its exclusive tax; and a whole invoice credited
line by line takes back exactly that tax. Recomputed here with `decimal`, on invoices
made through the services on a real ledger."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billcli.core.pagination import PageRequest
from billcli.services.customers import customers
from billcli.services.customers.customers import CustomerInput
from billcli.services.invoicing import credit_notes, invoices, items, lifecycle
from billcli.services.invoicing.credit_notes import CreditNoteInput
from billcli.services.invoicing.invoices import InvoiceInput
from billcli.services.invoicing.items import ItemInput
from billcli.services.queries.check import check
from billcli.services.taxes import rates as tax_rates
from billcli.services.taxes.rates import TaxRateInput
from billcli.store.ledger import Ledger
from tests.taxes.conftest import exclusive_tax, inclusive_taxes

percentages = st.decimals(min_value=0, max_value=100, places=4).map(str)
rate_sets = st.lists(st.tuples(percentages, st.booleans()), min_size=1, max_size=3)
lines = st.lists(
    st.tuples(st.integers(-20_000, 200_000).filter(bool), st.lists(st.integers(0, 2), max_size=2)),
    min_size=1,
    max_size=6,
)


def _expected(amount: int, rates: list[tuple[str, bool]]) -> list[int]:
    """Stripe's rule, apart from billcli's: inclusive rates carved out together, each
    rounded, then exclusive ones on what is left."""
    inside = [p for p, inclusive in rates if inclusive]
    carved = iter(inclusive_taxes(amount, inside))
    net = amount - sum(inclusive_taxes(amount, inside))
    return [next(carved) if inclusive else exclusive_tax(net, p) for p, inclusive in rates]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rates=rate_sets, made=lines)
def test_an_invoices_tax_is_its_lines_tax_each_rounded_as_stripe_rounds_it(rates, made):
    with tempfile.TemporaryDirectory() as folder:
        ledger = Ledger(Path(folder) / "ledger.db")
        try:
            _check_one(ledger, rates, made)
        finally:
            ledger.close()


def _check_one(ledger: Ledger, rates: list[tuple[str, bool]], made: list) -> None:
    ids = [
        tax_rates.create(
            ledger,
            TaxRateInput(display_name=f"R{n}", percentage=p, inclusive=inclusive),
        )["id"]
        for n, (p, inclusive) in enumerate(rates)
    ]
    customer = customers.create(ledger, CustomerInput(name="Ada", currency="usd"))["id"]
    expected: dict[str, int] = {}
    subtotal = exclusive_total = 0
    for amount, picks in made:
        own = sorted({min(i, len(ids) - 1) for i in picks})
        chosen = [rates[i] for i in own] if own else rates  # none: the invoice's defaults
        named = [ids[i] for i in own] if own else ids
        data = ItemInput(
            customer=customer, amount=str(amount), tax_rates=tuple(ids[i] for i in own)
        )
        items.create(ledger, data)
        for rate_id, tax, (_, inclusive) in zip(named, _expected(amount, chosen), chosen,
                                                strict=True):  # fmt: skip
            expected[rate_id] = expected.get(rate_id, 0) + tax
            exclusive_total += 0 if inclusive else tax
        subtotal += amount
    draft = invoices.create(
        ledger,
        InvoiceInput(customer=customer, pending_items="include", default_tax_rates=tuple(ids)),
    )
    shown = {t["tax_rate"]: t["amount"] for t in draft["total_tax_amounts"]}
    assert shown == expected
    assert draft["tax"] == sum(expected.values())
    assert draft["total"] == subtotal + exclusive_total
    assert draft["total_excluding_tax"] == draft["total"] - draft["tax"]
    if draft["total"] > 0 and all(amount > 0 for amount, _ in made):
        _credit_everything(ledger, draft["id"], expected)
    assert check(ledger) == []


def _credit_everything(ledger: Ledger, invoice: str, charged: dict[str, int]) -> None:
    """Every line credited in two parts: the credit notes take back each rate's tax."""
    lifecycle.finalize(ledger, invoice)
    lifecycle_lines = invoices.lines(ledger, invoice, PageRequest(100)).data
    taken: dict[str, int] = {}
    for line in lifecycle_lines:
        first = max(1, int(Decimal(line["amount"]) / 3))
        for part in (first, line["amount"] - first):
            if part <= 0:
                continue
            note = credit_notes.create(
                ledger, CreditNoteInput(invoice=invoice, lines=(f"{line['id']}:{part}",))
            )
            for t in note["tax_amounts"]:
                taken[t["tax_rate"]] = taken.get(t["tax_rate"], 0) + t["amount"]
    assert {r: a for r, a in taken.items() if a} == {r: a for r, a in charged.items() if a}
