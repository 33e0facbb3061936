"""`invoice_creation[invoice_data]` of a `payment` Checkout Session: what the paid
invoice it makes once its payment succeeds says besides its lines (Stripe's
post-payment invoices). Checked once when the session is made, stored with the page's
settings, shown on the session in Stripe's shape and copied onto the invoice. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from billcli.core import invoice_settings, limits
from billcli.core.metadata import merged, parse_pairs
from billcli.errors import InvalidRequest

PARAM = "invoice_creation[invoice_data]"
# Stripe's limits for this parameter (its docs: a custom field's name up to 40
# characters, its value up to 140), wider than an invoice's own custom fields.
MAX_NAME = 40
MAX_VALUE = 140


@dataclass(frozen=True)
class InvoiceData:
    """`invoice_data` as given (metadata as `KEY=VALUE` pairs; custom fields and
    rendering options as the request's hashes)."""

    description: str | None = None
    footer: str | None = None
    metadata: tuple[str, ...] = ()
    custom_fields: Any = None
    rendering_options: Any = None
    issuer: str | None = None  # issuer[type]: `self` only (another account is Connect's)

    def checked(self) -> dict[str, Any]:
        """The invoice data as the session stores it (only what was given)."""
        limits.text("invoice", "description", self.description, spelled=f"{PARAM}[description]")
        if self.issuer == "account":
            raise InvalidRequest(
                f"Cannot use {PARAM}[issuer][type]={self.issuer}: billcli does not model "
                "connected accounts (Connect); the invoice's issuer is the account itself",
                param=f"{PARAM}[issuer][type]",
            )
        limits.choice(self.issuer, ("self",), f"{PARAM}[issuer][type]")  # Stripe: self, account
        metadata = parse_pairs(self.metadata, param=f"{PARAM}[metadata]")
        stored: dict[str, Any] = {
            "description": self.description or None,
            "footer": invoice_settings.footer(self.footer, "invoice", f"{PARAM}[footer]"),
            "metadata": merged({}, metadata, param=f"{PARAM}[metadata]"),
            "custom_fields": _custom_fields(self.custom_fields),
            "rendering_options": invoice_settings.rendering(
                self.rendering_options, f"{PARAM}[rendering_options]"
            ),
        }
        return {k: v for k, v in stored.items() if v not in (None, [], {})}


def _custom_fields(given: Any) -> list[dict[str, str]]:
    """Up to four `{name, value}` pairs, each within Stripe's limits for Checkout."""
    param = f"{PARAM}[custom_fields]"
    fields = invoice_settings.custom_fields(given, "checkout.session", param)
    for n, field in enumerate(fields):
        for key, most in (("name", MAX_NAME), ("value", MAX_VALUE)):
            if len(field[key]) > most:
                raise InvalidRequest(
                    f"Invalid {param}[{n}][{key}]: must be at most {most} characters "
                    f"(it has {len(field[key])})",
                    param=f"{param}[{n}][{key}]",
                )
    return fields


def shown(enabled: bool, data: dict[str, Any]) -> dict[str, Any]:
    """The session's `invoice_creation`, in Stripe's shape."""
    return {
        "enabled": enabled,
        "invoice_data": {
            "account_tax_ids": None,
            "custom_fields": data.get("custom_fields") or None,
            "description": data.get("description"),
            "footer": data.get("footer"),
            "issuer": {"type": "self"} if enabled else None,
            "metadata": dict(data.get("metadata") or {}),
            "rendering_options": _rendering(data.get("rendering_options")),
        },
    }


def _rendering(given: dict[str, Any] | None) -> dict[str, Any] | None:
    """The session's `rendering_options` (`template` is refused, so always null)."""
    if given is None:
        return None
    return {"amount_tax_display": given.get("amount_tax_display"), "template": None}
