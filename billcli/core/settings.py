"""Ledger settings (`ledger config`): the known keys, their defaults and their checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from billcli.core.money import normalize_currency
from billcli.core.urls import http_url
from billcli.errors import InvalidRequest


def _url(value: str) -> str:
    return http_url(value, "public_url").rstrip("/")


def _final_action(value: str) -> str:
    if value not in ("mark_uncollectible", "leave_open"):
        raise InvalidRequest(
            f"Invalid dunning.final_action: '{value}' (mark_uncollectible or leave_open)",
            param="dunning.final_action",
        )
    return value


def _subscription_action(value: str) -> str:
    if value not in ("cancel", "unpaid", "past_due"):
        raise InvalidRequest(
            f"Invalid dunning.subscription_action: '{value}' (cancel, unpaid or past_due)",
            param="dunning.subscription_action",
        )
    return value


def _country(value: str) -> str:
    if not (len(value) == 2 and value.isascii() and value.isalpha()):
        raise InvalidRequest(
            f"Invalid account.country: '{value}' (a two-letter country code, such as US)",
            param="account.country",
        )
    return value.upper()


def _display_name(value: str) -> str:
    if not value.strip() or len(value) > 100:
        raise InvalidRequest(
            "Invalid account.display_name: 1 to 100 characters", param="account.display_name"
        )
    return value.strip()


def _email(value: str) -> str:
    if value and ("@" not in value or len(value) > 800):
        raise InvalidRequest(
            f"Invalid account.email: '{value}' is not an email address", param="account.email"
        )
    return value


def _whole_number(key: str, low: int, high: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
            raise InvalidRequest(
                f"Invalid {key}: '{value}' (a whole number from {low} to {high})", param=key
            )
        return str(int(value))

    return check


@dataclass(frozen=True)
class Setting:
    key: str
    default: str
    check: Callable[[str], str]
    help: str


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting(
            "default_currency",
            "usd",
            lambda v: normalize_currency(v, param="default_currency"),
            "currency of customers whose balance is first needed without one",
        ),
        Setting(
            "public_url",
            "http://127.0.0.1:4242",
            _url,
            "base URL of portal sessions and hosted invoice pages",
        ),
        Setting(
            "dunning.final_action",
            "mark_uncollectible",
            _final_action,
            "what happens to an invoice after its last failed payment attempt",
        ),
        Setting(
            "dunning.subscription_action",
            "cancel",
            _subscription_action,
            "what happens to a subscription after its invoice's last failed payment attempt",
        ),
        Setting(
            "subscriptions.upcoming_days",
            "3",
            _whole_number("subscriptions.upcoming_days", 0, 30),
            "days before a renewal that invoice.upcoming is recorded (0: never)",
        ),
        Setting(
            "account.display_name",
            "billcli",
            _display_name,
            "the account's name (GET /v1/account, its business profile and dashboard)",
        ),
        Setting(
            "account.country",
            "US",
            _country,
            "the account's country (GET /v1/account)",
        ),
        Setting(
            "account.email",
            "",
            _email,
            "the account's email, empty for none (GET /v1/account)",
        ),
        Setting(
            "webhooks.timeout",
            "10",
            _whole_number("webhooks.timeout", 1, 60),
            "seconds a webhook endpoint has to answer before the attempt fails",
        ),
        Setting(
            "webhooks.concurrency",
            "8",
            _whole_number("webhooks.concurrency", 1, 64),
            "how many webhook deliveries are in flight at once",
        ),
    )
}


def setting(key: str) -> Setting:
    """The setting called `key`, or an error listing the known keys."""
    try:
        return SETTINGS[key]
    except KeyError:
        raise InvalidRequest(
            f"Invalid key: '{key}' is not a setting (known: {', '.join(SETTINGS)})", param="key"
        ) from None
