"""The invoice state machine and its money: totals, credit applied, minimum charge.

Pure arithmetic over integers in minor units. With `net = total + starting_balance`
(a positive balance is owed, a negative one is credit), every case of Stripe's
finalization rules reduces to `amount_due = max(0, net)` and the customer keeps
`min(0, net)`: credit smaller or larger than the total, a debit carried in, a negative
total credited back. The minimum and maximum charge then move a due amount that
cannot be charged onto the customer's balance and settle the invoice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from billcli.core.money import MAX_AMOUNT, minimum_charge
from billcli.errors import InvalidRequest

if TYPE_CHECKING:
    from billcli.core.records.invoices import Invoice

STATUSES = ("draft", "open", "paid", "uncollectible", "void")
COLLECTION_METHODS = ("charge_automatically", "send_invoice")
PENDING_ITEMS = ("exclude", "include", "include_and_require")
MAX_ITEMS = 250
DEFAULT_DAYS_UNTIL_DUE = 30
DAY_S = 86_400
# The balance transaction types finalization writes, in the order it writes them.
SETTLING_TYPES = ("applied_to_invoice", "invoice_too_small", "invoice_too_large")
# A draft finalizes an hour after its `invoice.created` webhooks ended (or after it was
# created, with no endpoint), and at most 72 hours after creation.
FINALIZE_AFTER_DELIVERY_S = 60 * 60
FINALIZATION_CAP_S = 72 * 60 * 60


@dataclass(frozen=True)
class Settlement:
    """What finalization does to the money of an invoice and its customer."""

    amount_due: int
    ending_balance: int
    applied: int  # the `applied_to_invoice` transaction (0: none)
    too_small: int  # an `invoice_too_small` debit (0: none)
    too_large: int  # an `invoice_too_large` debit (0: none)

    @property
    def paid_at_once(self) -> bool:
        return self.amount_due == 0

    def transactions(self) -> list[tuple[str, int]]:
        """The balance transactions finalization writes: (type, amount), non-zero only."""
        amounts = (self.applied, self.too_small, self.too_large)
        return [
            (kind, amount) for kind, amount in zip(SETTLING_TYPES, amounts, strict=True) if amount
        ]


def settle(total: int, starting_balance: int, currency: str) -> Settlement:
    """Apply the customer balance to `total`, then the per-currency charge limits."""
    net = total + starting_balance
    due, kept = max(0, net), min(0, net)
    applied = kept - starting_balance
    too_small = too_large = 0
    if 0 < due < minimum_charge(currency):
        too_small, due = due, 0
    elif due > MAX_AMOUNT:
        too_large, due = due, 0
    return Settlement(due, kept + too_small + too_large, applied, too_small, too_large)


def check_choice(value: str, choices: tuple[str, ...], param: str) -> str:
    """`value` when it is one of `choices`; an error listing them otherwise."""
    if value not in choices:
        raise InvalidRequest(f"Invalid {param}: '{value}' ({', '.join(choices)})", param=param)
    return value


def subtotal(amounts: Iterable[int]) -> int:
    return sum(amounts)


def require_status(invoice: Invoice, allowed: tuple[str, ...], action: str) -> None:
    """Refuse `action` unless the invoice is in one of the `allowed` statuses."""
    if invoice.status not in allowed:
        accepted = " or ".join(allowed)
        raise InvalidRequest(
            f"You can only {action} an invoice that is {accepted}; {invoice.id} is "
            f"{invoice.status}",
            param="invoice",
        )


def invoice_number(prefix: str, sequence: int) -> str:
    """`PREFIX-0001`: four digits, growing past 9999."""
    return f"{prefix}-{sequence:04d}"


def due_terms(
    collection_method: str, days_until_due: int | None, due_date: int | None, now: int
) -> tuple[int | None, int | None]:
    """(days_until_due, due_date) per billcli-decisions: send_invoice needs terms."""
    if collection_method not in COLLECTION_METHODS:
        raise InvalidRequest(
            f"Invalid collection_method: '{collection_method}' ({' or '.join(COLLECTION_METHODS)})",
            param="collection_method",
        )
    if collection_method == "charge_automatically":
        for name, value in (("days_until_due", days_until_due), ("due_date", due_date)):
            if value is not None:
                raise InvalidRequest(
                    f"Invalid {name}: only send_invoice invoices have a due date", param=name
                )
        return None, None
    if days_until_due is not None and due_date is not None:
        raise InvalidRequest(
            "Invalid due_date: give days_until_due or due_date, not both", param="due_date"
        )
    if days_until_due is not None:
        if not 0 <= days_until_due <= 3650:
            raise InvalidRequest("Invalid days_until_due: 0 to 3650 days", param="days_until_due")
        return days_until_due, now + days_until_due * DAY_S
    if due_date is not None:
        if due_date < now:
            raise InvalidRequest("Invalid due_date: it must be in the future", param="due_date")
        return None, due_date
    return DEFAULT_DAYS_UNTIL_DUE, now + DEFAULT_DAYS_UNTIL_DUE * DAY_S


def automatically_finalizes_at(invoice: Invoice) -> int | None:
    """When a draft finalizes by itself while auto_advance (see core.webhooks)."""
    if invoice.status != "draft" or not invoice.auto_advance:
        return None
    return invoice.finalizes_at


def finalizes_at(created: int, webhooks_delivered_at: int | None, chosen: int | None = None) -> int:
    """When a draft finalizes by itself, given when its webhooks ended (None: waiting),
    unless a time was chosen for it (`automatically_finalizes_at`)."""
    if chosen is not None:
        return chosen
    cap = created + FINALIZATION_CAP_S
    if webhooks_delivered_at is None:
        return cap
    return min(webhooks_delivered_at + FINALIZE_AFTER_DELIVERY_S, cap)
