"""The ledger as a whole: where it is, what it holds, whether it is consistent, its clock."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from billcli.clock import system_now
from billcli.core.credit_note_checks import (
    check_coupon,
    check_credit_note,
    check_invoice_credits,
    orphan_credit_transactions,
)
from billcli.core.invoice_checks import LineSums, check_invoice
from billcli.core.ledger import ChainCheck, Problem
from billcli.core.portal import portal_problems
from billcli.core.records import BalanceTransaction
from billcli.core.records.discounts import CreditNote, CreditNoteLine, Discount
from billcli.core.records.invoices import Invoice
from billcli.core.records.subscriptions import Subscription, SubscriptionItem
from billcli.core.subscription_checks import check_subscription
from billcli.core.webhooks import delivery_problems
from billcli.errors import InvalidRequest, LedgerDamaged
from billcli.services.ledger import settings
from billcli.store.ledger import Ledger, Tx
from billcli.store.meta import CLOCK_KEY


@dataclass(frozen=True)
class ClockState:
    now: int
    frozen: bool

    def to_dict(self) -> dict[str, Any]:
        return {"object": "ledger_clock", "now": self.now, "frozen": self.frozen}


def info(ledger: Ledger) -> dict[str, Any]:
    """What an operator asks first: which file, which schema, what time, how much data."""
    with ledger.read() as tx:
        return {
            "object": "ledger",
            "path": str(ledger.path),
            "schema_version": ledger.schema_version,
            "clock": ClockState(tx.now, tx.clock.is_frozen).to_dict(),
            "counts": {
                "customers": tx.customers.count(),
                "deleted_customers": tx.customers.count(include_deleted=True)
                - tx.customers.count(),
                "balance_transactions": tx.balance.count(),
                "invoices": tx.invoices.count(),
                "invoice_items": tx.invoice_items.count(),
                "events": tx.events.count(),
                "portal_configurations": tx.portal_configurations.count(),
                "portal_sessions": tx.portal_sessions.count(),
                "products": tx.products.count(),
                "prices": tx.prices.count(),
                "subscriptions": tx.subscriptions.count(),
            },
        }


def check(ledger: Ledger) -> list[Problem]:
    """Every invariant violation in the ledger (empty when consistent)."""
    with ledger.read() as tx:
        damage = tx.integrity_problems()
        if damage:
            return [Problem("ledger file", message) for message in damage]
        chain = ChainCheck()
        credited: dict[str, BalanceTransaction] = {}
        for txn in tx.balance.in_write_order():
            chain.feed(txn)
            if txn.type == "credit_note":
                credited[txn.id] = txn
        for customer in tx.customers.all():
            chain.finish(customer)
        problems = chain.problems + chain.orphans()
        lines = tx.invoice_items.totals_by_invoice()
        linked = tx.balance.sums_by_invoice()
        notes = _credit_notes_by_invoice(tx)
        by_subscription: dict[str, list[Invoice]] = {}
        for invoice in tx.invoices.all():
            problems += check_invoice(
                invoice, lines.get(invoice.id, LineSums()), linked.get(invoice.id, {})
            )
            problems += check_invoice_credits(invoice, notes.get(invoice.id, []))
            if invoice.subscription is not None:
                by_subscription.setdefault(invoice.subscription, []).append(invoice)
        problems += _subscription_problems(tx, by_subscription)
        problems += _credit_note_problems(tx, credited)
        problems += delivery_problems(tx.webhook_deliveries.all(), tx.webhook_attempts.counts())
        problems += portal_problems(
            list(tx.portal_configurations.all()), list(tx.portal_sessions.all())
        )
        return problems


def _credit_notes_by_invoice(tx: Tx) -> dict[str, list[CreditNote]]:
    found: dict[str, list[CreditNote]] = {}
    for note in tx.credit_notes.all():
        found.setdefault(note.invoice, []).append(note)
    return found


def _credit_note_problems(tx: Tx, credited: dict[str, BalanceTransaction]) -> list[Problem]:
    lines: dict[str, list[CreditNoteLine]] = {}
    for line in tx.credit_note_lines.all():
        lines.setdefault(line.credit_note, []).append(line)
    notes = {note.id: note for note in tx.credit_notes.all()}
    problems = []
    for note in notes.values():
        txn = credited.get(note.customer_balance_transaction or "")
        problems += check_credit_note(note, lines.get(note.id, []), txn)
    problems += orphan_credit_transactions(credited.values(), notes)
    discounts: dict[str, list[Discount]] = {}
    for discount in tx.discounts.all():
        discounts.setdefault(discount.coupon, []).append(discount)
    for coupon in tx.coupons.all():
        problems += check_coupon(coupon, discounts.get(coupon.id, []))
    return problems


def damage_report(path: Path, reported: LedgerDamaged) -> list[Problem]:
    """What is damaged in a ledger SQLite reported damaged, found without writing to it."""
    from billcli.store.damage import scan

    found = [Problem(where, what) for where, what in scan(path)]
    return found or [Problem("ledger file", reported.message)]


def _subscription_problems(tx: Tx, invoices: dict[str, list[Invoice]]) -> list[Problem]:
    items: dict[str, list[SubscriptionItem]] = {}
    for item in tx.subscription_items.all():
        items.setdefault(item.subscription, []).append(item)
    prices = {p.id: p for p in tx.prices.all()}
    upcoming_days = int(settings.value(tx, "subscriptions.upcoming_days"))
    problems = []
    for sub in tx.subscriptions.all():
        problems += _mrr_problems(tx, sub)
        problems += check_subscription(
            sub,
            items.get(sub.id, []),
            prices,
            sorted(invoices.get(sub.id, []), key=lambda i: (i.created, i.id)),
            upcoming_days=upcoming_days,
        )
    return problems


def _mrr_problems(tx: Tx, sub: Subscription) -> list[Problem]:
    """The subscription's MRR history ends where its state is now."""
    from billcli.core.reports import effective
    from billcli.services.subscriptions.mrr import state

    latest = tx.subscription_mrr.latest(sub.id)
    if latest is None:
        return [Problem(sub.id, "it has no MRR history")]
    recorded, current = effective(*latest, tx.now), effective(*state(tx, sub), tx.now)
    if recorded != current:
        return [Problem(sub.id, f"its MRR history ends at {recorded}, but it brings {current}")]
    return []


def clock(ledger: Ledger) -> ClockState:
    with ledger.read() as tx:
        return ClockState(tx.now, tx.clock.is_frozen)


def clock_to_system(ledger: Ledger) -> ClockState:
    """Unfreeze the clock, unless that would move it backwards."""
    with ledger.write() as tx:
        now = system_now()
        if tx.clock.frozen_at is not None and now < tx.clock.frozen_at:
            raise InvalidRequest(
                f"Invalid system: system time ({now}) is behind the frozen ledger time "
                f"({tx.clock.frozen_at}); the clock never moves backwards",
                param="system",
            )
        tx.meta.set(CLOCK_KEY, None)
        return ClockState(now, False)
