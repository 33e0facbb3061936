"""Stripe-like identifiers: a type prefix and 24 random characters from [0-9A-Za-z]."""

from __future__ import annotations

import re
import secrets
import string

from billcli.errors import InvalidRequest

_ALPHABET = string.ascii_letters + string.digits
ID_LENGTH = 24

PREFIXES = {
    "customer": "cus",
    "customer_balance_transaction": "cbtxn",
    "invoice": "in",
    "invoiceitem": "ii",
    "line_item": "il",
    "billing_portal.configuration": "bpc",
    "billing_portal.session": "bps",
    "event": "evt",
    "payment_method": "pm",
    "webhook_endpoint": "we",
}
_WELL_FORMED = re.compile(r"^[a-z]+_[0-9A-Za-z]{1,64}$")


def new_id(kind: str) -> str:
    """A fresh random id for an object of `kind`."""
    tail = "".join(secrets.choice(_ALPHABET) for _ in range(ID_LENGTH))
    return f"{PREFIXES[kind]}_{tail}"


def check_id(value: str, kind: str, *, param: str) -> str:
    """`value` when it has the shape of a `kind` id; a one-line error otherwise.

    A malformed id is a bad value (exit 1); a well-formed one the ledger lacks is
    reported later as missing (exit 6), so a typo and a stale id read differently.
    """
    prefix = PREFIXES[kind] + "_"
    if not value.startswith(prefix) or not _WELL_FORMED.match(value):
        shown = kind.replace("_", " ")
        raise InvalidRequest(
            f"Invalid {param}: '{value}' is not a {shown} id (expected {prefix}…)", param=param
        )
    return value
