"""Invoices, their items, payment attempts and the emails billcli writes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class InvoiceItem:
    id: str
    customer: str
    created: int
    amount: int
    currency: str
    quantity: int = 1
    unit_amount: int | None = None
    description: str | None = None
    invoice: str | None = None
    line_id: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    # A subscription's line ("subscription") or an item ("invoiceitem"), and what it
    # bills for: the price, the subscription and its item, the period, a proration.
    type: str = "invoiceitem"
    price: str | None = None
    subscription: str | None = None
    subscription_item: str | None = None
    proration: bool = False
    period_start: int | None = None
    period_end: int | None = None
    discount_amount: int = 0  # what the invoice's discount takes off this line
    # A proration's amount is net of the subscription's discount (it takes no invoice
    # discount): which discount, and what it took off.
    proration_discount: str | None = None
    proration_discount_amount: int = 0

    @property
    def discountable(self) -> bool:
        return self.amount >= 0 and not self.proration

    @property
    def unit_price(self) -> int | None:
        """Its price per unit: an item made with an amount is one unit at that amount, as
        Stripe shows it (`unit_amount` = `amount`, quantity 1)."""
        if self.unit_amount is None and self.quantity == 1:
            return self.amount
        return self.unit_amount


@dataclass(frozen=True)
class Invoice:
    id: str
    customer: str
    created: int
    currency: str
    collection_method: str = "charge_automatically"
    status: str = "draft"
    auto_advance: bool = True
    days_until_due: int | None = None
    due_date: int | None = None
    description: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    number: str | None = None
    subtotal: int = 0
    total: int = 0
    amount_due: int = 0
    amount_paid: int = 0
    starting_balance: int | None = None
    ending_balance: int | None = None
    attempt_count: int = 0
    attempted: bool = False
    next_payment_attempt: int | None = None
    paid_out_of_band: bool = False
    finalized_at: int | None = None
    paid_at: int | None = None
    voided_at: int | None = None
    marked_uncollectible_at: int | None = None
    page_secret: str | None = None
    customer_name: str | None = None
    customer_email: str | None = None
    customer_phone: str | None = None
    billing_reason: str = "manual"
    webhooks_delivered_at: int | None = None
    finalizes_at: int | None = None
    subscription: str | None = None
    period_start: int | None = None
    period_end: int | None = None
    # The subscription's metadata as it was when the invoice was finalized.
    subscription_metadata: dict[str, str] | None = None
    discount: str | None = None  # the discount (di_…) its lines' discount amounts are of
    pre_payment_credit_notes_amount: int = 0
    post_payment_credit_notes_amount: int = 0
    payment_intent: str | None = None  # its PaymentIntent, made at finalization
    charge: str | None = None  # the latest charge of that intent

    @property
    def amount_remaining(self) -> int:
        return self.amount_due - self.amount_paid


@dataclass(frozen=True)
class PaymentAttempt:
    invoice: str
    created: int
    payment_method: str | None
    amount: int
    succeeded: bool
    automatic: bool = False
    code: str | None = None
    decline_code: str | None = None
    payment_intent: str | None = None
    charge: str | None = None  # every attempt that reached a card made one


@dataclass(frozen=True)
class Email:
    id: str
    created: int
    to: str
    subject: str
    body: str
    invoice: str | None = None
    url: str | None = None
