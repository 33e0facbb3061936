"""Customer balance transactions: the append-only ledger behind `customer.balance`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import objects
from billcli.core.ids import check_id, new_id
from billcli.core.ledger import ending_balance
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import normalize_currency, parse_amount
from billcli.core.pagination import Page, PageRequest
from billcli.core.records import BalanceTransaction, Customer
from billcli.errors import InvalidRequest, NotFound
from billcli.services import settings
from billcli.services.customers_lookup import live_customer
from billcli.services.events import record
from billcli.services.idempotency import once
from billcli.store.ledger import Ledger, Tx


def balance_currency(tx: Tx, customer: Customer, requested: str | None) -> str:
    """The currency a balance change for `customer` is in (billcli-decisions: Currency).

    The customer's own currency wins; a request for another one is refused. A customer
    without one takes the requested currency, else the ledger default.
    """
    wanted = normalize_currency(requested) if requested else None
    if customer.currency:
        if wanted and wanted != customer.currency:
            raise InvalidRequest(
                f"Invalid currency: {customer.id} keeps its balance in {customer.currency}, "
                f"not {wanted}",
                param="currency",
            )
        return customer.currency
    return wanted or settings.value(tx, "default_currency")


def post(
    tx: Tx,
    customer: Customer,
    amount: int,
    currency: str,
    type_: str,
    *,
    description: str | None = None,
    invoice: str | None = None,
    metadata: dict[str, str] | None = None,
    param: str = "amount",
) -> tuple[Customer, BalanceTransaction]:
    """Append one transaction and move the customer's balance with it."""
    txn = BalanceTransaction(
        id=new_id("customer_balance_transaction"),
        customer=customer.id,
        created=tx.now,
        amount=amount,
        currency=currency,
        ending_balance=ending_balance(customer.balance, amount, param=param),
        type=type_,
        description=description,
        invoice=invoice,
        metadata=metadata or {},
    )
    tx.balance.add(txn)
    updated = replace(customer, balance=txn.ending_balance, currency=currency)
    tx.customers.save(updated)
    return updated, txn


@dataclass(frozen=True)
class AdjustmentInput:
    """`balance create` as typed: amounts stay text until the currency is known."""

    customer: str
    amount: str
    currency: str | None = None
    description: str | None = None
    metadata: tuple[str, ...] = ()


def create(
    ledger: Ledger, request: AdjustmentInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    """An `adjustment`: negative credits the customer, positive debits them."""
    check_id(request.customer, "customer", param="customer")
    changes = parse_pairs(request.metadata)
    params = {
        "customer": request.customer,
        "amount": request.amount,
        "currency": request.currency,
        "description": request.description,
        "metadata": changes,
    }
    with ledger.write() as tx:

        def action() -> dict[str, Any]:
            customer = live_customer(tx, request.customer)
            currency = balance_currency(tx, customer, request.currency)
            amount = parse_amount(request.amount, currency)
            updated, txn = post(
                tx,
                customer,
                amount,
                currency,
                "adjustment",
                description=request.description,
                metadata=merged({}, changes),
            )
            record_customer_update(tx, customer, updated)
            return objects.balance_transaction(txn)

        return once(tx, "balance.create", idempotency_key, params, action)


def record_customer_update(tx: Tx, before: Customer, after: Customer) -> None:
    """`customer.updated` with the old values of what changed, when anything did."""
    old, new = objects.customer(before), objects.customer(after)
    if old == new:
        return
    record(tx, "customer.updated", new, previous=objects.changed_attributes(old, new))


def list_transactions(ledger: Ledger, customer_id: str, request: PageRequest) -> Page:
    check_id(customer_id, "customer", param="customer")
    with ledger.read() as tx:
        if tx.customers.get(customer_id) is None:
            raise NotFound("customer", customer_id, param="customer")
        txns, has_more = tx.balance.page(customer_id, request)
    return Page(
        f"/v1/customers/{customer_id}/balance_transactions",
        [objects.balance_transaction(t) for t in txns],
        has_more,
    )


def _transaction(tx: Tx, customer_id: str, txn_id: str) -> BalanceTransaction:
    check_id(customer_id, "customer", param="customer")
    check_id(txn_id, "customer_balance_transaction", param="transaction")
    if tx.customers.get(customer_id) is None:
        raise NotFound("customer", customer_id, param="customer")
    txn = tx.balance.get(customer_id, txn_id)
    if txn is None:
        raise NotFound("customer balance transaction", txn_id, param="transaction")
    return txn


def show(ledger: Ledger, customer_id: str, txn_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return objects.balance_transaction(_transaction(tx, customer_id, txn_id))


def update(
    ledger: Ledger,
    customer_id: str,
    txn_id: str,
    *,
    description: str | None,
    metadata: tuple[str, ...],
) -> dict[str, Any]:
    """Change a transaction's description or metadata: nothing else ever changes."""
    changes = parse_pairs(metadata)
    with ledger.write() as tx:
        txn = _transaction(tx, customer_id, txn_id)
        new_description = txn.description if description is None else (description or None)
        annotated = replace(
            txn, description=new_description, metadata=merged(txn.metadata, changes)
        )
        if annotated != txn:
            tx.balance.annotate(txn.id, annotated.description, annotated.metadata)
        return objects.balance_transaction(annotated)
