"""The invariants of payments: what a paid invoice's charges, a charge's refunds, an
invoice's attempts and an intent's charges must agree on (`ledger check`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from billcli.core.ledger import Problem

if TYPE_CHECKING:
    from billcli.core.records.credit_notes import CreditNote
    from billcli.core.records.invoices import Invoice, PaymentAttempt
    from billcli.core.records.payments import Charge, PaymentIntent, Refund

# Attempts that never reached a card, so made no charge: no payment method, a payment
# waiting for the customer, the customer failing authentication.
NO_CHARGE = frozenset(
    {
        "invoice_no_payment_method",
        "invoice_payment_intent_requires_action",
        "payment_intent_authentication_failure",
    }
)


@dataclass
class Payments:
    """Everything a payment check reads, by what it belongs to."""

    charges: dict[str, Charge] = field(default_factory=dict)
    refunds: dict[str, list[Refund]] = field(default_factory=dict)  # by charge
    succeeded: dict[str, int] = field(default_factory=dict)  # by invoice

    def add_charge(self, charge: Charge) -> None:
        self.charges[charge.id] = charge
        if charge.status == "succeeded" and charge.invoice is not None:
            self.succeeded[charge.invoice] = self.succeeded.get(charge.invoice, 0) + charge.amount


def check_invoice_payments(inv: Invoice, payments: Payments) -> list[Problem]:
    """A paid invoice's succeeded charges are what it was paid by card (out of band and
    by credit, nothing); an unpaid invoice has no succeeded charge."""
    by_card = payments.succeeded.get(inv.id, 0)
    expected = inv.amount_paid if inv.status == "paid" and not inv.paid_out_of_band else 0
    if by_card == expected:
        return []
    message = f"it is {inv.status}, paid {expected} by card, but its charges took {by_card}"
    return [Problem(inv.id, message)]


def check_charges(payments: Payments) -> list[Problem]:
    """Each charge's refunds add up to its `amount_refunded`, never more than it, and
    only a succeeded charge is refunded."""
    problems = []
    for charge in payments.charges.values():
        given = sum(r.amount for r in payments.refunds.get(charge.id, []))
        if given != charge.amount_refunded:
            problems.append(
                Problem(
                    charge.id,
                    f"its refunds total {given}, but amount_refunded is {charge.amount_refunded}",
                )
            )
        if given > charge.amount:
            problems.append(
                Problem(charge.id, f"refunds of {given} exceed the charge ({charge.amount})")
            )
        if given and charge.status != "succeeded":
            problems.append(Problem(charge.id, f"a {charge.status} charge has refunds"))
    orphans = set(payments.refunds) - set(payments.charges)
    problems += [Problem(charge, "refunds of a charge that does not exist") for charge in orphans]
    return problems


def check_attempts(attempts: Iterable[PaymentAttempt], payments: Payments) -> list[Problem]:
    """Every attempt on an invoice that reached a card has its charge, for its invoice,
    its amount and its outcome."""
    problems = []
    for attempt in attempts:
        name = f"{attempt.invoice} attempt at {attempt.created}"
        if attempt.code in NO_CHARGE or attempt.payment_method is None:
            continue
        charge = payments.charges.get(attempt.charge or "")
        if charge is None:
            problems.append(Problem(name, "it reached a card but has no charge"))
            continue
        same = (charge.invoice, charge.amount, charge.status == "succeeded")
        if same != (attempt.invoice, attempt.amount, attempt.succeeded):
            problems.append(
                Problem(name, f"its charge {charge.id} is of another invoice, amount or outcome")
            )
    return problems


def check_intents(
    intents: Iterable[PaymentIntent], payments: Payments, invoices: Mapping[str, Invoice]
) -> list[Problem]:
    """An intent succeeded exactly when one of its charges did, for what it received;
    an invoice's intent is the one its invoice names."""
    succeeded: dict[str, list[Charge]] = {}
    for charge in payments.charges.values():
        if charge.status == "succeeded" and charge.payment_intent:
            succeeded.setdefault(charge.payment_intent, []).append(charge)
    problems = []
    for pi in intents:
        paid = succeeded.get(pi.id, [])
        if len(paid) > 1:
            problems.append(Problem(pi.id, f"{len(paid)} of its charges succeeded"))
        if (pi.status == "succeeded") != bool(paid):
            problems.append(Problem(pi.id, f"it is {pi.status} with {len(paid)} succeeded charges"))
        elif paid and pi.amount_received != paid[0].amount:
            problems.append(
                Problem(pi.id, f"it received {pi.amount_received}, its charge {paid[0].amount}")
            )
        if pi.latest_charge is not None and pi.latest_charge not in payments.charges:
            problems.append(Problem(pi.id, f"its latest charge {pi.latest_charge} is missing"))
        invoice = invoices.get(pi.invoice) if pi.invoice else None
        if pi.invoice is not None and (invoice is None or invoice.payment_intent != pi.id):
            problems.append(Problem(pi.id, f"its invoice {pi.invoice} does not name it"))
    return problems


def check_credit_note_refunds(notes: Iterable[CreditNote], payments: Payments) -> list[Problem]:
    """A credit note's `refund_amount` is the amount of the refund it names."""
    refunds = {r.id: r for found in payments.refunds.values() for r in found}
    problems = []
    for note in notes:
        if not note.refund_amount:
            continue
        refund = refunds.get(note.refund or "")
        if refund is None or refund.amount != note.refund_amount or refund.credit_note != note.id:
            problems.append(
                Problem(
                    note.id, f"its refund_amount {note.refund_amount} has no refund of that amount"
                )
            )
    return problems


def check_charges_after_deletion(charged: Iterable[tuple[str, str]]) -> list[Problem]:
    """Nothing is charged to a deleted customer (issue 26): no charge after its deletion."""
    return [
        Problem(charge, f"it charged {customer} after its deletion") for charge, customer in charged
    ]
