"""Test clocks: the times customers may live in instead of the ledger's."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TestClock:
    """A clock of its own for the customers created on it.

    `frozen_time` is their now. While an advance runs, `target_frozen_time` is where it
    goes, `advanced_by` names the process doing it ("host:pid") and `lease_until` (wall
    clock seconds) is when its claim lapses unless renewed: a process killed mid-way
    leaves the clock `advancing`, and the next advance takes it over and finishes.
    """

    __test__ = False  # not a pytest class, whatever its name

    id: str
    created: int
    deletes_after: int
    frozen_time: int
    name: str | None = None
    status: str = "ready"
    target_frozen_time: int | None = None
    advanced_by: str | None = None
    lease_until: float | None = None
    deleted: bool = False
