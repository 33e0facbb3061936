"""Payment methods, payment and setup intents, charges and refunds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PaymentMethod:
    """A saved (or not yet saved) test card. Detaching is permanent, as in Stripe."""

    id: str
    customer: str | None
    created: int
    test_name: str  # the card it was made from: pm_card_visa…
    brand: str
    last4: str
    metadata: dict[str, str] = field(default_factory=dict)
    billing_details: dict[str, Any] | None = None
    set_up: bool = False  # a SetupIntent for off-session use succeeded with it
    detached_at: int | None = None
    allow_redisplay: str = "unspecified"  # whether a checkout may show it to its customer
    exp_month: int | None = None  # a card source's own expiry (else the test cards')
    exp_year: int | None = None

    @property
    def is_source(self) -> bool:
        """A card source (`card_…`, the legacy Sources API's card) rather than a `pm_`."""
        return self.id.startswith("card_")


@dataclass(frozen=True)
class Token:
    """A single-use token of a test card (`tok_…`); using it makes the card `card`."""

    id: str
    created: int
    card: str
    test_name: str
    exp_month: int | None = None
    exp_year: int | None = None
    billing_details: dict[str, Any] | None = None
    used: bool = False


@dataclass(frozen=True)
class PaymentIntent:
    """One payment: an invoice's (one per invoice, every attempt through it) or one a
    caller made. `action_secret` opens its authentication page while it waits."""

    id: str
    created: int
    amount: int
    currency: str
    status: str
    client_secret: str
    customer: str | None = None
    invoice: str | None = None
    payment_method: str | None = None
    description: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    latest_charge: str | None = None
    last_payment_error: dict[str, Any] | None = None
    action_secret: str | None = None
    off_session: bool = False  # how its pending authentication was asked for
    return_url: str | None = None
    setup_future_usage: str | None = None
    amount_received: int = 0
    canceled_at: int | None = None
    cancellation_reason: str | None = None
    shipping: dict[str, Any] | None = None
    receipt_email: str | None = None
    statement_descriptor: str | None = None
    statement_descriptor_suffix: str | None = None
    payment_method_options: dict[str, Any] | None = None
    automatic_payment_methods: dict[str, Any] | None = None
    capture_method: str = "automatic"  # or manual: a confirmation authorizes, a capture takes
    amount_capturable: int = 0  # what a capture may take while it is requires_capture
    # manual: after the customer authenticates it waits for the caller to confirm again
    confirmation_method: str = "automatic"
    authenticated: bool = False  # that challenge was completed, for the next confirmation


@dataclass(frozen=True)
class Charge:
    """One attempt to move money with a card: succeeded or failed, never changed but for
    what was refunded of it and, for an authorization (a manual-capture intent's), what
    was captured of it and when."""

    id: str
    created: int
    amount: int
    currency: str
    status: str  # succeeded | failed
    test_name: str
    customer: str | None = None
    payment_intent: str | None = None
    invoice: str | None = None
    payment_method: str | None = None
    failure_code: str | None = None
    decline_code: str | None = None
    authenticated: bool = False  # 3-D Secure was completed for it
    amount_refunded: int = 0
    description: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    receipt_email: str | None = None
    shipping: dict[str, Any] | None = None
    amount_captured: int = 0
    captured_at: int | None = None  # None: failed, or an authorization not captured
    capture_before: int | None = None  # when an authorization not captured expires

    @property
    def captured(self) -> bool:
        return self.captured_at is not None


@dataclass(frozen=True)
class Refund:
    id: str
    created: int
    amount: int
    currency: str
    charge: str
    payment_intent: str | None = None
    status: str = "succeeded"
    reason: str | None = None
    credit_note: str | None = None  # the credit note whose refund_amount it is
    metadata: dict[str, str] = field(default_factory=dict)
    # The part of an authorization let go (not captured, canceled or expired): shown as
    # a refund, as Stripe shows it, but never money collected.
    released: bool = False


@dataclass(frozen=True)
class SetupIntent:
    """Saving a card for later; a card that asks for authentication waits for it."""

    id: str
    created: int
    status: str
    usage: str
    client_secret: str
    customer: str | None = None
    payment_method: str | None = None
    description: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    last_setup_error: dict[str, Any] | None = None
    action_secret: str | None = None
    return_url: str | None = None
    cancellation_reason: str | None = None
    payment_method_options: dict[str, Any] | None = None
    automatic_payment_methods: dict[str, Any] | None = None
