"""Postal addresses and shipping details, as Stripe stores them on customers, invoices
and payments.

A value given replaces the one held (Stripe requires `shipping[name]` on every update
of `shipping` for that reason); an empty string clears it. Stored and shown whole: every
key of the `address` schema, null where not given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from billcli.core import limits
from billcli.errors import InvalidRequest

ADDRESS_KEYS = ("city", "country", "line1", "line2", "postal_code", "state")
SHIPPING_KEYS = ("address", "name", "phone")
TRACKING_KEYS = ("carrier", "tracking_number")


def _fields(
    given: Any, keys: tuple[str, ...], kind: str, param: str, texts: tuple[str, ...]
) -> dict[str, Any]:
    limits.only_keys(limits.hash_of(given, param), keys, param)
    for key in texts:
        value = given.get(key)
        if value is not None and not isinstance(value, str):
            raise InvalidRequest(
                f"Invalid {param}[{key}]: expected a string", param=f"{param}[{key}]"
            )
        limits.text(kind, f"{param}[{key}]", value)
    return dict(given)


def address(given: Any, kind: str, param: str = "address") -> dict[str, str | None] | None:
    """An address as stored: every key, empty ones null; None for "" (cleared)."""
    if given == "" or given is None:
        return None
    fields = _fields(given, ADDRESS_KEYS, kind, param, ADDRESS_KEYS)
    country = fields.get("country")
    if country and not (len(country) == 2 and country.isalpha()):
        raise InvalidRequest(
            f"Invalid {param}[country]: '{country}' is not a two-letter country code "
            "(ISO 3166-1 alpha-2)",
            param=f"{param}[country]",
        )
    shown = {key: (fields.get(key) or None) for key in ADDRESS_KEYS}
    if shown["country"]:
        shown["country"] = shown["country"].upper()
    return shown


def shipping(
    given: Any, kind: str, param: str = "shipping", *, tracked: bool = False
) -> dict[str, Any] | None:
    """Shipping details as stored (`name` and `address` required, as Stripe requires;
    a payment's also take a `carrier` and `tracking_number`)."""
    if given == "" or given is None:
        return None
    keys = (*SHIPPING_KEYS, *TRACKING_KEYS) if tracked else SHIPPING_KEYS
    fields = _fields(given, keys, kind, param, ("name", "phone", *TRACKING_KEYS))
    for required in ("name", "address"):
        if not fields.get(required):
            raise InvalidRequest.missing(f"{param}[{required}]")
    return {
        "address": address(fields["address"], kind, f"{param}[address]"),
        "carrier": fields.get("carrier") or None,
        "name": fields["name"],
        "phone": fields.get("phone") or None,
        "tracking_number": fields.get("tracking_number") or None,
    }


def _pairs(given: Sequence[str], param: str) -> dict[str, str]:
    found = {}
    for pair in given:
        key, sep, value = pair.partition("=")
        if not sep:
            raise InvalidRequest(f"Invalid {param}: '{pair}' must be KEY=VALUE", param=param)
        found[key] = value
    return found


def address_pairs(given: Sequence[str] | None, param: str = "address") -> Any:
    """`--address line1=… --address city=…` (the CLI's form) as the object the API takes;
    a lone "" clears it, None is "not given"."""
    if not given:
        return None
    return "" if list(given) == [""] else _pairs(given, param)


def shipping_pairs(given: Sequence[str] | None, param: str = "shipping") -> Any:
    """`--shipping name=… --shipping line1=…`: the name and phone beside the address keys."""
    if not given:
        return None
    if list(given) == [""]:
        return ""
    fields = _pairs(given, param)
    found: dict[str, Any] = {key: fields.pop(key) for key in ("name", "phone") if key in fields}
    found["address"] = fields
    return found


def lines(held: Mapping[str, Any] | None) -> list[str]:
    """An address as the lines a page or a PDF prints, empty parts left out."""
    if not held:
        return []
    # "San Francisco, CA 94107", "London N1 9GU": the order Stripe's US invoices print.
    place = ", ".join(filter(None, [held.get("city"), held.get("state")]))
    region = " ".join(filter(None, [place, held.get("postal_code")]))
    return [
        part for part in (held.get("line1"), held.get("line2"), region, held.get("country")) if part
    ]
