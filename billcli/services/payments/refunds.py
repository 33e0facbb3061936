"""Refunds: money given back on a succeeded charge, in part or whole, never more than
the charge has left (checked in the writing transaction, and again by a trigger), from
`refunds create` or a credit note's `refund_amount` (notes §3.3-3.4)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.core import payment_objects
from billcli.core.ids import new_id
from billcli.core.invoicing import check_choice
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import format_amount, normalize_currency, parse_amount
from billcli.core.pagination import Page, PageRequest
from billcli.core.records.payments import Charge, PaymentIntent, Refund
from billcli.errors import InvalidRequest
from billcli.services.ledger.events import record, record_update
from billcli.services.ledger.idempotency import once
from billcli.services.payments.objects import (
    charge_object,
    find_charge,
    find_intent,
    find_refund,
)
from billcli.store.ledger import Ledger, Tx

REASONS = ("duplicate", "fraudulent", "requested_by_customer")


def refund_in(
    tx: Tx,
    charge: Charge,
    amount: int | None,
    *,
    reason: str | None = None,
    metadata: dict[str, str] | None = None,
    credit_note: str | None = None,
) -> Refund:
    """Refund `amount` (all that is left when None) of a succeeded, captured charge
    (what is left: what was captured, less what was refunded of it)."""
    if charge.status != "succeeded":
        raise InvalidRequest(
            f"Charge {charge.id} has {charge.status}: only a succeeded charge can be refunded.",
            param="charge",
            code="charge_not_refundable",
        )
    left = charge.amount - charge.amount_refunded
    if left == 0:  # refunded in full, or an authorization let go (Stripe: refunded)
        raise InvalidRequest(
            f"Charge {charge.id} has already been refunded.",
            param="charge",
            code="charge_already_refunded",
        )
    if not charge.captured:
        raise InvalidRequest(
            f"Charge {charge.id} is an authorization not captured: nothing was taken to "
            f"refund. Cancel PaymentIntent {charge.payment_intent} to release it, or capture "
            "less than it holds.",
            param="charge",
            code="charge_not_refundable",
        )
    amount = left if amount is None else amount
    if amount <= 0:
        raise InvalidRequest(
            f"Invalid amount: {format_amount(amount, charge.currency)}; a refund takes back "
            "a positive amount (Stripe: invalid positive integer)",
            param="amount",
        )
    if amount > left:
        raise InvalidRequest(
            f"Refund amount ({format_amount(amount, charge.currency)}) is greater than "
            f"unrefunded amount on charge ({format_amount(left, charge.currency)})",
            param="amount",
        )
    refund, refunded = _written(
        tx, charge, amount, reason=reason, metadata=metadata, credit_note=credit_note
    )
    record(tx, "charge.refunded", charge_object(tx, refunded))
    return refund


def _written(
    tx: Tx,
    charge: Charge,
    amount: int,
    *,
    reason: str | None = None,
    metadata: dict[str, str] | None = None,
    credit_note: str | None = None,
    released: bool = False,
) -> tuple[Refund, Charge]:
    """The refund written, with `refund.created`, and the charge it leaves (its event is
    the caller's: refunded, captured or expired)."""
    refund = Refund(
        id=new_id("refund"),
        created=tx.now,
        amount=amount,
        currency=charge.currency,
        charge=charge.id,
        payment_intent=charge.payment_intent,
        reason=reason,
        credit_note=credit_note,
        metadata=metadata or {},
        released=released,
    )
    tx.refunds.add(refund)
    refunded = replace(charge, amount_refunded=charge.amount_refunded + amount)
    tx.charges.save(refunded)
    record(tx, "refund.created", payment_objects.refund(refund))
    return refund, refunded


def released_in(tx: Tx, charge: Charge, *, reason: str | None = None) -> Charge:
    """Let go of what an authorization holds beyond what was captured of it (all of it,
    when nothing was): shown as a refund, as Stripe shows an authorization released."""
    rest = charge.amount - charge.amount_captured - charge.amount_refunded
    if rest <= 0:
        return charge
    return _written(tx, charge, rest, reason=reason, released=True)[1]


def paid_by(tx: Tx, pi: PaymentIntent | None) -> Charge | None:
    """The charge that paid the intent (and so its invoice, if it has one): its latest,
    when that succeeded. None for an intent unpaid, or an invoice paid out of band."""
    charge = tx.charges.get(pi.latest_charge) if pi is not None and pi.latest_charge else None
    return charge if charge is not None and charge.status == "succeeded" else None


def refundable_charge(tx: Tx, payment_intent: str) -> Charge:
    """The succeeded charge of an intent (the one a refund of the intent gives back)."""
    pi = find_intent(tx, payment_intent, param="payment_intent")
    charge = paid_by(tx, pi)
    if charge is None:
        raise InvalidRequest(
            f"This PaymentIntent ({pi.id}) does not have a successful charge to refund.",
            param="payment_intent",
            code="charge_not_refundable",
        )
    return charge


def create(
    ledger: Ledger,
    *,
    charge: str | None = None,
    payment_intent: str | None = None,
    amount: str | None = None,
    reason: str | None = None,
    metadata: tuple[str, ...] = (),
    idempotency_key: str | None = None,
    currency: str | None = None,
    of_intent: str | None = None,
) -> dict[str, Any]:
    """`refunds create --charge CH | --payment-intent PI [--amount] [--reason]`
    (`currency`, when given, is the charge's: a refund is in what was paid; so is
    `of_intent`, the intent a charge's own refund route names)."""
    if (charge is None) == (payment_intent is None):
        raise InvalidRequest(
            "Give one of charge or payment_intent: the charge to refund, or the payment "
            "intent whose charge it is",
            param="charge",
        )
    if reason is not None:
        check_choice(reason, REASONS, "reason")
    pairs = parse_pairs(metadata)
    params = {"charge": charge, "payment_intent": payment_intent, "amount": amount,
              "reason": reason, "metadata": list(metadata)}  # fmt: skip
    with ledger.write() as tx:
        found = (
            find_charge(tx, charge)
            if charge is not None
            else refundable_charge(tx, str(payment_intent))
        )
        if of_intent is not None and of_intent != found.payment_intent:
            raise InvalidRequest(
                f"Invalid payment_intent: {found.id} is not a charge of {of_intent}",
                param="payment_intent",
            )
        if currency is not None and normalize_currency(currency) != found.currency:
            raise InvalidRequest(
                f"Invalid currency: {found.id} was paid in {found.currency}", param="currency"
            )
        asked = None if amount is None else parse_amount(amount, found.currency, param="amount")

        def make() -> dict[str, Any]:
            made = refund_in(tx, found, asked, reason=reason, metadata=merged({}, pairs))
            return payment_objects.refund(made)

        return once(tx, "refunds.create", idempotency_key, params, make)


def update(ledger: Ledger, refund_id: str, *, metadata: tuple[str, ...]) -> dict[str, Any]:
    """Only a refund's metadata changes (Stripe's rule). Both events are recorded: Stripe
    sends `charge.refund.updated` for it too (the Stripe CLI's trigger of that name
    updates a card refund's metadata)."""
    pairs = parse_pairs(metadata)
    with ledger.write() as tx:
        refund = find_refund(tx, refund_id)
        after = replace(refund, metadata=merged(refund.metadata, pairs))
        return record_update(
            tx,
            ("refund.updated", "charge.refund.updated"),
            refund,
            after,
            save=tx.refunds.save,
            show=payment_objects.refund,
        )


def cancel(ledger: Ledger, refund_id: str) -> dict[str, Any]:
    """Card refunds succeed at once; only refunds waiting for customer action (none of a
    card's) could be canceled."""
    with ledger.read() as tx:
        refund = find_refund(tx, refund_id)
    raise InvalidRequest(
        f"You can't cancel refund {refund.id} because it has a status of {refund.status}. Only "
        "refunds with a status of requires_action can be canceled.",
        param="refund",
    )


def show(ledger: Ledger, refund_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return payment_objects.refund(find_refund(tx, refund_id))


def list_refunds(
    ledger: Ledger,
    request: PageRequest,
    *,
    charge: str | None = None,
    payment_intent: str | None = None,
) -> Page:
    with ledger.read() as tx:
        url = "/v1/refunds"
        if charge is not None:
            find_charge(tx, charge)
        found, has_more = tx.refunds.page(request, charge=charge, payment_intent=payment_intent)
        return Page(url, [payment_objects.refund(r) for r in found], has_more)
