"""The invariants of tax: what every invoice and credit note carries adds up.

An invoice's tax per rate is the sum of its lines' (and its total is its subtotal less
its discounts plus its exclusive tax); each taxed line's tax is what its rates make of
its amount after discounts; a credit note's tax is its lines' and never takes back more
of a rate than its invoice charged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from billcli.core.ledger import Problem
from billcli.core.tax import Rate, TaxAmount, exclusive, line_taxes, loaded, summed


def _by_rate(amounts: Iterable[TaxAmount]) -> dict[str, tuple[int, int, bool]]:
    return {t.tax_rate: (t.amount, t.taxable_amount, t.inclusive) for t in amounts}


def check_sums(
    owner: str, stored: Sequence[Mapping[str, Any]], lines: Iterable[TaxAmount]
) -> list[Problem]:
    """An invoice's or a credit note's tax per rate is its lines' summed."""
    if _by_rate(loaded(stored)) != _by_rate(lines):
        return [Problem(owner, "its tax per rate differs from the sum of its lines' tax")]
    return []


def check_total(
    owner: str, subtotal: int, discount: int, total: int, stored: Sequence[Mapping[str, Any]]
) -> list[Problem]:
    """Its total is its subtotal less its discounts plus its exclusive tax."""
    added = exclusive(loaded(stored))
    if total != subtotal - discount + added:
        return [
            Problem(
                owner,
                f"total {total} differs from subtotal {subtotal} less its lines' discounts "
                f"({discount}) plus its exclusive tax ({added})",
            )
        ]
    return []


def check_line(
    owner: str, line: str, base: int, stored: Sequence[Mapping[str, Any]], rates: Sequence[Rate]
) -> list[Problem]:
    """A line's tax is what its rates make of `base` (its amount after discounts)."""
    if loaded(stored) != line_taxes(base, rates):
        return [Problem(owner, f"line {line}'s tax is not what its tax rates make of it")]
    return []


def check_credited(
    invoice: str, charged: Sequence[Mapping[str, Any]], credited: Iterable[Iterable[TaxAmount]]
) -> list[Problem]:
    """The invoice's issued credit notes take back no more of a rate than it charged."""
    taken = {t.tax_rate: t.amount for t in summed(credited)}
    problems = []
    for t in loaded(charged):
        back = taken.pop(t.tax_rate, 0)
        if abs(back) > abs(t.amount) or (back and (back > 0) != (t.amount > 0)):
            problems.append(
                Problem(
                    invoice,
                    f"its credit notes take back {back} of {t.tax_rate}'s tax; it charged "
                    f"{t.amount}",
                )
            )
    problems += [
        Problem(invoice, f"its credit notes take back {back} of {rate}, which it never charged")
        for rate, back in taken.items()
        if back
    ]
    return problems
