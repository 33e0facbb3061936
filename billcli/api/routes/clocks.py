"""Test clocks: `/v1/test_helpers/test_clocks`, many clocks in one ledger.

Stripe advances a clock asynchronously: the answer says `advancing`, and the client
polls until `ready`. billcli checks the request and claims the clock at once (a bad
one is refused before anything is written), then runs the advance in a thread of its
own and waits for it up to `ADVANCE_WAIT_S`: a short advance answers `ready`, a long
one answers `advancing` and goes on. A server stopped meanwhile leaves the clock
advancing, and the next advance finishes it, exactly once.

`clock_ledger` is the ledger clock as a test clock, as the API has always answered it:
advancing it is `invoices tick --to`. It is not listed (a list holds the clocks that
can be deleted) and cannot be deleted.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

from billcli.api import versions
from billcli.api.handlers import listed, paging, required, route
from billcli.api.params import Params
from billcli.core.tick import CLOCK_RETENTION_S
from billcli.errors import BillingError, InvalidRequest
from billcli.services.clock import clocks, removal, tick
from billcli.services.clock.tick import Course
from billcli.services.ledger import info as ledgers
from billcli.store.ledger import Ledger

LEDGER_CLOCK = "clock_ledger"
ADVANCE_WAIT_S = 10.0


def _ledger_clock(ledger: Ledger) -> dict[str, Any]:
    """The ledger clock as a `test_helpers.test_clock`."""
    state = ledgers.clock(ledger)
    return {
        "id": LEDGER_CLOCK,
        "object": "test_helpers.test_clock",
        "created": 0,
        "deletes_after": state.now + CLOCK_RETENTION_S,
        "frozen_time": state.now,
        "livemode": False,
        "name": "The ledger clock",
        "status": "ready",
        "status_details": {},
    }


@route("GET", "/v1/test_helpers/test_clocks")
def list_clocks(ledger: Ledger, p: Params) -> Any:
    request = paging(p)
    p.unknown()
    return listed(clocks.list_clocks(ledger, request))


@route("POST", "/v1/test_helpers/test_clocks")
def create_clock(ledger: Ledger, p: Params) -> Any:
    frozen, name = required(p.integer("frozen_time"), "frozen_time"), p.text("name")
    p.unknown()
    return clocks.create(ledger, str(frozen), name or None)


@route("GET", "/v1/test_helpers/test_clocks/{test_clock}")
def retrieve_clock(ledger: Ledger, p: Params, test_clock: str) -> Any:
    p.unknown()
    if test_clock == LEDGER_CLOCK:
        return _ledger_clock(ledger)
    return clocks.show(ledger, test_clock)


@route("POST", "/v1/test_helpers/test_clocks/{test_clock}/advance", own_transactions=True)
def advance_clock(ledger: Ledger, p: Params, test_clock: str) -> Any:
    frozen = required(p.integer("frozen_time"), "frozen_time")
    p.unknown()
    if test_clock == LEDGER_CLOCK:
        tick.tick(ledger, to=str(frozen), shape=versions.event_in)
        return _ledger_clock(ledger)
    course = clocks.begin(
        ledger, test_clock, to=str(frozen), param="frozen_time", shape=versions.event_in
    )
    running = threading.Thread(
        target=_finish, args=(ledger.path, course), name=f"advance {test_clock}", daemon=True
    )
    running.start()
    running.join(ADVANCE_WAIT_S)
    return clocks.show(ledger, test_clock)


def _finish(path: Path, course: Course) -> None:
    """The advance, on a connection of its own (the request's belongs to its thread).
    An expected failure (a ledger locked past the timeout) is one line on the server's
    stderr; the clock says the rest (still advancing, for the next advance to finish)."""
    try:
        with Ledger(path) as ledger:
            clocks.finish(ledger, course)
    except BillingError as error:
        sys.stderr.write(f"advance of {course.clock} stopped: {error.summary}\n")


@route("DELETE", "/v1/test_helpers/test_clocks/{test_clock}")
def delete_clock(ledger: Ledger, p: Params, test_clock: str) -> Any:
    p.unknown()
    if test_clock == LEDGER_CLOCK:
        raise InvalidRequest(
            "The ledger clock cannot be deleted: it is the ledger's own (`billcli ledger clock`)",
            param="test_clock",
        )
    return removal.delete(ledger, test_clock)


ROUTES = [
    list_clocks,
    create_clock,
    retrieve_clock,
    advance_clock,
    delete_clock,
]
