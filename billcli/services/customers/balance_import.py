"""`balance import`: a file of adjustments applied all at once, or not at all.

The file is read once, inside one `BEGIN IMMEDIATE` transaction: rows are checked and
written in batches as they come, and the first bad row stops the writing (checking
goes on to report every bad row) and rolls the whole transaction back. Rows whose
idempotency key was already used with the same parameters are skipped, so re-running
a file applies nothing twice.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from billcli.core import limits, objects
from billcli.core.ids import check_id
from billcli.core.imports import (
    ImportRejected,
    RowErrors,
    metadata_pairs,
    required_field,
    text_field,
)
from billcli.core.ledger import balance_currency, new_transaction
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import parse_amount
from billcli.core.records import BalanceTransaction, Customer
from billcli.errors import BillingError, InvalidRequest, NotFound
from billcli.services.ledger import settings
from billcli.services.ledger.events import append, balance_changed
from billcli.services.ledger.idempotency import remember, replay
from billcli.services.ledger.rows import Row, RowFile
from billcli.store.ledger import Ledger, Tx

COLUMNS = frozenset(
    {"customer", "amount", "currency", "description", "metadata", "idempotency_key"}
)
BATCH_ROWS = 5000


@dataclass
class BalanceImport:
    """The running state of one import: customers as the file has left them so far."""

    tx: Tx
    default_currency: str
    before: dict[str, Customer | None] = field(default_factory=dict)
    running: dict[str, tuple[int, str]] = field(default_factory=dict)
    errors: RowErrors = field(default_factory=RowErrors)
    rows: int = 0
    skipped: int = 0
    applied: int = 0
    net: dict[str, int] = field(default_factory=dict)

    def take(self, rows: list[Row]) -> None:
        """Check a batch of rows and, while the file is still clean, write them."""
        self._load_customers(rows)
        pending: list[BalanceTransaction] = []
        for row in rows:
            self.rows += 1
            try:
                txn = self._transaction(row)
            except BillingError as error:
                self.errors.add(row.number, row.line, error)
                continue
            if txn is not None:
                pending.append(txn)
        if not self.errors:
            self.tx.balance.add_many(pending)

    def _load_customers(self, rows: list[Row]) -> None:
        wanted = {str(r.fields.get("customer")) for r in rows} - self.before.keys()
        found = self.tx.customers.get_many(sorted(wanted))
        for customer_id in wanted:
            self.before[customer_id] = found.get(customer_id)

    def _customer(self, customer_id: str) -> tuple[Customer, int, str | None]:
        """The customer with its balance and currency as the file has left them so far."""
        customer = self.before.get(customer_id)
        if customer is None:
            check_id(customer_id, "customer", param="customer")  # a typo reads as one
        if customer is None or customer.deleted:
            raise NotFound("customer", customer_id, param="customer")
        balance, currency = self.running.get(customer_id, (customer.balance, customer.currency))
        return customer, balance, currency

    def _transaction(self, row: Row) -> BalanceTransaction | None:
        fields = row.fields
        if "__error__" in fields:
            raise InvalidRequest(str(fields["__error__"]))
        customer, balance, own_currency = self._customer(required_field(fields, "customer"))
        amount_text = required_field(fields, "amount")
        requested = text_field(fields, "currency")
        currency = balance_currency(customer.id, own_currency, requested, self.default_currency)
        amount = parse_amount(amount_text, currency)
        description = limits.text(
            "customer_balance_transaction", "description", text_field(fields, "description")
        )
        changes = parse_pairs(metadata_pairs(fields))
        key = text_field(fields, "idempotency_key")
        if key is not None:
            params = {
                "customer": customer.id,
                "amount": amount_text,
                "currency": requested,
                "description": description,
                "metadata": changes,
            }
            if replay(self.tx, "balance.create", key, params) is not None:
                self.skipped += 1
                return None
        txn = new_transaction(
            customer.id,
            balance,
            amount,
            currency,
            "adjustment",
            self.tx.now,
            description=description,
            metadata=merged({}, changes) if changes else {},
        )
        self.running[customer.id] = (txn.ending_balance, currency)
        if key is not None:
            remember(self.tx, "balance.create", key, params, objects.balance_transaction(txn))
        self.applied += 1
        self.net[currency] = self.net.get(currency, 0) + amount
        return txn

    def finish(self) -> None:
        """Save each touched customer once, with one `customer.updated` event each."""
        self.tx.customers.set_balances(
            [(cid, balance, currency) for cid, (balance, currency) in self.running.items()]
        )
        touched = iter(self.running.items())
        while batch := list(itertools.islice(touched, BATCH_ROWS)):
            events = []
            for customer_id, (balance, currency) in batch:
                before = self.before[customer_id]
                assert before is not None
                after = replace(before, balance=balance, currency=currency)
                event = balance_changed(self.tx, before, after)
                if event is not None:
                    events.append(event)
            append(self.tx, events)

    def summary(self) -> dict[str, Any]:
        return {
            "object": "balance_import",
            "rows": self.rows,
            "applied": self.applied,
            "skipped": self.skipped,
            "customers": len(self.running),
            "net": dict(sorted(self.net.items())),
        }


def import_file(
    ledger: Ledger, path: Path, *, progress: Callable[[int], None] | None = None
) -> dict[str, Any]:
    """Apply every row of `path` in one transaction, or refuse the file naming bad rows."""
    source = RowFile(path, columns=COLUMNS)
    # Every customer a row names is read (and refused if missing) in this transaction.
    with ledger.bulk(references_checked=True), ledger.write() as tx:
        job = BalanceImport(tx, settings.value(tx, "default_currency"))
        rows = source.rows(progress)
        while batch := list(itertools.islice(rows, BATCH_ROWS)):
            job.take(batch)
        if job.errors:
            raise ImportRejected(str(path), job.errors)
        if job.rows == 0:
            raise InvalidRequest(f"Invalid file: {path} has no rows", param="file")
        job.finish()
        return job.summary()
