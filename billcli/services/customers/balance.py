"""Customer balance transactions: the append-only ledger behind `customer.balance`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import limits, objects
from billcli.core.ids import check_id
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import parse_amount
from billcli.core.pagination import Page, PageRequest
from billcli.core.records import BalanceTransaction, Customer
from billcli.errors import NotFound
from billcli.services.ledger import settings
from billcli.services.ledger.events import append, customer_updated
from billcli.services.ledger.idempotency import once
from billcli.services.ledger.lookup import found, live_customer
from billcli.store.ledger import Ledger, Tx

KIND = "customer_balance_transaction"


def balance_currency(tx: Tx, customer: Customer, requested: str | None) -> str:
    """The currency of a balance change for `customer`, with this ledger's default."""
    # startup: loaded by the writes that need it; reads start lighter
    from billcli.core.ledger import balance_currency as core_balance_currency

    default = customer.currency or settings.value(tx, "default_currency")
    return core_balance_currency(customer.id, customer.currency, requested, default)


def adopt_currency(tx: Tx, customer: Customer, requested: str | None) -> tuple[Customer, str]:
    """The customer with its balance currency set (first use sets it, with its
    `customer.updated`), and that currency: what an item, invoice or subscription
    created for the customer is denominated in."""
    currency = balance_currency(tx, customer, requested)
    if customer.currency is not None:
        return customer, currency
    adopted = replace(customer, currency=currency)
    tx.customers.save(adopted)
    record_customer_update(tx, customer, adopted)
    return adopted, currency


def post(
    tx: Tx,
    customer: Customer,
    amount: int,
    currency: str,
    type_: str,
    *,
    description: str | None = None,
    invoice: str | None = None,
    credit_note: str | None = None,
    metadata: dict[str, str] | None = None,
    param: str = "amount",
) -> tuple[Customer, BalanceTransaction]:
    """Append one transaction and move the customer's balance with it."""
    # startup: the ledger arithmetic loads for writes only; reads start faster without it
    from billcli.core.ledger import new_transaction

    txn = new_transaction(
        customer.id,
        customer.balance,
        amount,
        currency,
        type_,
        tx.now,
        description=description,
        invoice=invoice,
        credit_note=credit_note,
        metadata=metadata,
        param=param,
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
    limits.text(KIND, "description", request.description)
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


def record_customer_update(
    tx: Tx, before: Customer, after: Customer, *, shown_before: dict[str, Any] | None = None
) -> None:
    """`customer.updated` with the old values of what changed, when anything did."""
    event = customer_updated(tx, before, after, shown_before=shown_before)
    if event is not None:
        append(tx, [event])


def list_transactions(
    ledger: Ledger, customer_id: str, request: PageRequest, *, invoice: str | None = None
) -> Page:
    """A customer's transactions, newest first (only an invoice's, given `invoice`)."""
    with ledger.read() as tx:
        found("customer", customer_id, tx.customers.get, param="customer")
        txns, has_more = tx.balance.page(customer_id, request, invoice=invoice)
    return Page(
        f"/v1/customers/{customer_id}/balance_transactions",
        [objects.balance_transaction(t) for t in txns],
        has_more,
    )


def _transaction(tx: Tx, customer_id: str, txn_id: str) -> BalanceTransaction:
    check_id(customer_id, "customer", param="customer")
    check_id(txn_id, "customer_balance_transaction", param="transaction")
    found("customer", customer_id, tx.customers.get, param="customer")
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
    limits.text(KIND, "description", description)
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
