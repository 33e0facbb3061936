"""How an event is written for an endpoint: in the API version the endpoint keeps.

Objects are recorded in 2023-08-16; walking one to another version is the API's
(`api/versions.py`). Services cannot import it, so the processes that deliver (the CLI's
`invoices tick` and `events deliver`, the API server's test clock) hand that walk in as
a `Shape`; without one an event goes out as recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# (the event as recorded, the endpoint's API version) -> the event as that version has it
Shape = Callable[[dict[str, Any], str], dict[str, Any]]


def as_recorded(event: dict[str, Any], version: str) -> dict[str, Any]:
    """No walk at hand: the event in the version it was recorded in."""
    return event
