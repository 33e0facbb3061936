"""Customer rules that do not depend on storage: invoice prefixes and email addresses."""

from __future__ import annotations

import os
import re
import string

from billcli.core import limits
from billcli.errors import InvalidRequest

_PREFIX = re.compile(r"^[A-Z0-9]{3,12}$")
_PREFIX_ALPHABET = string.ascii_uppercase + string.digits
GENERATED_PREFIX_LENGTH = 8


def check_invoice_prefix(prefix: str) -> str:
    """A prefix of 3–12 uppercase letters or digits, as Stripe requires."""
    if not _PREFIX.match(prefix):
        raise InvalidRequest(
            f"Invalid invoice_prefix: '{prefix}' must be 3–12 uppercase letters or digits",
            param="invoice_prefix",
        )
    return prefix


def generated_invoice_prefix() -> str:
    """A random 8-character prefix for a customer who did not choose one."""
    # 256 % 36 leaves a negligible bias; uniqueness is checked against the ledger anyway.
    raw = os.urandom(GENERATED_PREFIX_LENGTH)
    return "".join(_PREFIX_ALPHABET[b % len(_PREFIX_ALPHABET)] for b in raw)


def check_email(value: str | None, param: str = "email") -> str | None:
    """An address with one `@` and a dot in its domain, or nothing (`param`: the name
    the request gave it)."""
    if value is None or value == "":
        return value or None
    local, at, domain = value.partition("@")
    if not at or not local or "." not in domain or "@" in domain or " " in value:
        raise InvalidRequest(f"Invalid {param}: '{value}' is not an email address", param=param)
    return limits.text("customer", "email", value)
