"""Test clocks."""

from __future__ import annotations

from typing import Any

from billcli.api import versions
from billcli.api.handlers import paging, required, route
from billcli.api.params import Params
from billcli.core.dates import moment
from billcli.errors import InvalidRequest, NotFound
from billcli.services.clock import tick
from billcli.services.ledger import info as ledgers
from billcli.store.ledger import Ledger

CLOCK_ID = "clock_ledger"


def _clock(ledger: Ledger) -> dict[str, Any]:
    """The ledger clock as a `test_helpers.test_clock`."""

    state = ledgers.clock(ledger)
    return {
        "id": CLOCK_ID,
        "object": "test_helpers.test_clock",
        "created": 0,
        "deletes_after": state.now + 30 * 86_400,
        "frozen_time": state.now,
        "livemode": False,
        "name": "The ledger clock",
        "status": "ready",
    }


def _own(test_clock: str) -> None:
    if test_clock != CLOCK_ID:
        raise NotFound("test_helpers.test_clock", test_clock, param="test_clock")


@route("GET", "/v1/test_helpers/test_clocks")
def list_clocks(ledger: Ledger, p: Params) -> Any:
    paging(p)
    p.unknown()
    return {
        "object": "list",
        "url": "/v1/test_helpers/test_clocks",
        "has_more": False,
        "data": [_clock(ledger)],
    }


@route("POST", "/v1/test_helpers/test_clocks", own_transactions=True)
def create_clock(ledger: Ledger, p: Params) -> Any:
    """Creating a test clock answers the ledger's own (its frozen time asked for first)."""
    frozen, name = required(p.integer("frozen_time"), "frozen_time"), p.text("name")
    p.unknown()
    clock = _clock(ledger)
    if frozen < clock["frozen_time"]:
        raise InvalidRequest(
            f"Invalid frozen_time: the ledger clock is at {moment(clock['frozen_time'])} "
            "already and "
            "never moves backwards",
            param="frozen_time",
        )
    if frozen > clock["frozen_time"]:
        return advance_clock.handler(ledger, Params({"frozen_time": str(frozen)}), CLOCK_ID)
    return clock | ({"name": name} if name else {})


@route("GET", "/v1/test_helpers/test_clocks/{test_clock}")
def retrieve_clock(ledger: Ledger, p: Params, test_clock: str) -> Any:
    p.unknown()
    _own(test_clock)
    return _clock(ledger)


@route("POST", "/v1/test_helpers/test_clocks/{test_clock}/advance", own_transactions=True)
def advance_clock(ledger: Ledger, p: Params, test_clock: str) -> Any:
    """Advancing the test clock is `invoices tick --to`: every due step at its instant."""

    frozen = required(p.integer("frozen_time"), "frozen_time")
    p.unknown()
    _own(test_clock)
    tick.tick(ledger, to=str(frozen), shape=versions.event_in)
    return _clock(ledger)


@route("DELETE", "/v1/test_helpers/test_clocks/{test_clock}")
def delete_clock(ledger: Ledger, p: Params, test_clock: str) -> Any:
    p.unknown()
    _own(test_clock)
    raise InvalidRequest(
        "The ledger clock cannot be deleted: it is the ledger's own (`billcli ledger clock`)",
        param="test_clock",
    )


ROUTES = [
    list_clocks,
    create_clock,
    retrieve_clock,
    advance_clock,
    delete_clock,
]
