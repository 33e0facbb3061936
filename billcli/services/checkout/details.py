"""What a Checkout Session's page collects about the customer (email, name, billing
address, phone, the terms accepted) and where it lands: on the session's
`customer_details` while it is open, then on the customer Checkout makes, or on an
existing one only where the session said `customer_update[…]=auto` (the phone always:
it was asked for)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core.records.checkout import CheckoutSession
from billcli.errors import InvalidRequest
from billcli.services.customers.customers import CustomerInput, update_in
from billcli.store.ledger import Tx

ADDRESS_FIELDS = ("city", "country", "line1", "line2", "postal_code", "state")


@dataclass(frozen=True)
class Collected:
    """What the page asked for beside the card: the billing address (when the session's
    `billing_address_collection` is required), the phone, the terms accepted."""

    name: str | None = None
    address: dict[str, str] | None = None
    phone: str | None = None
    terms_accepted: bool = False


def with_collected(session: CheckoutSession, collected: Collected) -> CheckoutSession:
    """The session with what its page asked for, each required one present: kept in
    `customer_details` (and the consent in the page's settings) until it completes."""
    page = session.page
    required = page.get("billing_address_collection") == "required"
    address = collected.address or {}
    if required and not (address.get("line1") and address.get("country")):
        raise InvalidRequest(
            "Missing billing address: enter the address line and country",
            param="billing_address",
        )
    if page.get("phone_number_collection") and not collected.phone:
        raise InvalidRequest("Missing phone: enter your phone number", param="phone")
    if page.get("terms_of_service") == "required" and not collected.terms_accepted:
        raise InvalidRequest("Accept the terms of service to continue", param="terms_of_service")
    details = {
        "address": {**dict.fromkeys(ADDRESS_FIELDS), **address} if required else None,
        "name": collected.name or None,
        "phone": collected.phone if page.get("phone_number_collection") else None,
    }
    consent = None
    if page.get("terms_of_service") == "required":
        consent = {"promotions": None, "terms_of_service": "accepted"}
    return replace(
        session,
        customer_details={**(session.customer_details or {}), **details},
        page={**page, "consent": consent},
    )


def details(tx: Tx, session: CheckoutSession, email: str | None) -> dict[str, Any]:
    """The customer's details as the session shows them: what the page collected,
    else what the customer already has."""
    customer = tx.customers.get(session.customer) if session.customer else None
    given = session.customer_details or {}
    return {
        "address": given.get("address"),
        "email": customer.email if customer is not None else email,
        "name": given.get("name") or (customer.name if customer is not None else None),
        "phone": given.get("phone"),
        "tax_exempt": "none",
        "tax_ids": [],
    }


def new_customer(session: CheckoutSession, email: str | None) -> CustomerInput:
    """The customer Checkout makes: the details its page collected, its language."""
    details, locale = session.customer_details or {}, session.page.get("locale")
    return CustomerInput(
        email=email,
        name=details.get("name"),
        phone=details.get("phone"),
        address=details.get("address"),
        preferred_locales=None if locale in (None, "auto") else [locale],
    )


def update_customer(tx: Tx, session: CheckoutSession) -> None:
    """An existing customer takes the collected address and name only where the session
    said `customer_update[…]=auto`, and the phone it was asked for."""
    if session.customer is None:
        return
    details, page = session.customer_details or {}, session.page
    change = CustomerInput(
        address=details.get("address") if page.get("update_address") == "auto" else None,
        name=details.get("name") if page.get("update_name") == "auto" else None,
        phone=details.get("phone"),
    )
    if change != CustomerInput():
        update_in(tx, session.customer, change)
