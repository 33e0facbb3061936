"""The invariants of Checkout Sessions (`ledger check`): what a complete session made,
and that its amounts add up (subtotal, less discount, plus the tax added on top)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from billcli.core.checkout import RULES
from billcli.core.checkout_page import creates_invoice
from billcli.core.ledger import Problem
from billcli.core.tax import exclusive, loaded

if TYPE_CHECKING:
    from billcli.core.records.checkout import CheckoutSession
    from billcli.core.records.discounts import Discount
    from billcli.core.records.invoices import Invoice
    from billcli.core.records.payments import Charge, PaymentIntent


@dataclass(frozen=True)
class Made:
    """What sessions made, by id: payment intents, first invoices, and the discounts of
    payment-mode sessions (by session); `paid_by`: the invoices each session's
    PaymentIntent pays (a post-payment invoice's), by intent; `charges`: by id."""

    intents: Mapping[str, PaymentIntent]
    invoices: Mapping[str, Invoice]
    discounts: Mapping[str, Sequence[Discount]]
    paid_by: Mapping[str, Sequence[Invoice]] = field(default_factory=dict)
    charges: Mapping[str, Charge] = field(default_factory=dict)


def check_session(s: CheckoutSession, made: Made) -> list[Problem]:
    """A complete session has what its mode makes; an open or expired one made nothing,
    and charged nothing either. A session completed before migration 24 showed a
    subscription's price before its customer's coupon, and did not count a payment's
    coupon (`completed_under`): those two rules hold only for the sessions after."""
    problems = _redemption(s, made.discounts.get(s.id, ()))
    added = exclusive(loaded(s.tax_amounts))
    if s.amount_subtotal - s.amount_discount + added != s.amount_total:
        problems.append(
            Problem(s.id, f"total {s.amount_total} is not subtotal {s.amount_subtotal} "
                          f"less discount {s.amount_discount} plus tax {added}")
        )  # fmt: skip
    if s.promotion_code is not None and s.coupon is None:
        problems.append(Problem(s.id, f"promotion code {s.promotion_code} without its coupon"))
    if s.status != "complete":
        if s.subscription is not None or s.completed_at is not None:
            problems.append(Problem(s.id, f"{s.status} session made a subscription"))
        pi = made.intents.get(s.payment_intent or "")
        if pi is not None and pi.status == "succeeded":
            problems.append(
                Problem(s.id, f"{s.status} session holds {pi.id}, which succeeded: the buyer "
                              "paid for a session that never completed")
            )  # fmt: skip
        return problems
    if s.completed_at is None:
        problems.append(Problem(s.id, "complete session without completed_at"))
    if s.mode == "subscription" and (s.subscription is None or s.customer is None):
        problems.append(Problem(s.id, "complete subscription session without its subscription"))
    invoice = made.invoices.get(s.invoice or "")
    shown_as_charged = s.mode == "subscription" and s.completed_under >= RULES
    if shown_as_charged and invoice is not None and invoice.total != s.amount_total:
        problems.append(
            Problem(s.id, f"total {s.amount_total} shown, its first invoice {invoice.id} "
                          f"totals {invoice.total}")
        )  # fmt: skip
    if s.mode == "payment" and (s.amount_total == 0 or s.payment_status == "no_payment_required"):
        problems += _no_cost(s, made)
    elif s.mode == "payment":
        pi = made.intents.get(s.payment_intent or "")
        if pi is None or pi.status != "succeeded" or pi.amount != s.amount_total:
            problems.append(
                Problem(s.id, f"complete payment session without a succeeded payment of "
                              f"{s.amount_total}")
            )  # fmt: skip
        problems += _post_payment_invoice(s, made)
    return problems


def _no_cost(s: CheckoutSession, made: Made) -> list[Problem]:
    """A complete no-cost order (a payment session of total 0) is `no_payment_required`
    and took no payment (an intent an earlier decline left is canceled); its invoice, if
    `invoice_creation` made one, is of its customer and currency, paid at 0 by nothing."""
    pi = made.intents.get(s.payment_intent or "")
    if (s.amount_total, s.payment_status) != (0, "no_payment_required") or (
        pi is not None and pi.status != "canceled"
    ):
        held = "none" if pi is None else f"{pi.id}, {pi.status}"
        return [
            Problem(s.id, f"complete payment session of {s.amount_total} is {s.payment_status}, "
                          f"its intent {held}: only a total of 0 needs no payment, and takes none")
        ]  # fmt: skip
    invoice = made.invoices.get(s.invoice or "")
    if not creates_invoice(s.page):
        return _unasked_invoice(s, ())
    shown = (None, None) if invoice is None else (invoice.customer, invoice.currency)
    paid = None if invoice is None else (invoice.status, invoice.total, invoice.payment_intent)
    if shown != (s.customer, s.currency) or paid != ("paid", 0, None):
        return [
            Problem(s.id, f"invoice_creation made {s.invoice} ({paid}) of {shown}; the "
                          f"no-cost session is of {s.customer} in {s.currency}")
        ]  # fmt: skip
    return []


def _post_payment_invoice(s: CheckoutSession, made: Made) -> list[Problem]:
    """A complete payment session with `invoice_creation[enabled]` has exactly one
    invoice, paid by its PaymentIntent, of its total; any other payment session none."""
    paying = made.paid_by.get(s.payment_intent or "", ())
    if not creates_invoice(s.page):
        return _unasked_invoice(s, paying)
    invoice = made.invoices.get(s.invoice or "")
    if invoice is None or [i.id for i in paying] != [invoice.id]:
        named = ", ".join(i.id for i in paying) or "none"
        return [Problem(s.id, f"invoice_creation made {s.invoice}; its payment pays {named}")]
    pi = made.intents.get(s.payment_intent or "")
    charge = made.charges.get(pi.latest_charge or "") if pi is not None else None
    paid_in = None if charge is None else charge.currency
    if (invoice.customer, invoice.currency, paid_in) != (s.customer, s.currency, s.currency):
        return [
            Problem(s.id, f"its invoice {invoice.id} is of {invoice.customer} in "
                          f"{invoice.currency}, paid in {paid_in}; the session is of "
                          f"{s.customer} in {s.currency}")
        ]  # fmt: skip
    if (invoice.status, invoice.total, invoice.amount_paid) != ("paid", s.amount_total,
                                                                  s.amount_total):  # fmt: skip
        return [
            Problem(s.id, f"its invoice {invoice.id} is {invoice.status}, totals "
                          f"{invoice.total} and was paid {invoice.amount_paid}, not "
                          f"{s.amount_total}")
        ]  # fmt: skip
    return []


def _unasked_invoice(s: CheckoutSession, paying: Sequence[Invoice]) -> list[Problem]:
    """A payment session without `invoice_creation` names no invoice, and its payment
    (`paying`: the invoices its PaymentIntent pays) pays none."""
    if s.invoice is None and not paying:
        return []
    return [Problem(s.id, "payment session without invoice_creation has an invoice")]


def _redemption(s: CheckoutSession, discounts: Sequence[Discount]) -> list[Problem]:
    """A complete payment session with a coupon redeemed it once (a discount naming the
    session, of its coupon and code); no other session has a discount."""
    if s.status == "complete" and s.completed_under < RULES:
        return []  # its coupon was not counted then (migration 24)
    wanted = s.mode == "payment" and s.status == "complete" and s.coupon is not None
    if not wanted:
        return [
            Problem(s.id, f"{s.status} {s.mode} session has discount {d.id}") for d in discounts
        ]
    if len(discounts) != 1:
        return [Problem(s.id, f"coupon {s.coupon} redeemed {len(discounts)} times, not once")]
    d = discounts[0]
    if (d.coupon, d.promotion_code) != (s.coupon, s.promotion_code):
        return [Problem(s.id, f"discount {d.id} is of {d.coupon}, not of the session's {s.coupon}")]
    return []
