"""The Stripe-shaped `card` (a customer's card source) and `token`, built here only.

The older Sources API shows a card with its holder's address flattened (`address_line1`,
`address_zip`…) and its brand as a name (`Visa`, `American Express`), where a payment
method nests `billing_details` and says `visa`. A card source is one of billcli's
payment methods (`card_…`), so both objects are drawn from the same record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from billcli.core.payments import EXP_MONTH, EXP_YEAR, TEST_CARDS

if TYPE_CHECKING:
    from billcli.core.records.payments import PaymentMethod, Token

BRAND_NAMES = {
    "amex": "American Express",
    "diners": "Diners Club",
    "discover": "Discover",
    "jcb": "JCB",
    "mastercard": "MasterCard",
    "unionpay": "UnionPay",
    "visa": "Visa",
}
# The card's flattened address fields and where `billing_details.address` keeps them.
ADDRESS_FIELDS = {
    "address_city": "city",
    "address_country": "country",
    "address_line1": "line1",
    "address_line2": "line2",
    "address_state": "state",
    "address_zip": "postal_code",
}


def _card(
    card_id: str,
    test_name: str,
    details: dict[str, Any] | None,
    expiry: tuple[int | None, int | None],
) -> dict[str, Any]:
    test_card = TEST_CARDS[test_name]
    address = (details or {}).get("address") or {}
    shown: dict[str, Any] = {"id": card_id, "object": "card"}
    shown |= {flat: address.get(nested) for flat, nested in ADDRESS_FIELDS.items()}
    return shown | {
        "address_line1_check": "pass" if address.get("line1") else None,
        "address_zip_check": "pass" if address.get("postal_code") else None,
        "brand": BRAND_NAMES[test_card.brand],
        "country": test_card.country,
        "customer": None,
        "cvc_check": "pass",
        "dynamic_last4": None,
        "exp_month": expiry[0] or EXP_MONTH,
        "exp_year": expiry[1] or EXP_YEAR,
        "fingerprint": test_card.fingerprint,
        "funding": test_card.funding,
        "last4": test_card.last4,
        "metadata": {},
        "name": (details or {}).get("name"),
        "tokenization_method": None,
    }


def card(method: PaymentMethod) -> dict[str, Any]:
    """A customer's card source (`card_…`)."""
    shown = _card(
        method.id, method.test_name, method.billing_details, (method.exp_month, method.exp_year)
    )
    return shown | {"customer": method.customer, "metadata": dict(method.metadata)}


def token(t: Token) -> dict[str, Any]:
    """A card token: the card it will become, used once."""
    return {
        "id": t.id,
        "object": "token",
        "card": _card(t.card, t.test_name, t.billing_details, (t.exp_month, t.exp_year)),
        "client_ip": None,
        "created": t.created,
        "livemode": False,
        "type": "card",
        "used": t.used,
    }
