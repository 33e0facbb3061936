"""Reading one request's parameters: each handler takes what it knows, by type.

A parameter no handler took is Stripe's `parameter_unknown` (checked before anything is
written); a value of the wrong shape names its parameter. Values stay text where the
services read text (amounts, whose currency decides their minor units).

An empty value is Stripe's way to unset a parameter (`description=`, `coupon=`,
`metadata[k]=`). Every reader here applies that one rule: a handler that can unset a
value asks with `cleared(name)` (or reads text with `clearable=True`) before reading it;
any other empty value is refused as Stripe refuses it (`parameter_invalid_empty`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from billcli.errors import InvalidRequest

if TYPE_CHECKING:
    from billcli.core.pagination import Tally


def cannot_unset(name: str) -> InvalidRequest:
    """Stripe's answer to an empty value for a parameter that cannot be unset."""
    return InvalidRequest(
        f"You passed an empty string for '{name}'. We assume empty values are an attempt to "
        f"unset a parameter; however '{name}' cannot be unset. You should remove '{name}' "
        "from your request or supply a non-empty value.",
        param=name,
        code="parameter_invalid_empty",
    )


class Params:
    def __init__(self, values: dict[str, Any], *, version: str = "2023-08-16"):
        self.values = values
        self.version = version  # the API version the request is answered in
        self.taken: set[str] = {"expand"}
        self.unset: set[str] = set()  # sent empty, and read as "unset" by the handler
        self.tally: Tally | None = None  # a list's count, when `include[]=total_count`

    def _get(self, name: str) -> Any:
        self.taken.add(name)
        if name in self.unset:
            return None
        value = self.values.get(name)
        if value == "":
            raise cannot_unset(name)
        return value

    def has(self, name: str) -> bool:
        self.taken.add(name)
        return name in self.values

    def cleared(self, name: str) -> bool:
        """Whether `name` was sent empty, which unsets it; its typed reads then give None."""
        self.taken.add(name)
        if self.values.get(name) == "":
            self.unset.add(name)
            return True
        return False

    def text(self, name: str, *, clearable: bool = False) -> str | None:
        """A string; with `clearable`, an empty one is "" (unset it), else refused."""
        if clearable and self.cleared(name):
            return ""
        value = self._get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            raise InvalidRequest(f"Invalid {name}: expected a string", param=name)
        return value

    def amount(self, name: str) -> str | None:
        """An integer amount in minor units, as text for the services to read."""
        value = self.text(name)
        if value is None:
            return None
        digits = value[1:] if value.startswith("-") else value
        if not (digits.isascii() and digits.isdigit()):
            raise InvalidRequest(f"Invalid integer: {value}", param=name)
        return value

    def integer(self, name: str) -> int | None:
        value = self.text(name)
        if value is None or value == "":
            return None
        digits = value[1:] if value.startswith("-") else value
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 18:
            raise InvalidRequest(f"Invalid integer: {value}", param=name)
        return int(value)

    def boolean(self, name: str) -> bool | None:
        value = self.text(name)
        if value is None:
            return None
        if value not in ("true", "false"):
            raise InvalidRequest(f"Invalid boolean: {value}", param=name)
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
            raise InvalidRequest(f"Invalid {name}: expected a list of {kinds}", param=name)
        return items

    def map(self, name: str) -> dict[str, Any] | None:
        value = self._get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise InvalidRequest(f"Invalid {name}: expected an object", param=name)
        return value

    def metadata(self, current: dict[str, Any] | None = None) -> tuple[str, ...]:
        """`metadata[k]=v` as the services' `k=v` pairs (`metadata[k]=` removes k;
        `metadata=` removes every key of `current`, the object as it is)."""
        if self.cleared("metadata"):
            return tuple(f"{key}=" for key in (current or {}))
        value = self._get("metadata")
        if value is None:
            return ()
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
        only(self.values, self.taken)


def only(given: dict[str, Any], known: Collection[str], within: str = "") -> None:
    """Refuse the first key of `given` that is not `known`, named as Stripe names it:
    `within[key]` inside a map (`restrictions[minimum]`), or the bare key."""
    for key in given:
        if key not in known:
            name = f"{within}[{key}]" if within else key
            raise InvalidRequest(
                f"Received unknown parameter: {name}", param=name, code="parameter_unknown"
            )
