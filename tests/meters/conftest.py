"""Fixtures of the usage tests: a clock at START, a customer with a card, a meter, and
the Stripe rules the tests recompute money with (independently of billcli's code)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import spec_dir
from tests.subscriptions.conftest import START, at_start, customer, ts  # noqa: F401

PERIOD_END = ts("2027-02-28T12:00:00Z")  # the first monthly period from START (clamped)
HOUR = 3600


@pytest.fixture
def meter(ok: Callable[..., Any], at_start: int) -> Callable[..., str]:  # noqa: F811
    """A meter of `aggregation` for event name `name`; its id."""

    def make(name: str = "api_calls", aggregation: str = "sum", *extra: str) -> str:
        created = ok(
            "meters",
            "create",
            "--event-name",
            name,
            "--display-name",
            name,
            "--aggregation",
            aggregation,
            *extra,
        )
        return str(created["id"])

    return make


@pytest.fixture
def send(ok: Callable[..., Any]) -> Callable[..., dict[str, Any]]:
    """Send one event (value, identifier and timestamp optional)."""

    def event(
        customer_id: str, value: int | None = None, name: str = "api_calls", **options: str
    ) -> dict[str, Any]:
        args = ["meters", "events", "send", "--event-name", name, "--customer", customer_id]
        if value is not None:
            args += ["--value", str(value)]
        for option, given in options.items():
            args += [f"--{option}", given]
        return ok(*args)  # type: ignore[no-any-return]

    return event


@pytest.fixture
def summary(ok: Callable[..., Any]) -> Callable[..., int]:
    """What the meter counted for the customer over [start, end)."""

    def value(meter_id: str, customer_id: str, start: int, end: int) -> int:
        found = ok(
            "meters",
            "summaries",
            meter_id,
            "--customer",
            customer_id,
            "--from",
            str(start),
            "--to",
            str(end),
        )["data"]
        assert len(found) == 1
        return int(found[0]["aggregated_value"])

    return value


@pytest.fixture(scope="session")
def fixture_of() -> Callable[[str], dict[str, Any]]:
    """The current shape of a billing object, from the extract's `x-current-fixtures`."""
    folder = spec_dir()
    if folder is None:
        pytest.skip("no schema extract (set BILLCLI_SPEC_DIR)")
    resources = json.loads((folder / "stripe-openapi-extract.json").read_text())[
        "x-current-fixtures"
    ]["resources"]
    return lambda name: resources[name]  # type: ignore[no-any-return]


def assert_shaped(obj: Any, fixture: Any, where: str = "") -> None:
    """`obj` has exactly the fixture's fields, each of the fixture's JSON type (a field
    null in the fixture may be anything; nested hashes are compared the same way)."""
    if fixture is None:
        return
    if isinstance(fixture, dict):
        assert isinstance(obj, dict), f"{where} is not a hash"
        assert set(obj) == set(fixture), f"{where}: {sorted(set(obj) ^ set(fixture))}"
        for key, value in fixture.items():
            assert_shaped(obj[key], value, f"{where}.{key}")
        return
    kinds = (int,) if isinstance(fixture, int) and not isinstance(fixture, bool) else type(fixture)
    assert obj is None or isinstance(obj, kinds), f"{where} is {obj!r}"


def graduated(quantity: int, tiers: list[tuple[int | None, int, int]]) -> int:
    """Stripe's graduated tiers: each unit priced by the tier it falls in, and each
    reached tier's flat amount added once. `tiers`: (up_to or None, unit, flat)."""
    total, below = 0, 0
    for up_to, unit, flat in tiers:
        if quantity <= below:
            break
        units = quantity - below if up_to is None else min(quantity, up_to) - below
        total += units * unit + flat
        if up_to is None:
            break
        below = up_to
    return total


def volume(quantity: int, tiers: list[tuple[int | None, int, int]]) -> int:
    """Stripe's volume tiers: every unit at the price of the tier the total falls in."""
    for up_to, unit, flat in tiers:
        if up_to is None or quantity <= up_to:
            return quantity * unit + flat
    raise AssertionError("the last tier is unbounded")
