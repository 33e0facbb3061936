"""Metadata: Stripe's limits, and the `KEY=VALUE` / `KEY=` update rule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from billcli.errors import InvalidRequest

MAX_KEYS = 50
MAX_KEY_LENGTH = 40
MAX_VALUE_LENGTH = 500


def parse_pairs(pairs: Iterable[str], *, param: str = "metadata") -> dict[str, str]:
    """`KEY=VALUE` arguments as a dict; an empty value means "remove this key"."""
    parsed: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise InvalidRequest(f"Invalid {param}: '{pair}' must be KEY=VALUE", param=param)
        _check_key(key, param)
        if len(value) > MAX_VALUE_LENGTH:
            raise InvalidRequest(
                f"Invalid {param}[{key}]: values are at most {MAX_VALUE_LENGTH} characters",
                param=f"{param}[{key}]",
            )
        parsed[key] = value
    return parsed


def _check_key(key: str, param: str) -> None:
    if not key:
        raise InvalidRequest(f"Invalid {param}: a key cannot be empty", param=param)
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidRequest(
            f"Invalid {param}: key '{key[:12]}…' is longer than {MAX_KEY_LENGTH} characters",
            param=param,
        )
    if "[" in key or "]" in key:
        raise InvalidRequest(
            f"Invalid {param}: key '{key}' may not contain '[' or ']'", param=param
        )


def merged(
    current: Mapping[str, str], changes: Mapping[str, str], *, param: str = "metadata"
) -> dict[str, str]:
    """`current` with `changes` applied (empty values delete), within the key limit."""
    result = dict(current)
    for key, value in changes.items():
        if value == "":
            result.pop(key, None)
        else:
            result[key] = value
    if len(result) > MAX_KEYS:
        raise InvalidRequest(f"Invalid {param}: at most {MAX_KEYS} keys are allowed", param=param)
    return result
