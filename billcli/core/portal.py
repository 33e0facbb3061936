"""The billing portal's rules: what a configuration holds, and how long a session lives.

Facts §6 and billcli-decisions (Portal): a session URL must be opened within five
minutes of ledger time and works once; the visit trades it for a cookie that lasts an
hour. Only hashes of those secrets are kept, so a copy of the ledger opens no portal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from billcli.core import limits
from billcli.core.invoicing import check_choice
from billcli.core.ledger import Problem
from billcli.core.urls import http_url
from billcli.errors import InvalidRequest

if TYPE_CHECKING:
    from billcli.core.records.portal import PortalConfiguration, PortalSession

ALLOWED_UPDATES = ("address", "email", "name", "phone", "shipping", "tax_id")
# The customer fields billcli keeps, so the ones a portal form can offer.
EDITABLE_FIELDS = ("name", "email", "phone")
CANCELLATION_REASONS = limits.ENUMS["cancellation_feedback"]
CANCEL_MODES = ("at_period_end", "immediately")
PRORATION_BEHAVIORS = ("always_invoice", "create_prorations", "none")
# A cancellation credits the unused time, or not; it never invoices at once (facts §7).
CANCEL_PRORATIONS = ("create_prorations", "none")
MAX_UPDATE_PRODUCTS = 10
FLOWS = (
    "payment_method_update",
    "subscription_cancel",
    "subscription_update",
    "subscription_update_confirm",
)
AFTER_COMPLETION = ("hosted_confirmation", "portal_homepage", "redirect")
SUBSCRIPTION_UPDATES = ("price", "promotion_code", "quantity")
LOCALES = (
    "auto", "bg", "cs", "da", "de", "el", "en", "en-AU", "en-CA", "en-GB", "en-IE", "en-IN",
    "en-NZ", "en-SG", "es", "es-419", "et", "fi", "fil", "fr", "fr-CA", "hr", "hu", "id", "it",
    "ja", "ko", "lt", "lv", "ms", "mt", "nb", "nl", "pl", "pt", "pt-BR", "ro", "ru", "sk", "sl",
    "sv", "th", "tr", "vi", "zh", "zh-HK", "zh-TW",
)  # fmt: skip
DEFAULT_CUSTOMER_UPDATES = ("email", "name")

URL_LIFETIME = 5 * 60
COOKIE_LIFETIME = 60 * 60
SECRET_BYTES = 32  # 256 bits


def new_secret() -> str:
    """A URL-safe secret of 256 bits."""
    # startup: hashing and randomness load on use: reads start faster without them
    import secrets

    return secrets.token_urlsafe(SECRET_BYTES)


def digest(secret: str) -> str:
    """What the ledger keeps of a secret: enough to recognise it, never to rebuild it."""
    # startup: hashing and secrets load only for portal links
    import hashlib

    return hashlib.sha256(secret.encode()).hexdigest()


def choices(value: str, allowed: tuple[str, ...], param: str) -> list[str]:
    """A comma-separated subset of `allowed`, in `allowed`'s order; "" is the empty set."""
    parts = [part.strip() for part in value.split(",")]
    given = [check_choice(part, allowed, param) for part in parts if part]
    return [option for option in allowed if option in given]


def check_url(value: str | None, param: str) -> str | None:
    """An absolute http(s) URL, None for "not given", "" to clear."""
    return http_url(value, param) if value else value


def default_features() -> dict[str, Any]:
    """What a configuration offers when create names no feature."""
    return {
        "customer_update": {"allowed_updates": list(DEFAULT_CUSTOMER_UPDATES), "enabled": True},
        "invoice_history": {"enabled": True},
        "payment_method_update": {"enabled": True},
        "subscription_cancel": {
            "cancellation_reason": {"enabled": False, "options": []},
            "enabled": False,
            "mode": "at_period_end",
            "proration_behavior": "none",
        },
        "subscription_pause": {"enabled": False},
        "subscription_update": {
            "default_allowed_updates": [],
            "enabled": False,
            "products": [],
            "proration_behavior": "none",
        },
    }


def check_cancellation(cancel: dict[str, Any]) -> None:
    """Prorations on cancellation only when cancelling at once (facts §7)."""
    if cancel["proration_behavior"] == "create_prorations" and cancel["mode"] != "immediately":
        raise InvalidRequest(
            "Invalid cancellation_proration: create_prorations goes with --cancellation-mode "
            "immediately (nothing is prorated at the period's natural end)",
            param="cancellation_proration",
        )


def parse_update_products(specs: tuple[str, ...]) -> list[dict[str, Any]]:
    """`PROD=PRICE[,PRICE...]` each: the products and prices a customer may switch to."""
    products = []
    for number, spec in enumerate(specs):
        product, equals, prices = spec.partition("=")
        listed = [p.strip() for p in prices.split(",") if p.strip()]
        if not equals or not product or not listed:
            raise InvalidRequest(
                f"Invalid subscription_update_product: '{spec}' (PROD=PRICE[,PRICE...])",
                param=f"features[subscription_update][products][{number}]",
            )
        products.append({"prices": listed, "product": product})
    if len(products) > MAX_UPDATE_PRODUCTS:
        raise InvalidRequest(
            f"Invalid subscription_update_product: at most {MAX_UPDATE_PRODUCTS} products",
            param="features[subscription_update][products]",
        )
    return products


def editable_fields(features: dict[str, Any]) -> list[str]:
    """The customer fields a portal with these features lets the customer change."""
    update = features["customer_update"]
    if not update["enabled"]:
        return []
    return [name for name in EDITABLE_FIELDS if name in update["allowed_updates"]]


def url_expired(created: int, now: int) -> bool:
    return now > created + URL_LIFETIME


def cookie_expired(visited_at: int, now: int) -> bool:
    return now >= visited_at + COOKIE_LIFETIME


def portal_problems(
    configurations: list[PortalConfiguration], sessions: list[PortalSession]
) -> list[Problem]:
    """What `ledger check` finds wrong with the portal's configurations and sessions."""
    problems = []
    defaults = [c for c in configurations if c.is_default]
    if configurations and len(defaults) != 1:
        problems.append(
            Problem("portal", f"{len(defaults)} default configurations (exactly one expected)")
        )
    problems += [
        Problem(c.id, "the default configuration is inactive") for c in defaults if not c.active
    ]
    known = {c.id for c in configurations}
    for s in sessions:
        if s.configuration not in known:
            problems.append(Problem(s.id, f"unknown configuration {s.configuration}"))
        if (s.visited_at is None) != (s.cookie_hash is None):
            problems.append(Problem(s.id, "visited without a cookie, or a cookie never visited"))
        if s.visited_at is not None and not s.created <= s.visited_at <= s.created + URL_LIFETIME:
            problems.append(Problem(s.id, "visited outside its 5-minute window"))
    return problems
