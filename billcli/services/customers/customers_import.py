"""`customers import`: migrate a customer base in one all-or-nothing transaction.

Each row goes through exactly the path of `customers create` (same checks, same
events, same idempotency keys), inside a savepoint, so a bad row leaves no trace and
checking goes on to report every bad row before the whole import is rolled back. One
transaction lives on one clock: the rows of a file name at most one test clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from billcli.core.imports import ImportRejected, RowErrors, metadata_pairs, text_field
from billcli.errors import BillingError, InvalidRequest
from billcli.services.customers.customers import CREATE_COMMAND, CustomerInput, create_in
from billcli.services.discounts.applicable import customer_object
from billcli.services.ledger.idempotency import remember, replay
from billcli.services.ledger.rows import Row, RowFile
from billcli.store.ledger import Ledger, Tx
from billcli.store.search import defer_indexing, index_deferred

TEXT_COLUMNS = (
    "name",
    "email",
    "description",
    "phone",
    "currency",
    "balance",
    "invoice_prefix",
    "payment_method",
)
COLUMNS = frozenset({*TEXT_COLUMNS, "clock", "metadata", "idempotency_key"})


def _input(row: Row) -> CustomerInput:
    fields = row.fields
    if "__error__" in fields:
        raise InvalidRequest(str(fields["__error__"]))
    given: dict[str, Any] = {name: text_field(fields, name) for name in TEXT_COLUMNS}
    clock = text_field(fields, "clock")
    return CustomerInput(**given, test_clock=clock, metadata=metadata_pairs(fields)).checked()


def _import_row(tx: Tx, row: Row) -> tuple[dict[str, Any], bool]:
    """The customer a row creates (or created before, when its key was used): replayed?"""
    data = _input(row)
    key = text_field(row.fields, "idempotency_key")
    params = data.params()
    if key is not None:
        stored = replay(tx, CREATE_COMMAND, key, params)
        if stored is not None:
            return stored, True
    with tx.savepoint():
        customer = create_in(tx, data, key)
        if key is not None:
            remember(tx, CREATE_COMMAND, key, params, customer)
    return customer, False


def import_file(
    ledger: Ledger, path: Path, *, progress: Callable[[int], None] | None = None
) -> dict[str, Any]:
    """Create a customer per row, in file order; refuse the file naming every bad row."""
    source = RowFile(path, columns=COLUMNS)
    errors = RowErrors()
    created: list[str] = []
    skipped = 0
    with ledger.bulk(), ledger.write() as tx:
        indexed_from = defer_indexing(tx.conn, "customers")
        for row in source.rows(progress):
            try:
                customer, replayed = _import_row(tx, row)
            except BillingError as error:
                errors.add(row.number, row.line, error)
                continue
            skipped += replayed
            if not errors:
                created.append(customer["id"])
        if errors:
            raise ImportRejected(str(path), errors)
        if not created:
            raise InvalidRequest(f"Invalid file: {path} has no rows", param="file")
        index_deferred(tx.conn, "customers", "customer", indexed_from)
    return {
        "object": "customer_import",
        "rows": len(created),
        "applied": len(created) - skipped,
        "skipped": skipped,
        "ids": created,
    }


def customers_in_order(
    ledger: Ledger, ids: list[str], batch: int = 500
) -> Iterator[dict[str, Any]]:
    """The customers named by `ids`, as they are now, in that order, a batch at a time."""
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        with ledger.read() as tx:
            found = tx.customers.get_many(chunk)
            shown = [customer_object(tx, found[i]) for i in chunk]
        yield from shown
