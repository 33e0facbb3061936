"""What an invoice prints besides its lines: custom fields, a footer, rendering options.

A customer holds defaults (`invoice_settings`), which an invoice takes when it is made
and keeps (Stripe copies them; a later change of the customer's leaves the invoice as
it was). The same rules check both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from billcli.core import limits
from billcli.errors import InvalidRequest

MAX_CUSTOM_FIELDS = 4


def custom_fields(given: Any, kind: str, param: str = "custom_fields") -> list[dict[str, str]]:
    """Up to four `{name, value}` pairs, in order; `[]` for "" (cleared)."""
    if given == "" or given is None:
        return []
    if not isinstance(given, Sequence) or isinstance(given, str):
        raise InvalidRequest(f"Invalid {param}: expected a list of objects", param=param)
    if len(given) > MAX_CUSTOM_FIELDS:
        raise InvalidRequest(
            f"Invalid {param}: at most {MAX_CUSTOM_FIELDS} custom fields (it has {len(given)})",
            param=param,
        )
    fields = []
    for n, entry in enumerate(given):
        limits.only_keys(limits.hash_of(entry, f"{param}[{n}]"), ("name", "value"), f"{param}[{n}]")
        shown: dict[str, str] = {}
        for key in ("name", "value"):
            value = entry.get(key)
            if not isinstance(value, str) or not value:
                raise InvalidRequest.missing(f"{param}[{n}][{key}]")
            limits.text(kind, f"custom_fields[{key}]", value, spelled=param)
            shown[key] = value
        fields.append(shown)
    return fields


def pairs(given: Sequence[str], param: str) -> list[dict[str, str]] | str:
    """`NAME=VALUE` options (the CLI's form) as custom fields; a lone "" clears them."""
    if list(given) == [""]:
        return ""
    fields = []
    for pair in given:
        name, sep, value = pair.partition("=")
        if not sep:
            raise InvalidRequest(f"Invalid {param}: '{pair}' must be NAME=VALUE", param=param)
        fields.append({"name": name, "value": value})
    return fields


def footer(given: str | None, kind: str, param: str = "footer") -> str | None:
    if given is None or given == "":
        return None
    return limits.text(kind, "footer", given, spelled=param)


def rendering(given: Any, param: str = "rendering_options") -> dict[str, Any] | None:
    """`{amount_tax_display}` (and `pdf[page_size]` in the newer `rendering`), or None."""
    if given == "" or given is None:
        return None
    if not isinstance(given, Mapping):
        raise InvalidRequest(f"Invalid {param}: expected an object", param=param)
    shown: dict[str, Any] = {"amount_tax_display": None}
    for key, value in given.items():
        if key == "amount_tax_display":
            shown[key] = limits.choice(
                value or None, limits.ENUMS["amount_tax_display"], f"{param}[{key}]"
            )
        elif key == "pdf" and isinstance(value, Mapping) and set(value) <= {"page_size"}:
            size = limits.choice(
                value.get("page_size"), limits.ENUMS["page_size"], f"{param}[pdf][page_size]"
            )
            shown["pdf"] = {"page_size": size}
        elif key in ("template", "template_version"):
            raise InvalidRequest(
                f"Cannot use {param}[{key}]: billcli does not model invoice rendering templates",
                param=f"{param}[{key}]",
            )
        else:
            raise InvalidRequest(
                f"Received unknown parameter: {param}[{key}]",
                param=f"{param}[{key}]",
                code="parameter_unknown",
            )
    return shown
