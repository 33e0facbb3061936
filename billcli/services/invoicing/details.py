"""What an invoice says and how it is paid, beside its lines and money: custom fields,
footer, rendering options, shipping details, date of issue, statement descriptor, its
own default payment method and payment settings, a number of its own, and when a draft
finalizes. One reading for create and update, the CLI and the API.

A new invoice takes the customer's `invoice_settings` (custom fields, footer, rendering
options) unless it gives its own, as Stripe copies them; it keeps them afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from billcli.core import contact, intent_details, invoice_settings, limits
from billcli.core.records import Customer
from billcli.errors import InvalidRequest
from billcli.services.payments.methods import customer_method
from billcli.store.ledger import Tx

if TYPE_CHECKING:
    from billcli.services.invoicing.invoices import InvoiceInput

# Printed on the document: set on a draft only (a revision changes an issued invoice).
PRINTED = (
    "custom_fields",
    "footer",
    "rendering",
    "effective_at",
    "shipping_details",
    "statement_descriptor",
    "number",
    "automatically_finalizes_at",
)
# How it is paid: may change while it is open, too.
PAYMENT = ("default_payment_method", "payment_settings")
_DESCRIPTOR_FORBIDDEN = set("<>\\'\"*")


def check(data: InvoiceInput) -> None:
    """Every check that needs no ledger, before the transaction opens."""
    invoice_settings.custom_fields(data.custom_fields, "invoice")
    invoice_settings.footer(data.footer, "invoice")
    invoice_settings.rendering(data.rendering)
    contact.shipping(data.shipping_details, "invoice", "shipping_details")
    _descriptor(data.statement_descriptor)
    _payment_settings(data.payment_settings)
    if data.number is not None:
        limits.text("invoice", "number", data.number)


def _descriptor(value: str | None) -> str | None:
    if not value:
        return None
    limits.text("invoice", "statement_descriptor", value)
    if _DESCRIPTOR_FORBIDDEN & set(value) or not value.isascii():
        raise InvalidRequest(
            f"Invalid statement_descriptor: '{value}' (ASCII without < > \\ ' \" *)",
            param="statement_descriptor",
        )
    return value


def _payment_settings(given: Any) -> dict[str, Any] | None:
    """`payment_settings` as stored: card is the one payment method type billcli has."""
    settings = intent_details.payment_settings(given, ("installments", "request_three_d_secure"))
    return None if settings is None else {"default_mandate": None, **settings}


def fields(tx: Tx, data: InvoiceInput, customer: Customer, *, created: bool) -> dict[str, Any]:
    """The record fields `data` sets (on a new invoice, the customer's settings where it
    gives none of its own)."""
    found: dict[str, Any] = {}
    if data.custom_fields is not None:
        found["custom_fields"] = invoice_settings.custom_fields(data.custom_fields, "invoice")
    if data.footer is not None:
        found["footer"] = invoice_settings.footer(data.footer, "invoice")
    if data.rendering is not None:
        found["rendering"] = invoice_settings.rendering(data.rendering)
    if created:
        found |= with_customer_settings(customer, found)
    if data.shipping_details is not None:
        found["shipping_details"] = contact.shipping(
            data.shipping_details, "invoice", "shipping_details"
        )
    if data.statement_descriptor is not None:
        found["statement_descriptor"] = _descriptor(data.statement_descriptor)
    if data.effective_at is not None:
        found["effective_at"] = data.effective_at or None
    if data.payment_settings is not None:
        found["payment_settings"] = _payment_settings(data.payment_settings)
    if data.default_payment_method is not None:
        found["default_payment_method"] = (
            None
            if data.default_payment_method == ""
            else customer_method(
                tx, customer.id, data.default_payment_method, param="default_payment_method"
            ).id
        )
    if data.number is not None:
        found["number"] = _own_number(tx, data.number)
    return found


def with_customer_settings(customer: Customer, given: Mapping[str, Any]) -> dict[str, Any]:
    """A new invoice's custom fields, footer and rendering options: each one `given`
    sets (checked; a key present, even None, is given), else the customer's
    `invoice_settings`, field by field, as Stripe copies them. Every new invoice's."""
    settings = {
        "custom_fields": list(customer.invoice_custom_fields),
        "footer": customer.invoice_footer,
        "rendering": customer.invoice_rendering,
    }
    return {name: given.get(name, own) for name, own in settings.items()}


def _own_number(tx: Tx, number: str) -> str | None:
    """A number chosen for a draft (Stripe lets one be set): unique in the ledger."""
    if number == "":
        return None
    if tx.invoices.by_number(number) is not None:
        raise InvalidRequest(
            f"Invalid number: '{number}' is another invoice's number already", param="number"
        )
    return number


def finalizes(data: InvoiceInput, now: int) -> int | None:
    """`automatically_finalizes_at`: when an auto-advancing draft finalizes, if not the
    hour after its webhooks (a time in the past is refused)."""
    when = data.automatically_finalizes_at
    if when is None:
        return None
    if when < now:
        raise InvalidRequest(
            "Invalid automatically_finalizes_at: it is in the past",
            param="automatically_finalizes_at",
        )
    return when
