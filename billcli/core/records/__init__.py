"""The ledger's objects as plain immutable values, as the store hands them over.

One module per area, so a command loads only the records it reads (each frozen
dataclass costs about a millisecond to create at import).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Customer:
    id: str
    created: int
    name: str | None = None
    email: str | None = None
    description: str | None = None
    phone: str | None = None
    currency: str | None = None
    balance: int = 0
    invoice_prefix: str | None = None
    next_invoice_sequence: int = 1
    default_payment_method: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    deleted: bool = False
    discount: str | None = None  # the live discount (di_…) of its coupon
    default_source: str | None = None  # a card source (card_…), the legacy default
    address: dict[str, Any] | None = None
    shipping: dict[str, Any] | None = None
    preferred_locales: list[str] = field(default_factory=list)
    tax_exempt: str = "none"
    business_name: str | None = None
    individual_name: str | None = None
    # `invoice_settings`: what the customer's invoices print unless they say otherwise.
    invoice_custom_fields: list[dict[str, str]] = field(default_factory=list)
    invoice_footer: str | None = None
    invoice_rendering: dict[str, Any] | None = None
    test_clock: str | None = None  # the clock it lives on (None: the ledger clock), for good


@dataclass(frozen=True)
class BalanceTransaction:
    id: str
    customer: str
    created: int
    amount: int
    currency: str
    ending_balance: int
    type: str
    description: str | None = None
    invoice: str | None = None
    credit_note: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    id: str
    created: int
    type: str
    object: dict[str, Any]
    previous_attributes: dict[str, Any] | None = None
    idempotency_key: str | None = None
    request_id: str | None = None  # the API request that caused it (`request.id`)
