"""Invoices, their items, payment attempts and the emails billcli writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from billcli.core.discounts import discountable_by_default


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
    # `discountable` as given; None: Stripe's default (not for prorations nor credits).
    discountable_choice: bool | None = None
    # Its own discounts (from `discounts[n][coupon]`): [{"discount": di_…, "amount": cut}],
    # and what they take off it together.
    item_discounts: list[dict[str, Any]] = field(default_factory=list)
    item_discount_amount: int = 0
    # A proration's amount is net of the subscription's discount (it takes no invoice
    # discount): which discount, and what it took off.
    proration_discount: str | None = None
    proration_discount_amount: int = 0
    # Its own tax rates (None: the invoice's defaults apply; a proration's are always its
    # own, [] when what it reverses or charges was not taxed), and once on an invoice the
    # tax each rate made on it (`core.tax`: amount, taxable_amount, inclusive).
    tax_rates: list[str] | None = None
    tax_amounts: list[dict[str, Any]] = field(default_factory=list)
    # A usage line (a metered price's): the start of the subscription cycle whose usage
    # it bills part of; its tiers continue from the cycle's earlier usage lines.
    usage_cycle_start: int | None = None

    @property
    def discountable(self) -> bool:
        if self.discountable_choice is not None:
            return self.discountable_choice
        return discountable_by_default(self.amount, self.proration)

    @property
    def net_amount(self) -> int:
        """The amount less its own discounts: what invoice-level discounts apply to."""
        return self.amount - self.item_discount_amount

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
    # What it prints besides its lines (taken from the customer's invoice settings when
    # it is made, unless given), and the customer's postal details at finalization.
    custom_fields: list[dict[str, str]] = field(default_factory=list)
    footer: str | None = None
    rendering: dict[str, Any] | None = None
    customer_address: dict[str, Any] | None = None
    customer_shipping: dict[str, Any] | None = None
    customer_tax_exempt: str | None = None
    shipping_details: dict[str, Any] | None = None
    statement_descriptor: str | None = None
    effective_at: int | None = None  # the date of issue it prints, when not finalized_at
    default_payment_method: str | None = None  # charged before the customer's default
    payment_settings: dict[str, Any] | None = None
    chosen_finalization: int | None = None  # `automatically_finalizes_at`, when set
    from_invoice: str | None = None  # the invoice this one revises
    latest_revision: str | None = None  # the revision that replaced this one
    # The rates of lines without their own, and its lines' tax summed per rate.
    default_tax_rates: list[str] = field(default_factory=list)
    tax_amounts: list[dict[str, Any]] = field(default_factory=list)
    threshold_amount: int | None = None  # the billing threshold that made it
    # The customer's tax IDs at finalization ({type, value}, oldest first).
    customer_tax_ids: list[dict[str, str]] = field(default_factory=list)

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
