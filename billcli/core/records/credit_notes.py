"""Credit notes and their lines."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CreditNote:
    """A credit note: money taken off a finalized invoice, before or after payment."""

    id: str
    invoice: str
    customer: str
    created: int
    number: str
    currency: str
    type: str  # pre_payment | post_payment
    subtotal: int
    discount_amount: int
    total: int
    status: str = "issued"
    reason: str | None = None
    memo: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    credit_amount: int = 0
    customer_balance_transaction: str | None = None
    refund_amount: int = 0
    refund: str | None = None
    out_of_band_amount: int = 0
    discount: str | None = None  # the invoice's discount its discount_amount comes from
    voided_at: int | None = None
    effective_at: int | None = None  # the date of issue it prints, when not `created`


@dataclass(frozen=True)
class CreditNoteLine:
    """What a credit note credits: part of an invoice line, or an amount of its own."""

    id: str
    credit_note: str
    created: int
    type: str  # invoice_line_item | custom_line_item
    amount: int
    discount_amount: int = 0
    invoice_line_item: str | None = None
    quantity: int | None = None
    unit_amount: int | None = None
    description: str | None = None
