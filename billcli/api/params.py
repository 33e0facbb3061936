"""Reading one request's parameters: each handler takes what it knows, by type.

A parameter no handler took is Stripe's `parameter_unknown` (checked before anything is
written); a value of the wrong shape names its parameter. Values stay text where the
services read text (amounts, whose currency decides their minor units).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billcli.errors import InvalidRequest


def integer_of(value: Any, name: str) -> int | None:
    """An integer parameter (nested ones too: `recurring[interval_count]`), or None."""
    if value is None or value == "":
        return None
    text = value if isinstance(value, str) else ""
    digits = text[1:] if text.startswith("-") else text
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 18:
        raise InvalidRequest(f"Invalid integer: {value}", param=name)
    return int(text)


class Params:
    def __init__(
        self,
        values: dict[str, Any],
        *,
        version: str = "2023-08-16",
        spelled: Callable[[str], str] = str,
    ):
        self.values = values
        self.version = version  # the API version the request is answered in
        self.taken: set[str] = {"expand"}
        # How a name is spelled in the request, for errors (a nested or prefixed group).
        self.spelled = spelled

    def nested(self, name: str) -> Params:
        """The parameters inside `name[…]`, read as a group of their own."""
        inner = self.map(name) or {}
        return Params(inner, version=self.version, spelled=lambda key: f"{name}[{key}]")

    def entry(self, name: str, n: int, given: dict[str, Any]) -> Params:
        """The `n`th map of the list `name` (`line_items[0][…]`), read as a group."""
        return Params(given, version=self.version, spelled=lambda key: f"{name}[{n}][{key}]")

    def prefixed(self, prefix: str) -> Params:
        """The parameters spelled `PREFIXkey`, read as `key` (Stripe's flat
        `subscription_trial_end` beside the nested `subscription_details[trial_end]`)."""
        inner = {k[len(prefix) :]: v for k, v in self.values.items() if k.startswith(prefix)}
        self.taken.update(prefix + key for key in inner)
        return Params(inner, version=self.version, spelled=lambda key: prefix + key)

    def _get(self, name: str) -> Any:
        self.taken.add(name)
        return self.values.get(name)

    def has(self, name: str) -> bool:
        self.taken.add(name)
        return name in self.values

    def text(self, name: str) -> str | None:
        value = self._get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            raise InvalidRequest(
                f"Invalid {self.spelled(name)}: expected a string", param=self.spelled(name)
            )
        return value

    def amount(self, name: str) -> str | None:
        """An integer amount in minor units, as text for the services to read."""
        value = self.text(name)
        if value is None:
            return None
        digits = value[1:] if value.startswith("-") else value
        if not (digits.isascii() and digits.isdigit()):
            raise InvalidRequest(f"Invalid integer: {value}", param=self.spelled(name))
        return value

    def integer(self, name: str) -> int | None:
        return integer_of(self.text(name), self.spelled(name))

    def boolean(self, name: str) -> bool | None:
        value = self.text(name)
        if value is None:
            return None
        if value not in ("true", "false"):
            raise InvalidRequest(f"Invalid boolean: {value}", param=self.spelled(name))
        return value == "true"

    def texts(self, name: str) -> list[str]:
        """A list of strings (`name[]=a&name[]=b`, `name[0]=a`, or one value)."""
        return self._list(name, str, "strings")

    def maps(self, name: str) -> list[dict[str, Any]]:
        """A list of maps (`items[0][price]=…`)."""
        return self._list(name, dict, "objects")

    def _list(self, name: str, kind: type, kinds: str) -> list[Any]:
        """`name`'s values, one value being a list of one, each of `kind`."""
        value = self._get(name)
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, kind) for item in items):
            spelled = self.spelled(name)
            raise InvalidRequest(f"Invalid {spelled}: expected a list of {kinds}", param=spelled)
        return items

    def map(self, name: str) -> dict[str, Any] | None:
        value = self._get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, dict):
            spelled = self.spelled(name)
            raise InvalidRequest(f"Invalid {spelled}: expected an object", param=spelled)
        return value

    def metadata(self, current: dict[str, Any] | None = None) -> tuple[str, ...]:
        """`metadata[k]=v` as the services' `k=v` pairs (`metadata[k]=` removes k;
        `metadata=` removes every key of `current`, the object as it is)."""
        value = self._get("metadata")
        if value is None:
            return ()
        if value == "":
            return tuple(f"{key}=" for key in (current or {}))
        if not isinstance(value, dict):
            raise InvalidRequest("Invalid metadata: expected an object", param="metadata")
        pairs = []
        for key, held in value.items():
            if not isinstance(held, str):
                raise InvalidRequest(
                    f"Invalid metadata[{key}]: expected a string", param=f"metadata[{key}]"
                )
            pairs.append(f"{key}={held}")
        return tuple(pairs)

    def unknown(self) -> None:
        """Refuse the first parameter nothing read (Stripe's `parameter_unknown`)."""
        for name in self.values:
            if name not in self.taken:
                spelled = self.spelled(name)
                raise InvalidRequest(
                    f"Received unknown parameter: {spelled}",
                    param=spelled,
                    code="parameter_unknown",
                )
