"""Reading one request's parameters: each handler takes what it knows, by type.

A parameter no handler took is Stripe's `parameter_unknown` (checked before anything is
written), inside nested objects too (`invoice_settings[nope]`); a value of the wrong
shape names its parameter as the request spelled it. Values stay text where the
services read text (amounts, whose currency decides their minor units). A documented
parameter of a capability billcli does not model is refused by name
(`api/unmodelled.py`), never taken silently.

An empty value is Stripe's way to unset a parameter (`description=`, `coupon=`,
`metadata[k]=`). Every reader here applies that one rule: a handler that can unset a
value asks with `cleared(name)` (or reads text with `clearable=True`) before reading it;
any other empty value is refused as Stripe refuses it (`parameter_invalid_empty`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from billcli.api.unmodelled import refusal
from billcli.core import limits
from billcli.core.pagination import Range
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


def integer_of(value: Any, name: str) -> int | None:
    """An integer parameter (nested ones too: `recurring[interval_count]`), or None."""
    if value is None or value == "":
        return None
    text = value if isinstance(value, str) else ""
    digits = text[1:] if text.startswith("-") else text
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 18:
        raise InvalidRequest(
            f"Invalid integer: {value}", param=name, code="parameter_invalid_integer"
        )
    return int(text)


@contextmanager
def spelled_as(names: Callable[[str], str | None]) -> Iterator[None]:
    """Errors raised inside named as the request spells their parameter: `names` maps a
    service's parameter name to the request's (None: keep it)."""
    try:
        yield
    except InvalidRequest as error:
        spelled = None if error.param is None else names(error.param)
        if spelled is not None:
            error.respelled(spelled)
        raise


def inside(outer: str) -> Callable[[str], str]:
    """The names of a nested object's parameters: `currency` inside `price_data` is
    `price_data[currency]`, `tiers[0][up_to]` is `price_data[tiers][0][up_to]`."""

    def name(param: str) -> str:
        if param == outer or param.startswith(f"{outer}["):
            return param
        head, bracket, rest = param.partition("[")
        return f"{outer}[{head}]{bracket}{rest}"

    return name


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
        self.unset: set[str] = set()  # sent empty, and read as "unset" by the handler
        self.tally: Tally | None = None  # a list's count, when `include[]=total_count`
        # How a name is spelled in the request, for errors (a nested or prefixed group).
        self.spelled = spelled

    def nested(self, name: str) -> Params:
        """The parameters inside `name[…]`, read as a group of their own (call its
        `unknown()` too): an empty string or an absent `name` is an empty group."""
        inner = self.map(name) or {}
        outer = self.spelled(name)
        return Params(inner, version=self.version, spelled=lambda key: f"{outer}[{key}]")

    def prefixed(self, prefix: str) -> Params:
        """The parameters spelled `PREFIXkey`, read as `key` (Stripe's flat
        `subscription_trial_end` beside the nested `subscription_details[trial_end]`)."""
        inner = {k[len(prefix) :]: v for k, v in self.values.items() if k.startswith(prefix)}
        self.taken.update(prefix + key for key in inner)
        return Params(inner, version=self.version, spelled=lambda key: prefix + key)

    def _get(self, name: str) -> Any:
        self.taken.add(name)
        if name in self.unset:
            return None
        value = self.values.get(name)
        if value == "":
            raise cannot_unset(self.spelled(name))
        return value

    def has(self, name: str) -> bool:
        self.taken.add(name)
        return name in self.values

    def each(self, name: str) -> list[Params]:
        """`name[0][…]`, `name[1][…]`…: one group per entry of a list of objects."""
        outer = self.spelled(name)
        return [
            Params(
                entry,
                version=self.version,
                spelled=lambda key, n=n: f"{outer}[{n}][{key}]",  # type: ignore[misc]
            )
            for n, entry in enumerate(self.maps(name))
        ]

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
            spelled = self.spelled(name)
            raise InvalidRequest(f"Invalid {spelled}: expected a string", param=spelled)
        return value

    def choice(self, name: str, allowed: Sequence[str]) -> str | None:
        """A text parameter Stripe takes only from a list of values."""
        return limits.choice(self.text(name), allowed, self.spelled(name))

    def amount(self, name: str) -> str | None:
        """An integer amount in minor units, as text for the services to read."""
        value = self.text(name)
        if value is None:
            return None
        digits = value[1:] if value.startswith("-") else value
        if not (digits.isascii() and digits.isdigit()):
            raise InvalidRequest(
                f"Invalid integer: {value}",
                param=self.spelled(name),
                code="parameter_invalid_integer",
            )
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
        if value is None or value == "":
            return []
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, kind) for item in items):
            spelled = self.spelled(name)
            raise InvalidRequest(f"Invalid {spelled}: expected a list of {kinds}", param=spelled)
        return items

    def map(self, name: str) -> dict[str, Any] | None:
        value = self._get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            spelled = self.spelled(name)
            raise InvalidRequest(f"Invalid {spelled}: expected an object", param=spelled)
        return value

    def range(self, name: str) -> Range | None:
        """A time filter: one value (`due_date=…`) or bounds (`due_date[gte]=…`)."""
        if not isinstance(self.values.get(name), dict):
            exact = self.integer(name)
            return None if exact is None else Range(gte=exact, lte=exact)
        bounds = self.nested(name)
        found = Range(**{key: bounds.integer(key) for key in ("gt", "gte", "lt", "lte")})
        bounds.unknown()
        return found

    def metadata(self, current: dict[str, Any] | None = None) -> tuple[str, ...]:
        """`metadata[k]=v` as the services' `k=v` pairs (`metadata[k]=` removes k;
        `metadata=` removes every key of `current`, the object as it is; None for a
        deleted object's stub, whose write the service refuses as `resource_missing`)."""
        if self.cleared("metadata"):
            return tuple(f"{key}=" for key in (current or {}))
        value = self._get("metadata")
        if value is None:
            return ()
        if not isinstance(value, dict):
            spelled = self.spelled("metadata")
            raise InvalidRequest(f"Invalid {spelled}: expected an object", param=spelled)
        pairs = []
        for key, held in value.items():
            if not isinstance(held, str):
                spelled = self.spelled(f"metadata[{key}]")
                raise InvalidRequest(f"Invalid {spelled}: expected a string", param=spelled)
            pairs.append(f"{key}={held}")
        return tuple(pairs)

    def refuse(self, *names: str) -> None:
        """Refuse each of `names` that was sent: documented parameters of capabilities
        billcli does not model (Connect, mandates, cash balances…), each said by name."""
        for name in names:
            if self.has(name):
                raise refusal(name, self.spelled(name))

    def unknown(self) -> None:
        """Refuse the first parameter nothing read (Stripe's `parameter_unknown`)."""
        limits.only_keys(self.values, self.taken, spelled=self.spelled)


# Unknown keys of a group or of a hash parameter: one reading, the core's.
only = limits.only_keys
