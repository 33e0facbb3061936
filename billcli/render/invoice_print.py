"""What an invoice prints beside its lines, the same on the hosted page and the PDF:
who it is billed to (with the postal address and tax IDs) and shipped to, its custom
fields, the date of issue, its footer, and "Reverse charge" for a reverse-charged
customer.

Stripe prints the customer's address and shipping details (the invoice's own
`shipping_details` when it has them) on the invoice PDF and hosted page, custom fields
under the invoice's details and the footer at its foot; `tax_exempt=reverse` adds
"Reverse charge" (the `customer` schema's own words). A customer's tax IDs are printed
"on invoices and credit notes issued for the customer" (the `tax_id` schema): billcli
prints them under the address, as their type in capitals and their value ("EU VAT
DE123456789").
"""

from __future__ import annotations

from typing import Any

from billcli.core.contact import lines as address_lines
from billcli.core.dates import utc_date


def billed_to(o: dict[str, Any]) -> list[str]:
    """The name and email, then the address, one line each."""
    who = " ".join(filter(None, [o.get("customer_name"), o.get("customer_email")]))
    printed = (who, *address_lines(o.get("customer_address")), *tax_ids(o))
    return [line for line in printed if line]


def tax_ids(o: dict[str, Any]) -> list[str]:
    """The customer's tax IDs the invoice carries, one line each ("EU VAT DE123456789")."""
    return [
        f"{t['type'].replace('_', ' ').upper()} {t['value']}"
        for t in o.get("customer_tax_ids") or []
    ]


def shipped_to(o: dict[str, Any]) -> list[str]:
    """Where the goods go: the invoice's shipping details, else the customer's."""
    shipping = o.get("shipping_details") or o.get("customer_shipping")
    if not shipping:
        return []
    who = " ".join(filter(None, [shipping.get("name"), shipping.get("phone")]))
    return [line for line in (who, *address_lines(shipping.get("address"))) if line]


def issued(o: dict[str, Any]) -> str:
    """The date of issue: `effective_at` when set, else the finalization's."""
    at = o.get("effective_at") or o["status_transitions"]["finalized_at"] or o["created"]
    return utc_date(at)


def details(o: dict[str, Any]) -> list[tuple[str, str]]:
    """The facts an invoice prints above its lines, in order (an address on lines)."""
    facts = [("Bill to", "\n".join(billed_to(o)))]
    shipping = shipped_to(o)
    if shipping:
        facts.append(("Ship to", "\n".join(shipping)))
    facts += [(field["name"], field["value"]) for field in o.get("custom_fields") or []]
    return facts


def notes(o: dict[str, Any]) -> list[str]:
    """What an invoice prints at its foot: "Reverse charge", then its footer."""
    printed = ["Reverse charge"] if o.get("customer_tax_exempt") == "reverse" else []
    return printed + ([o["footer"]] if o.get("footer") else [])


def customer_rows(o: dict[str, Any]) -> list[tuple[str, str]]:
    """A customer's postal and invoicing details, as `customers show` lists them."""
    settings = o.get("invoice_settings") or {}
    shipping = o.get("shipping") or {}
    ship = " ".join(filter(None, [shipping.get("name"), shipping.get("phone")]))
    return [
        ("Address", " · ".join(address_lines(o.get("address")))),
        ("Ship to", " · ".join(filter(None, [ship, *address_lines(shipping.get("address"))]))),
        ("Locales", ", ".join(o.get("preferred_locales") or [])),
        ("Tax exempt", "" if o.get("tax_exempt") in (None, "none") else str(o["tax_exempt"])),
        *[(f"Invoice field {f['name']}", f["value"]) for f in settings.get("custom_fields") or []],
        ("Invoice footer", settings.get("footer") or ""),
    ]
