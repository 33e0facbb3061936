"""Products and their prices."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Product:
    id: str
    created: int
    updated: int
    name: str
    active: bool = True
    description: str | None = None
    unit_label: str | None = None
    statement_descriptor: str | None = None
    url: str | None = None
    shippable: bool | None = None
    default_price: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    deleted: bool = False
    type: str = "service"  # the legacy good | service
    images: list[str] = field(default_factory=list)
    marketing_features: list[dict[str, str]] = field(default_factory=list)
    package_dimensions: dict[str, Any] | None = None


@dataclass(frozen=True)
class Price:
    """A price of a product; its amounts never change once it exists."""

    id: str
    product: str
    created: int
    currency: str
    active: bool = True
    type: str = "one_time"
    billing_scheme: str = "per_unit"
    unit_amount: int | None = None
    tiers_mode: str | None = None
    tiers: list[dict[str, Any]] | None = None
    interval: str | None = None
    interval_count: int = 1
    lookup_key: str | None = None
    nickname: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    # Its amounts in other currencies: {currency: {"unit_amount": …, "tiers": […]}}.
    currency_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    transform_quantity: dict[str, Any] | None = None  # {"divide_by": n, "round": up|down}
    trial_period_days: int | None = None  # what `trial_from_plan` gives a subscription
    # Stripe Tax's setting: shown and kept, never used by manual tax rates.
    tax_behavior: str = "unspecified"
    usage_type: str = "licensed"
    meter: str | None = None  # a metered price's meter (mtr_…)
    deleted: bool = False  # a deleted plan: no new use, existing ones go on

    @property
    def metered(self) -> bool:
        return self.usage_type == "metered"
