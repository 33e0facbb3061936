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

# Attempts that never reached a card, so made no charge: no payment method, less owed
# than a card can be charged, a payment waiting for the customer, the customer failing
# authentication.
NO_CHARGE = frozenset(
    {
        "invoice_no_payment_method",
        "amount_too_small",
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
            taken = self.succeeded.get(charge.invoice, 0) + charge.amount_captured
            self.succeeded[charge.invoice] = taken


def check_invoice_payments(inv: Invoice, payments: Payments) -> list[Problem]:
    """A paid invoice's succeeded charges are what it was paid by card (out of band and
    by credit, nothing); an unpaid invoice has no succeeded charge."""
    by_card = payments.succeeded.get(inv.id, 0)
    expected = inv.amount_paid if inv.status == "paid" and not inv.paid_out_of_band else 0
    if by_card == expected:
        return []
    message = f"it is {inv.status}, paid {expected} by card, but its charges took {by_card}"
    return [Problem(inv.id, message)]


def check_charge_customers(invoices: Mapping[str, Invoice], payments: Payments) -> list[Problem]:
    """A charge that names an invoice names the invoice's customer (`invoices`: every
    invoice, by id), so the customer's charges list every payment of its invoices."""
    problems = []
    for charge in payments.charges.values():
        invoice = invoices.get(charge.invoice) if charge.invoice else None
        if invoice is not None and charge.customer != invoice.customer:
            problems.append(
                Problem(
                    charge.id,
                    f"it pays {invoice.id} of {invoice.customer}, but names {charge.customer}",
                )
            )
    return problems


def check_charges(payments: Payments) -> list[Problem]:
    """Each charge's refunds add up to its `amount_refunded`, never more than it, and
    only a succeeded charge is refunded; each refund is in its charge's currency and
    names its charge's intent (Stripe's refund takes both from the charge)."""
    problems = []
    for charge in payments.charges.values():
        for refund in payments.refunds.get(charge.id, []):
            problems += _refund_of(refund, charge)
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


def _refund_of(refund: Refund, charge: Charge) -> list[Problem]:
    """A refund agrees with the charge it gives back: its currency and its intent."""
    problems = []
    if refund.currency != charge.currency:
        message = f"it is in {refund.currency}, its charge {charge.id} in {charge.currency}"
        problems.append(Problem(refund.id, message))
    if refund.payment_intent != charge.payment_intent:
        named = refund.payment_intent or "no PaymentIntent"
        message = f"it names {named}, its charge {charge.id} {charge.payment_intent}"
        problems.append(Problem(refund.id, message))
    return problems


def check_captures(payments: Payments) -> list[Problem]:
    """What a charge took: no more than it authorized, nothing unless it succeeded and
    was captured; what was let go of it (its released refunds) is what it held beyond
    its capture, or all of it once an authorization never captured is released; and the
    refunds of money never exceed what was captured."""
    problems = []
    for charge in payments.charges.values():
        refunds = payments.refunds.get(charge.id, [])
        released = sum(r.amount for r in refunds if r.released)
        refunded = sum(r.amount for r in refunds if not r.released)
        collected = charge.status == "succeeded" and charge.captured
        most = charge.amount if collected else 0
        if not 0 <= charge.amount_captured <= most:
            problems.append(
                Problem(charge.id, f"it captured {charge.amount_captured}, at most {most}")
            )
        let_go = charge.amount - charge.amount_captured if collected else released and charge.amount
        if released != let_go:
            problems.append(Problem(charge.id, f"{released} of it was released, not {let_go}"))
        if refunded > charge.amount_captured:
            problems.append(
                Problem(
                    charge.id,
                    f"refunds of {refunded} exceed what it captured ({charge.amount_captured})",
                )
            )
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
    """An intent succeeded exactly when one of its charges was captured, for what it
    received; it is `requires_capture` exactly when one holds an authorization of its
    whole amount, which is what it may capture (otherwise it may capture nothing); an
    invoice's intent is the one its invoice names, and names the invoice's customer."""
    succeeded: dict[str, list[Charge]] = {}
    holding: dict[str, list[Charge]] = {}
    for charge in payments.charges.values():
        if charge.status == "succeeded" and charge.payment_intent:
            if charge.captured:
                succeeded.setdefault(charge.payment_intent, []).append(charge)
            elif charge.amount_refunded == 0:
                holding.setdefault(charge.payment_intent, []).append(charge)
    problems = []
    for pi in intents:
        paid, held = succeeded.get(pi.id, []), holding.get(pi.id, [])
        if len(paid) + len(held) > 1:
            problems.append(Problem(pi.id, f"{len(paid) + len(held)} of its charges succeeded"))
        if (pi.status == "succeeded") != bool(paid):
            problems.append(Problem(pi.id, f"it is {pi.status} with {len(paid)} succeeded charges"))
        elif paid and pi.amount_received != paid[0].amount_captured:
            problems.append(
                Problem(
                    pi.id, f"it received {pi.amount_received}, its charge {paid[0].amount_captured}"
                )
            )
        if paid:
            problems += _paid_by(pi, paid[0])
        if (pi.status == "requires_capture") != bool(held):
            problems.append(Problem(pi.id, f"it is {pi.status} with {len(held)} authorizations"))
        elif held and not pi.amount == pi.amount_capturable == held[0].amount:
            problems.append(
                Problem(
                    pi.id,
                    f"it is for {pi.amount} and may capture {pi.amount_capturable}, "
                    f"it holds {held[0].amount}",
                )
            )
        elif not held and pi.amount_capturable:
            problems.append(
                Problem(pi.id, f"it may capture {pi.amount_capturable}, it holds nothing")
            )
        if pi.latest_charge is not None and pi.latest_charge not in payments.charges:
            problems.append(Problem(pi.id, f"its latest charge {pi.latest_charge} is missing"))
        invoice = invoices.get(pi.invoice) if pi.invoice else None
        if pi.invoice is not None and (invoice is None or invoice.payment_intent != pi.id):
            problems.append(Problem(pi.id, f"its invoice {pi.invoice} does not name it"))
        elif invoice is not None and pi.customer != invoice.customer:
            problems.append(
                Problem(pi.id, f"it pays {invoice.id} of {invoice.customer}, but names "
                               f"{pi.customer}")
            )  # fmt: skip
        elif invoice is not None:
            problems += _owed_by(pi, invoice)
    return problems


def _owed_by(pi: PaymentIntent, invoice: Invoice) -> list[Problem]:
    """An invoice's intent is in the invoice's currency and, while both are unfinished,
    asks for what the invoice still owes (Stripe's default payment of an invoice)."""
    if pi.currency != invoice.currency:
        return [
            Problem(
                pi.id, f"it is in {pi.currency}, its invoice {invoice.id} in {invoice.currency}"
            )
        ]
    unfinished = pi.status not in ("succeeded", "canceled")
    if (
        unfinished
        and invoice.status in ("open", "uncollectible")
        and pi.amount != invoice.amount_remaining
    ):
        message = (
            f"it asks for {pi.amount}, its invoice {invoice.id} owes {invoice.amount_remaining}"
        )
        return [Problem(pi.id, message)]
    return []


def _paid_by(pi: PaymentIntent, charge: Charge) -> list[Problem]:
    """A succeeded intent was paid in its currency, for its amount (its capture may be
    less: what it received)."""
    if pi.currency != charge.currency:
        return [
            Problem(pi.id, f"it is in {pi.currency}, its charge {charge.id} in {charge.currency}")
        ]
    if pi.amount != charge.amount:
        return [
            Problem(pi.id, f"it is for {pi.amount}, its charge {charge.id} for {charge.amount}")
        ]
    return []


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
