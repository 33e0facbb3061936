"""`core.tax`, the one module every money path calls: Stripe's worked examples, the
credit note rules, the checks and the label, each expected value worked out by hand."""

from __future__ import annotations

import pytest

from billcli.core.tax import (
    TaxAmount,
    Totals,
    check_percentage,
    credited_taxes,
    label,
    line_taxes,
    rate_of,
    shared_taxes,
    summed,
)
from billcli.errors import InvalidRequest

VAT20 = rate_of("txr_vat", 20.0, True)
SALES = rate_of("txr_sales", 8.5, False)


def test_localstripes_check_16383_from_20000_and_minus_4900_at_8_5_percent() -> None:
    per_line = [line_taxes(20000, [SALES]), line_taxes(-4900, [SALES])]
    assert [t.amount for line in per_line for t in line] == [1700, -417]  # −416.5 → −417
    totals = Totals(20000 - 4900, 0, summed(per_line))
    assert (totals.tax, totals.total) == (1283, 16383)


def test_an_inclusive_rate_leaves_the_total_and_carves_the_tax_out() -> None:
    (tax,) = line_taxes(1000, [VAT20])
    assert tax == TaxAmount("txr_vat", 167, 833, True)  # 1000 × 20 / 120 = 166.67
    totals = Totals(1000, 0, [tax])
    assert (totals.total, totals.subtotal_excluding_tax, totals.total_excluding_tax) == (
        1000,
        833,
        833,
    )


def test_an_exclusive_rate_with_a_discount_taxes_what_the_discount_leaves() -> None:
    (tax,) = line_taxes(1000 - 100, [rate_of("txr_x", 20.0, False)])
    totals = Totals(1000, 100, [tax])
    assert (tax.amount, totals.total, totals.total_excluding_tax) == (180, 1080, 900)


def test_two_inclusive_rates_share_their_carve_and_an_exclusive_one_taxes_the_rest() -> None:
    rates = [rate_of("a", 10.0, True), rate_of("b", 5.0, True), rate_of("c", 8.0, False)]
    # 1000 × 10/115 = 86.96 → 87; 1000 × 5/115 = 43.48 → 43; net 870; 870 × 8% = 69.6 → 70
    assert [(t.amount, t.taxable_amount) for t in line_taxes(1000, rates)] == [
        (87, 870),
        (43, 870),
        (70, 870),
    ]


def test_a_partial_credit_rounds_its_own_tax_and_the_last_one_takes_what_is_left() -> None:
    rate = rate_of("x", 20.0, False)
    charged = line_taxes(1000, [rate])
    first = credited_taxes([rate], 333, charged, {}, completes=False)
    assert [t.amount for t in first] == [67]  # 66.6
    last = credited_taxes([rate], 667, charged, {"x": 67}, completes=True)
    assert [t.amount for t in last] == [133]  # not 667 × 20% = 133.4 by rounding: the rest
    never_more = credited_taxes([rate], 5, charged, {"x": 199}, completes=False)
    assert [t.amount for t in never_more] == [1]  # 5 × 20% = 1, within the 1 left


def test_a_credit_of_an_amount_takes_its_share_of_each_rate() -> None:
    left = [TaxAmount("v", 200, 1000, False), TaxAmount("i", 50, 1000, True)]
    half = shared_taxes(left, 1200, 600)
    assert [(t.amount, t.taxable_amount) for t in half] == [(100, 475), (25, 475)]
    assert [t.amount for t in shared_taxes(left, 1200, 1200)] == [200, 50]


@pytest.mark.parametrize("value", ["100.5", "-1", "7.12345", "ten", "1e2", ""])
def test_a_percentage_is_0_to_100_with_at_most_four_decimals(value: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        check_percentage(value)
    assert refused.value.param == "percentage"


def test_the_label_reads_as_on_an_invoice() -> None:
    assert check_percentage("100") == 100.0 and check_percentage("0.0001") == 0.0001
    assert label("VAT", 20.0, True) == "VAT 20% (inclusive)"
    assert label("Sales tax", 8.875, False) == "Sales tax 8.875%"
