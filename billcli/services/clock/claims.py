"""Who is advancing a test clock, and whether they still are.

An advance claims its clock in the transaction that makes it `advancing`: the process
("host:pid") and a lease in wall-clock seconds, renewed by every step it commits. A
process killed mid-way (kill -9, a power cut) leaves the clock `advancing`; the next
advance takes it over at once when the process is gone from this host, or when the
lease lapses (another host, or a process that hangs), and finishes the work: every step
re-checks its object, so what the dead one committed is never done again.

Wall-clock, not ledger time: a lease says whether a process is alive, which is
a matter of real seconds whatever any clock of the ledger shows.
"""

from __future__ import annotations

import os
import socket
import time

from billcli.core.records.clocks import TestClock
from billcli.errors import InvalidRequest
from billcli.store.ledger import Tx

# Longer than any one step holds (tens of milliseconds) or any webhook batch waits
# (the ledger's webhook timeout, 10 s by default) between two renewals.
LEASE_S = 120.0


def me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def wall() -> float:
    return time.time()


def held(clock: TestClock, *, at: float | None = None) -> bool:
    """Whether a live advance holds the clock: its process still runs here, or (on
    another host) its lease has not lapsed."""
    if clock.status != "advancing" or clock.advanced_by is None:
        return False
    if clock.lease_until is None or clock.lease_until < (wall() if at is None else at):
        return False
    host, _, pid = clock.advanced_by.rpartition(":")
    return host != socket.gethostname() or _running(int(pid))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def refuse_if_held(clock: TestClock, doing: str) -> None:
    if held(clock):
        raise InvalidRequest(
            f"Invalid test_clock: {clock.id} is advancing (by {clock.advanced_by}); "
            f"{doing} once it is ready",
            param="test_clock",
        )


def renew(tx: Tx, clock_id: str, owner: str) -> None:
    """Keep the claim, in the transaction of a step; a claim another process has taken
    over (this one stalled past its lease) stops this advance before it writes."""
    if not tx.test_clocks.renew(clock_id, owner, wall() + LEASE_S):
        raise InvalidRequest(
            f"Invalid test_clock: another process took over the advance of {clock_id}",
            param="test_clock",
        )
