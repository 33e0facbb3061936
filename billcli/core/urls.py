"""The one rule for URLs billcli stores or calls: absolute, http or https, with a host."""

from __future__ import annotations

from urllib.parse import urlsplit

from billcli.errors import InvalidRequest

MAX_LENGTH = 5000  # Stripe's maxLength for URL fields


def http_url(value: str, param: str, *, max_length: int = MAX_LENGTH) -> str:
    """`value` when it is an http:// or https:// URL naming a host; an error otherwise."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(value) > max_length:
        raise InvalidRequest(
            f"Invalid {param}: '{value}' is not an http:// or https:// URL", param=param
        )
    return value
