"""The ledger's objects as plain immutable values, as the store hands them over."""

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
class PaymentMethod:
    id: str
    customer: str
    created: int
    test_name: str
    brand: str
    last4: str


@dataclass(frozen=True)
class Event:
    id: str
    created: int
    type: str
    object: dict[str, Any]
    previous_attributes: dict[str, Any] | None = None
    idempotency_key: str | None = None


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


@dataclass(frozen=True)
class Email:
    id: str
    created: int
    to: str
    subject: str
    body: str
    invoice: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class PortalConfiguration:
    id: str
    created: int
    updated: int
    active: bool
    is_default: bool
    business_profile: dict[str, Any]
    features: dict[str, Any]
    default_return_url: str | None = None
    login_secret: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PortalSession:
    """A session as kept: hashes of its URL secret and cookie, never the secrets."""

    id: str
    created: int
    customer: str
    configuration: str
    secret_hash: str
    locale: str | None = None
    return_url: str | None = None
    visited_at: int | None = None
    cookie_hash: str | None = None


@dataclass(frozen=True)
class WebhookEndpoint:
    id: str
    created: int
    url: str
    enabled_events: str  # comma-separated types, or "*"
    secret: str
    status: str = "enabled"
    description: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    previous_secret: str | None = None
    previous_secret_expires_at: int | None = None
    deleted: bool = False

    @property
    def events(self) -> list[str]:
        return self.enabled_events.split(",")


@dataclass(frozen=True)
class WebhookDelivery:
    """One event on its way to one endpoint: pending until it succeeds or gives up."""

    seq: int
    event: str
    endpoint: str
    created: int
    state: str = "pending"
    attempts: int = 0
    next_attempt_at: int | None = None
    first_attempt_at: int | None = None
    finished_at: int | None = None
    lease_until: float | None = None
    invoice: str | None = None


@dataclass(frozen=True)
class WebhookAttempt:
    event: str
    endpoint: str
    created: int
    duration_ms: int
    status_code: int | None = None
    error: str | None = None
    response_excerpt: str | None = None
