"""The invariants of coupons, discounts and credit notes.

A credit note's lines make its totals; a post-payment one sends exactly its total
somewhere, its balance part through one `credit_note` transaction that points back at
it; an invoice's issued credit notes never exceed its total and match what the invoice
counts. A coupon has been redeemed once per discount made of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from billcli.core.ledger import Problem
from billcli.core.records import BalanceTransaction
from billcli.core.records.credit_notes import CreditNote, CreditNoteLine
from billcli.core.records.invoices import Invoice
from billcli.core.tax import loaded, summed
from billcli.core.tax_checks import check_credited, check_sums, check_total


def check_credit_note(
    cn: CreditNote, lines: Sequence[CreditNoteLine], txn: BalanceTransaction | None
) -> list[Problem]:
    problems = []
    if sum(line.amount for line in lines) != cn.subtotal:
        problems.append(f"subtotal {cn.subtotal} differs from the sum of its lines")
    if sum(line.discount_amount for line in lines) != cn.discount_amount:
        problems.append(f"discount_amount {cn.discount_amount} differs from its lines'")
    totalled = check_total(cn.id, cn.subtotal, cn.discount_amount, cn.total, cn.tax_amounts)
    problems += [p.message for p in totalled]
    charged = summed(loaded(line.tax_amounts) for line in lines)
    problems += [p.message for p in check_sums(cn.id, cn.tax_amounts, charged)]
    moved = cn.credit_amount + cn.refund_amount + cn.out_of_band_amount
    if cn.type == "post_payment" and moved != cn.total:
        problems.append(f"credit, refund and out of band add up to {moved}, not {cn.total}")
    if cn.type == "pre_payment" and moved:
        problems.append("a pre-payment credit note moves money")
    if cn.credit_amount:
        if txn is None:
            problems.append("its credit_amount has no balance transaction")
        elif (txn.type, txn.amount, txn.credit_note, txn.invoice) != (
            "credit_note",
            -cn.credit_amount,
            cn.id,
            cn.invoice,
        ):
            problems.append(f"balance transaction {txn.id} does not match its credit_amount")
    elif cn.customer_balance_transaction is not None:
        problems.append("it names a balance transaction but credits no balance")
    return [Problem(cn.id, p) for p in problems]


def check_invoice_credits(inv: Invoice, notes: Sequence[CreditNote]) -> list[Problem]:
    issued = [cn for cn in notes if cn.status == "issued"]
    problems = []
    total = sum(cn.total for cn in issued)
    if total > max(inv.total, 0):
        problems.append(f"its credit notes ({total}) exceed its total ({inv.total})")
    for kind, counted in (
        ("pre_payment", inv.pre_payment_credit_notes_amount),
        ("post_payment", inv.post_payment_credit_notes_amount),
    ):
        summed = sum(cn.total for cn in issued if cn.type == kind)
        if summed != counted:
            problems.append(
                f"{kind}_credit_notes_amount {counted} differs from its notes' {summed}"
            )
    if (
        notes
        and inv.status in ("draft", "void")
        and any(cn.type == "post_payment" for cn in issued)
    ):
        problems.append(f"a {inv.status} invoice has post-payment credit notes")
    found = [Problem(inv.id, p) for p in problems]
    return found + check_credited(
        inv.id, inv.tax_amounts, [loaded(cn.tax_amounts) for cn in issued]
    )


def orphan_credit_transactions(
    txns: Iterable[BalanceTransaction], notes: Mapping[str, CreditNote]
) -> list[Problem]:
    """`credit_note` balance transactions that no credit note claims."""
    problems = []
    for t in txns:
        claimed = notes.get(t.credit_note or "")
        if claimed is None or claimed.customer_balance_transaction != t.id:
            problems.append(Problem(t.id, "a credit_note transaction no credit note points to"))
    return problems
