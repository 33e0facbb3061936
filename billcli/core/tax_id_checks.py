"""The invariants of customer tax IDs (`ledger check`). That each belongs to a customer
in the ledger is the foreign key's, which `ledger check` verifies of every table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from billcli.core.ledger import Problem
from billcli.core.tax_ids import MAX_PER_CUSTOMER, TYPES

if TYPE_CHECKING:
    from billcli.core.records.taxes import TaxId


def check_tax_ids(tax_ids: Iterable[TaxId]) -> list[Problem]:
    """Each tax ID has a type Stripe knows; no customer holds more than Stripe's limit."""
    problems, held = [], Counter[str]()
    for found in tax_ids:
        held[found.customer] += 1
        if found.type not in TYPES:
            problems.append(Problem(found.id, f"its type {found.type} is unknown"))
    problems += [
        Problem(customer, f"it holds {count} tax IDs, more than {MAX_PER_CUSTOMER}")
        for customer, count in held.items()
        if count > MAX_PER_CUSTOMER
    ]
    return problems
