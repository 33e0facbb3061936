"""Phases as a person types them (`--phase`) or files them (Stripe's JSON): read into
`PhaseInput`s. Pure."""

from __future__ import annotations

from typing import Any

from billcli.core.dates import parse_instant
from billcli.core.schedules import PhaseInput
from billcli.errors import InvalidRequest

# `--phase "PRICE[:QTY],… iterations=N end=TIME start=TIME proration=B coupon=C
# collection=M trial_end=TIME"`: the items first, then settings in any order.
_SETTINGS = {
    "iterations": "iterations",
    "end": "end_date",
    "start": "start_date",
    "proration": "proration_behavior",
    "coupon": "coupon",
    "collection": "collection_method",
    "trial_end": "trial_end",
}
_TIMES = ("end_date", "start_date", "trial_end")


def _quantity(text: str, param: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise InvalidRequest(f"Invalid {param}: '{text}' is not a whole number", param=param)
    return int(text)


def parse_phase(spec: str, n: int) -> PhaseInput:
    """One `--phase` value."""
    words = spec.split()
    if not words:
        raise InvalidRequest(f"Invalid phases[{n}]: empty", param=f"phases[{n}]")
    items = []
    for m, item in enumerate(words[0].split(",")):
        price, colon, count = item.partition(":")
        param = f"phases[{n}][items][{m}]"
        items.append((price, _quantity(count, f"{param}[quantity]") if colon else 1))
    given: dict[str, Any] = {"items": tuple(items)}
    for word in words[1:]:
        key, equals, value = word.partition("=")
        if not equals or key not in _SETTINGS:
            raise InvalidRequest(
                f"Invalid phases[{n}]: '{word}' (use {', '.join(_SETTINGS)} as KEY=VALUE)",
                param=f"phases[{n}]",
            )
        given[_SETTINGS[key]] = value
    return _phase(given, n)


def _phase(given: dict[str, Any], n: int) -> PhaseInput:
    values = dict(given)
    for name in _TIMES:
        if name == "start_date" and values.get(name) == "now":
            continue  # an update's first phase starts now (PhaseInput.checked)
        if isinstance(values.get(name), str):
            values[name] = parse_instant(values[name], param=f"phases[{n}][{name}]")
    if isinstance(values.get("iterations"), str):
        values["iterations"] = _quantity(values["iterations"], f"phases[{n}][iterations]")
    return PhaseInput(**values)


def phases_from_json(document: Any) -> tuple[PhaseInput, ...]:
    """`phases` of a Stripe-shaped JSON document (`items: [{price, quantity}]`)."""
    if not isinstance(document, list):
        raise InvalidRequest("Invalid phases: expected a list", param="phases")
    phases = []
    for n, phase in enumerate(document):
        if not isinstance(phase, dict):
            raise InvalidRequest(f"Invalid phases[{n}]: expected an object", param=f"phases[{n}]")
        known = {"items", "metadata", *_SETTINGS.values()}
        for key in phase:
            if key not in known:
                raise InvalidRequest(
                    f"Received unknown parameter: phases[{n}][{key}]",
                    param=f"phases[{n}][{key}]",
                    code="parameter_unknown",
                )
        items = tuple(
            (str(item.get("price")), int(item.get("quantity", 1)))
            for item in phase.get("items") or []
            if isinstance(item, dict)
        )
        metadata = tuple(f"{k}={v}" for k, v in (phase.get("metadata") or {}).items())
        phases.append(_phase({**phase, "items": items, "metadata": metadata}, n))
    return tuple(phases)
