"""PaymentIntents and SetupIntents: their statuses, what an attempt with a test card
comes to, and the errors of a call in the wrong state (notes §2, §4, §7).

Pure: the services hand in the card, whether the customer is present and whether the
card was set up, and get back what Stripe would do.
"""

from __future__ import annotations

from dataclasses import dataclass

from billcli.core.payments import TestCard
from billcli.core.portal import new_secret
from billcli.errors import InvalidRequest

PAYMENT_STATUSES = (
    "requires_payment_method",
    "requires_confirmation",
    "requires_action",
    "processing",
    "requires_capture",
    "succeeded",
    "canceled",
)
SETUP_STATUSES = (
    "requires_payment_method",
    "requires_confirmation",
    "requires_action",
    "processing",
    "canceled",
    "succeeded",
)
CONFIRMABLE = ("requires_confirmation", "requires_payment_method", "requires_action")
CANCELABLE = (
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
    "processing",
)
SETUP_CANCELABLE = ("requires_payment_method", "requires_confirmation", "requires_action")
# What a caller may give as the reason for canceling (Stripe sets the others itself).
CANCELLATION_REASONS = ("abandoned", "duplicate", "fraudulent", "requested_by_customer")
SETUP_CANCELLATION_REASONS = ("abandoned", "duplicate", "requested_by_customer")
USAGES = ("off_session", "on_session")
AUTHENTICATION_FAILED = (
    "The provided PaymentMethod has failed authentication. You can provide "
    "payment_method_data or a new PaymentMethod to attempt to fulfill this {kind} again."
)
REQUIRES_ACTION = (
    "This payment requires additional user action before it can be completed "
    "successfully. Payment can be completed using the PaymentIntent associated with the "
    "invoice: {url}"
)
# The same wait refused by `payment_behavior=error_if_incomplete`: its intent and page
# were rolled back with the rest, so it names neither.
REQUIRES_ACTION_REFUSED = (
    "This payment requires additional user action before it can be completed "
    "successfully, which payment_behavior=error_if_incomplete does not wait for: nothing "
    "was recorded. Use allow_incomplete to let the customer authenticate"
)

SUCCEEDED, FAILED, ACTION = "succeeded", "failed", "requires_action"

# `automatic_async` captures as `automatic` does (billcli keeps no balance to settle
# asynchronously); `manual` authorizes on confirmation and takes money on capture.
CAPTURE_METHODS = ("automatic", "automatic_async", "manual")
CONFIRMATION_METHODS = ("automatic", "manual")
MANUAL = "manual"
# How long an authorization not captured holds (Stripe's default for card-not-present
# payments): then the clock cancels its intent and releases it.
AUTHORIZATION_S = 7 * 86_400
EXPIRED = "automatic"  # the `cancellation_reason` of an intent whose authorization expired


def set_up_for_later(already: bool, usage: str | None) -> bool:
    """Whether a card counts as set up for off-session payments once an intent with
    `usage` (a SetupIntent's `usage`, a PaymentIntent's `setup_future_usage`) succeeded
    with it: from the first such intent for `off_session` on; nothing takes it back."""
    return already or usage == "off_session"


@dataclass(frozen=True)
class Attempt:
    """What one confirmation with a card comes to: `succeeded`, `failed` (with the
    decline's code and reason) or `requires_action` (the customer must authenticate)."""

    result: str
    code: str | None = None
    decline_code: str | None = None


def pay(
    card: TestCard,
    *,
    off_session: bool,
    set_up: bool,
    authenticated: bool,
    billing: bool,
    refuse_action: bool = False,
) -> Attempt:
    """A payment attempt. A card that needs the customer waits for them, except a plain
    off-session payment, which Stripe declines as `authentication_required` (notes §1.5),
    as it does one confirmed with `error_on_requires_action` (`refuse_action`); Billing's
    own attempts always wait (`billing`)."""
    needed = card.needs_authentication(off_session=off_session, set_up=set_up, setting_up=False)
    if needed and not authenticated:
        if (off_session or refuse_action) and not billing:
            return Attempt(FAILED, "authentication_required", "authentication_required")
        return Attempt(ACTION)
    if card.declines:
        return Attempt(FAILED, card.code, card.decline_code)
    return Attempt(SUCCEEDED)


def set_up(card: TestCard, *, authenticated: bool) -> Attempt:
    """A setup attempt: decline cards are refused at once (Stripe's 9995 declines during
    setup), 3-D Secure cards ask the customer, the others are saved. A card that declines
    only its charges (`pm_card_chargeCustomerFail`) sets up fine."""
    if not card.attachable:
        return Attempt(FAILED, card.code, card.decline_code)
    needed = card.needs_authentication(off_session=False, set_up=False, setting_up=True)
    if needed and not authenticated:
        return Attempt(ACTION)
    return Attempt(SUCCEEDED)


def require_confirmable(kind: str, intent_id: str, status: str) -> None:
    """Only an intent waiting for a payment method, a confirmation or an action can be
    confirmed (Stripe's `*_unexpected_state`)."""
    if status in CONFIRMABLE:
        return
    if status == "succeeded":
        message = (
            f"You cannot confirm this {_name(kind)} because it has already succeeded after "
            "being previously confirmed."
        )
    else:
        message = (
            f"You cannot confirm this {_name(kind)} because it has a status of {status}. Only "
            f"a {_name(kind)} with one of the following statuses may be confirmed: "
            f"{', '.join(CONFIRMABLE)}."
        )
    raise InvalidRequest(message, param="intent", code=f"{kind}_unexpected_state")


def require_cancelable(kind: str, status: str) -> None:
    allowed = CANCELABLE if kind == "payment_intent" else SETUP_CANCELABLE
    if status in allowed:
        return
    raise InvalidRequest(
        f"You cannot cancel this {_name(kind)} because it has a status of {status}. Only a "
        f"{_name(kind)} with one of the following statuses may be canceled: "
        f"{', '.join(allowed)}.",
        param="intent",
        code=f"{kind}_unexpected_state",
    )


def require_unheld(status: str, param: str) -> None:
    """A held authorization's amount, currency, customer and card are what the card
    authorized: only capturing or canceling it changes them (Stripe raises a hold only by
    incremental authorization, which billcli does not serve)."""
    if status != "requires_capture":
        return
    raise InvalidRequest(
        f"This PaymentIntent's {param} could not be updated because it has a status of "
        "requires_capture: capture or cancel the authorization first.",
        param=param,
        code="payment_intent_unexpected_state",
    )


def require_capturable(status: str) -> None:
    """Only an authorization waiting for its capture can be captured."""
    if status == "requires_capture":
        return
    raise InvalidRequest(
        f"This PaymentIntent could not be captured because it has a status of {status}. "
        "Only a PaymentIntent with one of the following statuses may be captured: "
        "requires_capture.",
        param="intent",
        code="payment_intent_unexpected_state",
    )


def capture_amount(requested: int | None, capturable: int) -> int:
    """What a capture takes: all that is capturable unless less is asked for (never
    more, never nothing)."""
    if requested is None:
        return capturable
    if requested <= 0:
        raise InvalidRequest(
            f"Invalid amount_to_capture: {requested}; it must be a positive integer",
            param="amount_to_capture",
        )
    if requested > capturable:
        raise InvalidRequest(
            f"The amount_to_capture ({requested}) must be less than or equal to the "
            f"PaymentIntent's amount_capturable ({capturable}).",
            param="amount_to_capture",
            code="amount_too_large",
        )
    return requested


def _name(kind: str) -> str:
    return "PaymentIntent" if kind == "payment_intent" else "SetupIntent"


def client_secret(intent_id: str) -> str:
    """`{id}_secret_{…}`: what a client confirms an intent with (Stripe's shape)."""
    return f"{intent_id}_secret_{''.join(c for c in new_secret() if c.isalnum())[:25]}"
