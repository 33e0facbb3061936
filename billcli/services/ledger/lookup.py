"""Finding the object a command names: a malformed id is a bad value (exit 1), a
well-formed one the ledger lacks is missing (exit 6), and for writes a deleted customer
is as good as missing. Prices and products are looked up here too, once per
transaction, for every invoice line and subscription item that names one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from billcli.core.ids import check_id
from billcli.core.records import Customer
from billcli.core.records.clocks import TestClock
from billcli.errors import NotFound
from billcli.store.ledger import Tx

T = TypeVar("T")


def found(tx: Tx, kind: str, object_id: str, get: Callable[[str], T | None], *, param: str) -> T:
    """The `kind` object `get` finds for `object_id`, or the error that says why not.

    An object of a customer puts the transaction on that customer's clock (`Tx.enter`):
    what the command then does happens in that customer's time, and an object of
    another clock later in the same command is refused, naming its parameter.
    """
    check_id(object_id, kind, param=param)
    obj = get(object_id)
    if obj is None:
        raise NotFound(kind, object_id, param=param)
    if isinstance(obj, Customer):
        tx.enter(obj.test_clock, what=f"customer {obj.id}", param=param)
    elif isinstance(owner := getattr(obj, "customer", None), str):
        tx.owns(owner, param=param)
    return obj


def live_customer(tx: Tx, customer_id: str, *, param: str = "customer") -> Customer:
    """The customer a write may change; deleted or unknown ones are `resource_missing`."""
    customer = found(tx, "customer", customer_id, tx.customers.get, param=param)
    if customer.deleted:
        raise NotFound("customer", customer_id, param=param)
    return customer


def live_clock(tx: Tx, clock_id: str, *, param: str = "test_clock") -> TestClock:
    """A test clock not deleted (a deleted one is missing, as in Stripe)."""
    check_id(clock_id, "test_clock", param=param)
    clock = tx.test_clocks.get(clock_id)
    if clock is None or clock.deleted:
        raise NotFound("test clock", clock_id, param=param)
    return clock


def catalog(tx: Tx, table: str, ids: list[str]) -> dict[str, Any]:
    """Prices or products by id, each read once per transaction: a tick or a change
    never edits the catalog, and the catalog's own commands render from their records."""
    known: dict[str, Any] = tx.memo.setdefault(("catalog", table), {})
    missing = sorted({i for i in ids if i not in known})
    if missing:
        known.update(getattr(tx, table).get_many(missing))
    return {i: known[i] for i in ids if i in known}
