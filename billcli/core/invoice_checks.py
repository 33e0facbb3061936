"""The invariants of invoices: their arithmetic, their statuses and their timestamps.

Each invoice is checked against the sum of its lines and the balance transactions
linked to it, so tampering with a total, a line or a transaction shows up here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from billcli.core.dates import moment
from billcli.core.invoicing import SETTLING_TYPES, STATUSES, finalizes_at, settle
from billcli.core.ledger import Problem
from billcli.core.records.invoices import Invoice


@dataclass(frozen=True)
class LineSums:
    """An invoice's lines summed: amounts, discount amounts, lines wrongly discounted."""

    amount: int = 0
    discount: int = 0
    misplaced: int = 0


def check_invoice(
    inv: Invoice, lines: LineSums, linked: Mapping[str, int], *, customer_deleted: bool = False
) -> list[Problem]:
    """Problems of one invoice; `linked` sums its balance transactions by type. Nothing
    of a deleted customer is collected by itself any more."""
    problems: list[str] = []
    if customer_deleted and inv.auto_advance and inv.status in ("draft", "open"):
        problems.append("its customer was deleted, yet it still finalizes or charges by itself")
    if inv.status not in STATUSES:
        problems.append(f"unknown status '{inv.status}'")
    if inv.subtotal != lines.amount:
        problems.append(
            f"subtotal {inv.subtotal} differs from the sum of its lines less their own "
            f"discounts ({lines.amount})"
        )
    problems += _discounts(inv, lines)
    if not 0 <= inv.amount_paid <= inv.amount_due:
        problems.append(
            f"amount_paid {inv.amount_paid} is outside 0..amount_due ({inv.amount_due})"
        )
    if inv.status not in ("draft", "void") and inv.starting_balance is not None:
        settled = settle(inv.total, inv.starting_balance, inv.currency).amount_due
        if inv.amount_due + inv.pre_payment_credit_notes_amount != settled:
            problems.append(
                f"amount_due {inv.amount_due} and pre-payment credit notes "
                f"{inv.pre_payment_credit_notes_amount} do not add up to the {settled} its "
                "total and starting balance leave due"
            )
    problems += _status_coherence(inv)
    problems += _balance_links(inv, linked)
    return [Problem(inv.id, p) for p in problems]


def _discounts(inv: Invoice, lines: LineSums) -> list[str]:
    """Discounts reconcile with the lines: the total is the subtotal less what the
    invoice's discount took off its discountable lines."""
    problems = []
    if inv.total != inv.subtotal - lines.discount:
        problems.append(
            f"total {inv.total} differs from subtotal {inv.subtotal} less its lines' "
            f"discounts ({lines.discount})"
        )
    if lines.misplaced:
        problems.append(f"{lines.misplaced} of its lines carry a discount they cannot have")
    if lines.discount and inv.discount is None:
        problems.append("its lines carry discounts, but it has no discount")
    return problems


def _status_coherence(inv: Invoice) -> list[str]:
    problems = []
    if inv.status == "draft":
        if inv.finalized_at is not None:  # a number it may have: one chosen for it
            problems.append("a draft has a finalization time")
        if inv.amount_paid:
            problems.append("a draft has a payment")
        if inv.finalizes_at != finalizes_at(
            inv.created, inv.webhooks_delivered_at, inv.chosen_finalization
        ):
            problems.append(
                f"finalizes_at {moment(inv.finalizes_at)} does not follow from its creation "
                f"and webhooks_delivered_at ({moment(inv.webhooks_delivered_at)})"
            )
        return problems
    if inv.number is None or inv.finalized_at is None:
        problems.append(f"a {inv.status} invoice lacks its number or finalization time")
    if inv.starting_balance is None or inv.ending_balance is None:
        problems.append(f"a {inv.status} invoice lacks its starting or ending balance")
    required = {
        "paid": inv.paid_at,
        "void": inv.voided_at,
        "uncollectible": inv.marked_uncollectible_at,
    }
    if inv.status in required and required[inv.status] is None:
        problems.append(f"a {inv.status} invoice lacks the time it became {inv.status}")
    if inv.status == "paid" and inv.amount_paid != inv.amount_due:
        problems.append(
            f"paid, yet amount_paid {inv.amount_paid} differs from amount_due {inv.amount_due}"
        )
    if inv.status != "paid" and inv.paid_at is not None:
        problems.append(f"a {inv.status} invoice has a paid_at time")
    order = [t for t in (inv.created, inv.finalized_at, inv.paid_at) if t is not None]
    if order != sorted(order):
        problems.append("created, finalized_at and paid_at are out of order")
    return problems


def _balance_links(inv: Invoice, linked: Mapping[str, int]) -> list[str]:
    settled = sum(linked.get(t, 0) for t in SETTLING_TYPES)
    unapplied = linked.get("unapplied_from_invoice", 0)
    problems = []
    if inv.status == "draft":
        if settled or unapplied:
            problems.append("a draft has balance transactions")
        return problems
    if inv.starting_balance is not None and inv.ending_balance is not None:
        change = inv.ending_balance - inv.starting_balance
        if settled != change:
            problems.append(
                f"its balance transactions total {settled}, but its balance went "
                f"from {inv.starting_balance} to {inv.ending_balance}"
            )
    expected = -linked.get("applied_to_invoice", 0) if inv.status == "void" else 0
    if unapplied != expected:
        problems.append(f"unapplied_from_invoice totals {unapplied}, expected {expected}")
    return problems


def revision_problems(invoices: Mapping[str, Invoice]) -> list[Problem]:
    """Revisions (`from_invoice`): a finalized revision has voided the invoice it revises,
    and every invoice of its chain names the chain's newest finalized revision as its
    `latest_revision`, numbered after the chain's first invoice."""
    problems: list[Problem] = []
    for inv in invoices.values():
        if inv.latest_revision is not None:
            newest = invoices.get(inv.latest_revision)
            if newest is None or inv.id not in _chain(newest, invoices):
                problems.append(
                    Problem(inv.id, f"latest_revision {inv.latest_revision} is no revision of it")
                )
        if inv.from_invoice is None or inv.status == "draft":
            continue
        source = invoices.get(inv.from_invoice)
        if source is None or source.status != "void" or source.latest_revision is None:
            problems.append(
                Problem(
                    inv.id, f"is a finalized revision of {inv.from_invoice}, which it did not void"
                )
            )
            continue
        first = invoices.get(_chain(inv, invoices)[-1])
        if (
            first is not None
            and first.number
            and not str(inv.number).startswith(f"{first.number}-")
        ):
            problems.append(
                Problem(inv.id, f"number {inv.number} is not a revision of {first.number}")
            )
    return problems


def _chain(inv: Invoice, invoices: Mapping[str, Invoice]) -> list[str]:
    """The ids of the invoices `inv` revises, nearest first (its own first of all)."""
    chain = [inv.id]
    found: Invoice | None = inv
    while found is not None and found.from_invoice is not None and len(chain) <= len(invoices):
        chain.append(found.from_invoice)
        found = invoices.get(found.from_invoice)
    return chain
