"""Tax rates and customer tax IDs."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TaxRate:
    """A manual tax rate: its percentage and whether it is inclusive never change;
    archiving (`active` false) keeps it on whatever already uses it."""

    id: str
    created: int
    display_name: str
    percentage: float
    inclusive: bool
    active: bool = True
    country: str | None = None
    state: str | None = None
    jurisdiction: str | None = None
    tax_type: str | None = None
    description: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TaxId:
    """A customer's tax ID: its type, value and country never change (Stripe has no
    update); deleting it removes the row, as Stripe forgets it."""

    id: str
    customer: str
    created: int
    type: str
    value: str
    country: str | None
    verification_status: str
