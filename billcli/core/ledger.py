"""Balance arithmetic and the ledger's invariants, each check returning its problems.

Following beancount, a check never stops at the first problem: `ledger check` reports
everything wrong at once, so an operator repairing a tampered file sees the whole
picture. The chain check streams: transactions arrive in write order, one at a time,
so a ledger of millions of rows is checked in memory proportional to its customers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from billcli.core.ids import new_id
from billcli.core.money import MAX_AMOUNT, MAX_AMOUNT_DIGITS, normalize_currency
from billcli.core.records import BalanceTransaction, Customer
from billcli.errors import InvalidRequest

TRANSACTION_TYPES = frozenset(
    {
        "adjustment", "applied_to_invoice", "credit_note", "initial", "invoice_overpaid",
        "invoice_too_large", "invoice_too_small", "migration", "unapplied_from_invoice",
        "unspent_receiver_credit",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Problem:
    """One violated invariant, naming the object it concerns."""

    object_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.object_id}: {self.message}"


def ending_balance(balance: int, amount: int, *, param: str = "amount") -> int:
    """The customer's balance after `amount`; zero amounts and overflow are refused."""
    if amount == 0:
        raise InvalidRequest(f"Invalid {param}: a balance transaction cannot be zero", param=param)
    result = balance + amount
    if abs(result) > MAX_AMOUNT:
        raise InvalidRequest(
            f"Invalid {param}: the balance would exceed {MAX_AMOUNT_DIGITS} digits", param=param
        )
    return result


def balance_currency(
    customer_id: str, currency: str | None, requested: str | None, default: str
) -> str:
    """The currency a balance change for `customer` is in (billcli-decisions: Currency).

    The customer's own `currency` wins, and a request for another one is refused; a
    customer without one takes the requested currency, else the ledger default.
    """
    wanted = normalize_currency(requested) if requested else None
    if currency:
        if wanted and wanted != currency:
            raise InvalidRequest(
                f"Invalid currency: {customer_id} keeps its balance in {currency}, not {wanted}",
                param="currency",
            )
        return currency
    return wanted or default


def new_transaction(
    customer_id: str,
    balance: int,
    amount: int,
    currency: str,
    type_: str,
    created: int,
    *,
    description: str | None = None,
    invoice: str | None = None,
    credit_note: str | None = None,
    metadata: dict[str, str] | None = None,
    param: str = "amount",
) -> BalanceTransaction:
    """The next transaction of a customer whose balance is `balance` before it."""
    return BalanceTransaction(
        id=new_id("customer_balance_transaction"),
        customer=customer_id,
        created=created,
        amount=amount,
        currency=currency,
        ending_balance=ending_balance(balance, amount, param=param),
        type=type_,
        description=description,
        invoice=invoice,
        credit_note=credit_note,
        metadata=metadata or {},
    )


@dataclass
class _Running:
    balance: int = 0
    currency: str | None = None


@dataclass
class ChainCheck:
    """Checks every customer's balance chain from transactions fed in write order.

    Each `ending_balance` must be the previous one plus its `amount`; the newest must
    equal the customer's `balance` (so must the sum); every transaction must be in the
    customer's currency; types are Stripe's.
    """

    problems: list[Problem] = field(default_factory=list)
    _running: dict[str, _Running] = field(default_factory=dict)

    def feed(self, txn: BalanceTransaction) -> None:
        state = self._running.setdefault(txn.customer, _Running(currency=txn.currency))
        if txn.type not in TRANSACTION_TYPES:
            self.problems.append(Problem(txn.id, f"unknown type '{txn.type}'"))
        if txn.amount == 0:
            self.problems.append(Problem(txn.id, "amount is zero"))
        if txn.currency != state.currency:
            self.problems.append(
                Problem(
                    txn.id,
                    f"currency {txn.currency} differs from the customer's earlier "
                    f"transactions ({state.currency})",
                )
            )
        expected = state.balance + txn.amount
        if txn.ending_balance != expected:
            self.problems.append(
                Problem(
                    txn.id,
                    f"ending_balance {txn.ending_balance} should be {expected} "
                    f"(previous ending balance plus amount {txn.amount})",
                )
            )
        state.balance = txn.ending_balance

    def finish(self, customer: Customer) -> None:
        """Compare `customer` with the chain fed for it (call once per customer)."""
        state = self._running.pop(customer.id, _Running())
        if state.balance != customer.balance:
            self.problems.append(
                Problem(
                    customer.id,
                    f"balance {customer.balance} differs from the newest "
                    f"ending_balance of its transactions ({state.balance})",
                )
            )
        if state.currency is not None and state.currency != customer.currency:
            self.problems.append(
                Problem(
                    customer.id,
                    f"currency {customer.currency} differs from its balance "
                    f"transactions' ({state.currency})",
                )
            )

    def orphans(self) -> list[Problem]:
        """Transactions whose customer was never finished: it does not exist."""
        return [
            Problem(cid, "has balance transactions but no customer record") for cid in self._running
        ]
