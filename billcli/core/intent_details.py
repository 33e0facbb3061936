"""What a PaymentIntent or SetupIntent carries beside its money: the receipt email, the
statement descriptor and its suffix, card options, and automatic payment methods.

Card is billcli's one payment method type, so options of another type are refused by
name; card options are kept as given and shown back (3-D Secure follows the test card,
as billcli's simulated cards decide it).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from billcli.core import limits
from billcli.core.customers import check_email
from billcli.errors import InvalidRequest

MAX_DESCRIPTOR = 22
_FORBIDDEN = set("<>\\'\"*")
# Card options of the intents' request schemas billcli keeps, and their values.
CARD_OPTIONS: dict[str, tuple[str, ...] | None] = {
    "request_three_d_secure": ("any", "automatic", "challenge"),
    "network": (
        "amex",
        "cartes_bancaires",
        "diners",
        "discover",
        "eftpos_au",
        "interac",
        "jcb",
        "mastercard",
        "unionpay",
        "unknown",
        "visa",
    ),
    "setup_future_usage": ("", "none", "off_session", "on_session"),
    # Capture is chosen on the intent (`capture_method`); a per-card override is not served.
    "capture_method": ("",),
    "statement_descriptor_suffix_kana": None,
    "statement_descriptor_suffix_kanji": None,
}
_CARD_REFUSED = {
    "installments": "card installment plans",
    "mandate_options": "mandates (bank debits)",
    "cvc_token": "card data (billcli keeps none; use a test payment method)",
    "moto": "mail and telephone orders",
    "request_extended_authorization": "extended authorizations",
    "request_incremental_authorization": "incremental authorizations",
    "request_multicapture": "multicapture",
    "request_overcapture": "overcapture",
    "require_cvc_recollection": "CVC recollection",
    "three_d_secure": "3-D Secure results done elsewhere",
}


def descriptor(value: str | None, param: str) -> str | None:
    """A statement descriptor (or suffix): at most 22 ASCII characters, none of < > \\ ' " *."""
    if not value:
        return None
    if len(value) > MAX_DESCRIPTOR or _FORBIDDEN & set(value) or not value.isascii():
        raise InvalidRequest(
            f"Invalid {param}: '{value}' (at most {MAX_DESCRIPTOR} ASCII characters, without "
            "< > \\ ' \" *)",
            param=param,
        )
    return value


def receipt_email(value: str | None) -> str | None:
    if not value:
        return None
    try:
        check_email(value)
    except InvalidRequest:
        raise InvalidRequest(
            f"Invalid receipt_email: '{value}' is not an email address", param="receipt_email"
        ) from None
    return value


def card_options(
    given: Any, param: str = "payment_method_options", keys: Collection[str] = tuple(CARD_OPTIONS)
) -> dict[str, Any] | None:
    """`payment_method_options[card][…]` as kept (of its `keys`); another type, and
    what billcli does not model, refused by name."""
    if given in (None, ""):
        return None
    limits.hash_of(given, param)
    for kind in given:
        if kind != "card":
            raise InvalidRequest(
                f"Cannot use {param}[{kind}]: billcli does not model payment methods other "
                "than cards",
                param=f"{param}[{kind}]",
            )
    card = limits.hash_of(given.get("card") or {}, f"{param}[card]")
    kept = {}
    for key, value in card.items():
        spelled = f"{param}[card][{key}]"
        if key in _CARD_REFUSED:
            raise InvalidRequest(
                f"Cannot use {spelled}: billcli does not model {_CARD_REFUSED[key]}",
                param=spelled,
            )
        limits.only_keys({key: value}, [k for k in keys if k in CARD_OPTIONS], f"{param}[card]")
        allowed = CARD_OPTIONS[key]
        if not isinstance(value, str):
            raise InvalidRequest(f"Invalid {spelled}: expected a string", param=spelled)
        kept[key] = value if allowed is None else limits.choice(value, allowed, spelled)
    return {"card": kept}


def card_types(given: Any, param: str) -> list[str] | None:
    """`payment_method_types` of an invoice or subscription: cards, billcli's one type."""
    listed = [] if given in (None, "") else given if isinstance(given, list) else [given]
    if any(kind != "card" for kind in listed):
        raise InvalidRequest(f"Invalid {param}: billcli's payment methods are cards", param=param)
    return listed or None


def payment_settings(
    given: Any, card_shown: tuple[str, ...], others: tuple[str, ...] = ()
) -> dict[str, Any] | None:
    """An invoice's or subscription's `payment_settings` as stored: card types and the
    card options `card_shown` lists (each shown, null when not given), and the `others`
    keys as given, for their caller to read."""
    if given in (None, ""):
        return None
    param = "payment_settings"
    settings = limits.hash_of(given, param)
    if "default_mandate" in settings:
        raise InvalidRequest(
            f"Cannot use {param}[default_mandate]: billcli does not model mandates (bank debits)",
            param=f"{param}[default_mandate]",
        )
    limits.only_keys(settings, ("payment_method_options", "payment_method_types", *others), param)
    options = card_options(
        settings.get("payment_method_options"), f"{param}[payment_method_options]", card_shown
    )
    return {
        "payment_method_options": None
        if options is None
        else {"card": {key: options["card"].get(key) for key in card_shown}},
        "payment_method_types": card_types(
            settings.get("payment_method_types"), f"{param}[payment_method_types]"
        ),
        **{key: settings.get(key) for key in others},
    }


def automatic_payment_methods(given: Any) -> dict[str, Any] | None:
    """`{enabled, allow_redirects}`: with cards only, what is enabled is cards."""
    if given in (None, ""):
        return None
    param = "automatic_payment_methods"
    limits.only_keys(limits.hash_of(given, param), ("enabled", "allow_redirects"), param)
    enabled = given.get("enabled")
    if enabled not in ("true", "false", True, False):
        raise InvalidRequest.missing(f"{param}[enabled]")
    redirects = limits.choice(
        given.get("allow_redirects"), ("always", "never"), f"{param}[allow_redirects]"
    )
    return {"allow_redirects": redirects, "enabled": enabled in ("true", True)}
