"""The simulated test cards: what each is, and what paying or saving with it does.

No card data ever exists in billcli; a payment method is made from one of Stripe's
published test tokens (`pm_card_visa`, `tok_visa`), and its behaviour is fixed: it pays,
it declines with a code, or it asks for authentication (3-D Secure) where Stripe's
testing page says it does (billcli-decisions: Payment methods; notes §1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from billcli.errors import CardDeclined, NotFound

DAY_S = 86_400
# billcli-decisions: a failed automatic payment is retried this many days after the
# first attempt (8 attempts in 14 days, Stripe's recommended policy).
RETRY_OFFSETS_DAYS = (1, 2, 4, 6, 8, 11, 14)
MAX_PAYMENT_ATTEMPTS = len(RETRY_OFFSETS_DAYS) + 1
# The expiry of every test card: Stripe accepts any future date and does not say which
# the objects behind `pm_card_*` carry.
EXP_MONTH, EXP_YEAR = 12, 2034
CHALLENGE = "challenge"

# When a card asks for authentication (notes §1.5): never; on every payment and setup;
# unless it was set up for off-session use (then off-session payments go through); or
# only in the customer's presence (on-session payments and setup).
NEVER, ALWAYS, UNLESS_SET_UP, ON_SESSION = "never", "always", "unless_set_up", "on_session"


@dataclass(frozen=True)
class TestCard:
    """A Stripe test payment method and its fixed behaviour."""

    name: str
    number: str
    brand: str
    attachable: bool = True
    code: str | None = None  # every charge fails with this error code …
    decline_code: str | None = None  # … and this issuer reason
    authentication: str = NEVER
    funding: str = "credit"
    country: str = "US"
    tokens: tuple[str, ...] = ()

    @property
    def declines(self) -> bool:
        return self.code is not None

    @property
    def last4(self) -> str:
        return self.number[-4:]

    @property
    def fingerprint(self) -> str:
        """Stripe's per-number fingerprint: every `pm_card_visa` has the same one."""
        # startup: hashing loads only for the objects that show a card
        import hashlib

        digest = hashlib.sha256(f"billcli card {self.number}".encode()).digest()
        alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        return "".join(alphabet[byte % 62] for byte in digest[:16])

    def needs_authentication(self, *, off_session: bool, set_up: bool, setting_up: bool) -> bool:
        """Whether a payment (or a setup, `setting_up`) with this card waits for the
        customer to authenticate: Stripe's table for each of its 3-D Secure cards."""
        if self.authentication == ALWAYS:
            return True
        if self.authentication == UNLESS_SET_UP:
            return setting_up or not off_session or not set_up
        if self.authentication == ON_SESSION:
            return setting_up or not off_session
        return False


def _card(name: str, number: str, brand: str, **rest: Any) -> TestCard:
    short = name.removeprefix("pm_card_")
    tokens = rest.pop("tokens", (f"tok_{short}",))
    return TestCard(name, number, brand, tokens=tokens, **rest)


def _declined(name: str, number: str, code: str, decline_code: str | None) -> TestCard:
    """A decline card: it cannot be saved, and every charge fails (notes §1.3)."""
    return _card(name, number, "visa", attachable=False, code=code, decline_code=decline_code)


TEST_CARDS: dict[str, TestCard] = {
    card.name: card
    for card in (
        _card("pm_card_visa", "4242424242424242", "visa"),
        _card("pm_card_visa_debit", "4000056655665556", "visa", funding="debit"),
        _card("pm_card_mastercard", "5555555555554444", "mastercard"),
        _card("pm_card_mastercard_debit", "5200828282828210", "mastercard", funding="debit"),
        _card("pm_card_mastercard_prepaid", "5105105105105100", "mastercard", funding="prepaid"),
        _card("pm_card_amex", "371449635398431", "amex"),
        _card("pm_card_discover", "6011111111111117", "discover"),
        _card("pm_card_diners", "3056930009020004", "diners"),
        _card("pm_card_jcb", "3566002020360505", "jcb", country="JP"),
        _card("pm_card_unionpay", "6200000000000005", "unionpay", country="CN"),
        _card(
            "pm_card_chargeCustomerFail",
            "4000000000000341",
            "visa",
            code="card_declined",
            decline_code="generic_decline",
            tokens=("tok_chargeCustomerFail", "tok_visa_chargeCustomerFail"),
        ),
        _declined(
            "pm_card_visa_chargeDeclined", "4000000000000002", "card_declined", "generic_decline"
        ),
        _declined(
            "pm_card_visa_chargeDeclinedInsufficientFunds",
            "4000000000009995",
            "card_declined",
            "insufficient_funds",
        ),
        _declined(
            "pm_card_visa_chargeDeclinedLostCard", "4000000000009987", "card_declined", "lost_card"
        ),
        _declined(
            "pm_card_visa_chargeDeclinedStolenCard",
            "4000000000009979",
            "card_declined",
            "stolen_card",
        ),
        _declined("pm_card_chargeDeclinedExpiredCard", "4000000000000069", "expired_card", None),
        _declined("pm_card_chargeDeclinedIncorrectCvc", "4000000000000127", "incorrect_cvc", None),
        _declined(
            "pm_card_chargeDeclinedProcessingError", "4000000000000119", "processing_error", None
        ),
        _declined(
            "pm_card_visa_chargeDeclinedVelocityLimitExceeded",
            "4000000000006975",
            "card_declined",
            "card_velocity_exceeded",
        ),
        _declined("pm_card_chargeDeclined", "4000000000000002", "card_declined", "generic_decline"),
        _declined(
            "pm_card_chargeDeclinedInsufficientFunds",
            "4000000000009995",
            "card_declined",
            "insufficient_funds",
        ),
        _declined(
            "pm_card_chargeDeclinedLostCard", "4000000000009987", "card_declined", "lost_card"
        ),
        _declined(
            "pm_card_chargeDeclinedStolenCard", "4000000000009979", "card_declined", "stolen_card"
        ),
        # 3-D Secure (notes §1.5). Stripe documents no tok_ for the first four.
        _card(
            "pm_card_authenticationRequiredOnSetup",
            "4000002500003155",
            "visa",
            authentication=UNLESS_SET_UP,
            country="FR",
            tokens=(),
        ),
        _card(
            "pm_card_authenticationRequired",
            "4000002760003184",
            "visa",
            authentication=ALWAYS,
            country="DE",
            tokens=(),
        ),
        _card(
            "pm_card_authenticationRequiredSetupForOffSession",
            "4000003800000446",
            "visa",
            authentication=ON_SESSION,
            country="IT",
            tokens=(),
        ),
        _card(
            "pm_card_authenticationRequiredChargeDeclinedInsufficientFunds",
            "4000008260003178",
            "visa",
            authentication=ON_SESSION,
            country="GB",
            code="card_declined",
            decline_code="insufficient_funds",
            tokens=(),
        ),
        _card("pm_card_threeDSecure2Required", "4000000000003220", "visa", authentication=ALWAYS),
        _card(
            "pm_card_threeDSecureRequiredChargeDeclined",
            "4000008400001629",
            "visa",
            authentication=ALWAYS,
            code="card_declined",
            decline_code="generic_decline",
        ),
        _card("pm_card_threeDSecureOptional", "4000000000003055", "visa"),
        _card("pm_card_amex_threeDSecureNotSupported", "378282246310005", "amex"),
    )
}
TOKENS: dict[str, TestCard] = {
    token: card for card in TEST_CARDS.values() for token in (card.name, *card.tokens)
}

_MESSAGES = {
    "expired_card": "Your card has expired.",
    "incorrect_cvc": "Your card's security code is incorrect.",
    "processing_error": "An error occurred while processing your card. Try again in a little bit.",
    "insufficient_funds": "Your card has insufficient funds.",
    "card_velocity_exceeded": "Your card was declined for making repeated attempts too "
    "frequently or exceeding its amount limit.",
    "authentication_required": "Your card was declined. This transaction requires authentication.",
}
DOCS = "https://stripe.com/docs/error-codes/"


def test_card(token: str, *, param: str = "payment_method") -> TestCard:
    """The card a test token names (`pm_card_visa`, `tok_visa`); an unknown token names
    nothing (billcli-decisions: exit 6)."""
    try:
        return TOKENS[token]
    except KeyError:
        raise NotFound(
            "PaymentMethod",
            token,
            param=param,
            message=f"No such PaymentMethod: '{token}'; a test token such as pm_card_visa or "
            "tok_visa, or a pm_ id",
        ) from None


def card_numbered(number: str, *, param: str = "card[number]") -> TestCard:
    """The test card with this number (a token made from card details): billcli holds
    no card data, so any other number is refused as Stripe refuses a wrong one."""
    digits = number.replace(" ", "")
    for card in TEST_CARDS.values():
        if card.number == digits:
            return card
    raise CardDeclined(
        "Your card number is incorrect (billcli takes Stripe's test card numbers only, such "
        "as 4242424242424242).",
        code="incorrect_number",
        param=param,
        doc_url=DOCS + "incorrect-number",
    )


def is_token(value: str) -> bool:
    """Whether `value` is written as a test token rather than a `pm_` id."""
    return value.startswith(("pm_card_", "tok_"))


def attachable_card(token: str, *, param: str = "payment_method") -> TestCard:
    """The card `token` when it may be saved on a customer; a card error otherwise.

    Stripe's decline test cards fail at attachment; `pm_card_chargeCustomerFail`
    attaches and then declines every charge, which models a failing saved card.
    """
    card = test_card(token, param=param)
    if not card.attachable:
        raise decline_error(card.code, card.decline_code, param=param)
    return card


def decline_message(code: str, decline_code: str | None) -> str:
    """The message Stripe gives a customer for a decline."""
    return _MESSAGES.get(decline_code or code, _MESSAGES.get(code, "Your card was declined."))


def decline_error(
    code: str | None, decline_code: str | None, *, param: str | None = None, **found: Any
) -> CardDeclined:
    """The card error Stripe returns for a decline (`found`: the charge and intent)."""
    code = code or "card_declined"
    return CardDeclined(
        decline_message(code, decline_code),
        code=code,
        decline_code=decline_code,
        param=param,
        doc_url=DOCS + code.replace("_", "-"),
        **found,
    )


def outcome(code: str | None, decline_code: str | None, risk_score: int) -> dict[str, Any]:
    """A charge's `outcome`: authorized, or the issuer's decline and its reason."""
    base = {
        "advice_code": None,
        "network_advice_code": None,
        "network_decline_code": None,
        "risk_level": "normal",
        "risk_score": risk_score,
    }
    if code is None:
        return base | {
            "network_status": "approved_by_network",
            "reason": None,
            "seller_message": "Payment complete.",
            "type": "authorized",
        }
    reason = decline_code or code
    message = (
        "The bank did not return any further details with this decline."
        if reason == "generic_decline"
        else f"The bank returned the decline code `{reason}`."
    )
    return base | {
        "network_status": "declined_by_network",
        "reason": reason,
        "seller_message": message,
        "type": "issuer_declined",
    }


def risk_score(card: TestCard) -> int:
    """A steady, low risk score per card (test-mode payloads carry one)."""
    return sum(ord(c) for c in card.fingerprint) % 40 + 5


def next_retry_at(first_attempt_at: int, attempts_made: int) -> int | None:
    """When the next automatic retry falls, or None after the last of the schedule."""
    if attempts_made >= MAX_PAYMENT_ATTEMPTS:
        return None
    return first_attempt_at + RETRY_OFFSETS_DAYS[attempts_made - 1] * DAY_S
