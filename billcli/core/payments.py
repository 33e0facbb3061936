"""The simulated test payment methods: what each is, and what charging it does.

No card data ever exists in billcli; a payment method is one of Stripe's published
test names, and its outcome is fixed (facts §9, billcli-decisions: Payment methods).
"""

from __future__ import annotations

from dataclasses import dataclass

from billcli.errors import CardDeclined, InvalidRequest

DAY_S = 86_400
# billcli-decisions: a failed automatic payment is retried this many days after the
# first attempt (8 attempts in 14 days, Stripe's recommended policy).
RETRY_OFFSETS_DAYS = (1, 2, 4, 6, 8, 11, 14)
MAX_PAYMENT_ATTEMPTS = len(RETRY_OFFSETS_DAYS) + 1


@dataclass(frozen=True)
class TestCard:
    """A Stripe test payment method and its fixed behaviour."""

    name: str
    brand: str
    last4: str
    attachable: bool
    code: str | None = None
    decline_code: str | None = None

    @property
    def declines(self) -> bool:
        return self.code is not None


def _declined(name: str, code: str, decline_code: str | None, last4: str) -> TestCard:
    return TestCard(name, "visa", last4, False, code, decline_code)


TEST_CARDS: dict[str, TestCard] = {
    card.name: card
    for card in (
        TestCard("pm_card_visa", "visa", "4242", True),
        TestCard("pm_card_mastercard", "mastercard", "4444", True),
        TestCard("pm_card_amex", "amex", "8431", True),
        TestCard(
            "pm_card_chargeCustomerFail", "visa", "0341", True, "card_declined", "generic_decline"
        ),
        _declined("pm_card_visa_chargeDeclined", "card_declined", "generic_decline", "0002"),
        _declined(
            "pm_card_visa_chargeDeclinedInsufficientFunds",
            "card_declined",
            "insufficient_funds",
            "9995",
        ),
        _declined("pm_card_visa_chargeDeclinedLostCard", "card_declined", "lost_card", "9987"),
        _declined("pm_card_visa_chargeDeclinedStolenCard", "card_declined", "stolen_card", "9979"),
        _declined("pm_card_chargeDeclinedExpiredCard", "expired_card", None, "0069"),
        _declined("pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", None, "0127"),
        _declined("pm_card_chargeDeclinedProcessingError", "processing_error", None, "0119"),
        _declined(
            "pm_card_visa_chargeDeclinedVelocityLimitExceeded",
            "card_declined",
            "card_velocity_exceeded",
            "6975",
        ),
        _declined("pm_card_chargeDeclined", "card_declined", "generic_decline", "0002"),
        _declined(
            "pm_card_chargeDeclinedInsufficientFunds", "card_declined", "insufficient_funds", "9995"
        ),
        _declined("pm_card_chargeDeclinedLostCard", "card_declined", "lost_card", "9987"),
        _declined("pm_card_chargeDeclinedStolenCard", "card_declined", "stolen_card", "9979"),
    )
}

_DECLINE_MESSAGES = {
    "expired_card": "Your card has expired.",
    "incorrect_cvc": "Your card's security code is incorrect.",
    "processing_error": "An error occurred while processing your card. Try again in a little bit.",
    "insufficient_funds": "Your card has insufficient funds.",
    "lost_card": "Your card has been declined.",
    "stolen_card": "Your card has been declined.",
}


def test_card(name: str, *, param: str = "payment_method") -> TestCard:
    """The test card called `name`, or an error listing the known ones."""
    try:
        return TEST_CARDS[name]
    except KeyError:
        known = ", ".join(n for n, c in TEST_CARDS.items() if c.attachable)
        raise InvalidRequest(
            f"Invalid {param}: '{name}' is not a test payment method (attachable: {known})",
            param=param,
        ) from None


def attachable_card(name: str, *, param: str = "payment_method") -> TestCard:
    """The card `name` when it may be saved on a customer; a card error otherwise.

    Stripe's decline test cards fail at attachment; only `pm_card_chargeCustomerFail`
    attaches and then declines every charge, which models a failing saved card.
    """
    card = test_card(name, param=param)
    if not card.attachable:
        raise decline_error(card, param=param)
    return card


def decline_error(card: TestCard, *, param: str | None = None) -> CardDeclined:
    """The card error Stripe returns when `card` refuses a charge."""
    key = card.decline_code or card.code or "card_declined"
    message = _DECLINE_MESSAGES.get(key, "Your card was declined.")
    return CardDeclined(
        message, code=card.code or "card_declined", decline_code=card.decline_code, param=param
    )


def next_retry_at(first_attempt_at: int, attempts_made: int) -> int | None:
    """When the next automatic retry falls, or None after the last of the schedule."""
    if attempts_made >= MAX_PAYMENT_ATTEMPTS:
        return None
    return first_attempt_at + RETRY_OFFSETS_DAYS[attempts_made - 1] * DAY_S
