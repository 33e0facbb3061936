"""`ledger check`: every invariant of the ledger, each violation named, and what is
damaged in a file SQLite reports damaged."""

from __future__ import annotations

from collections.abc import Mapping

from billcli.core.checkout_checks import Made, check_session
from billcli.core.clock_checks import ahead, check_clock, misplaced
from billcli.core.credit_note_checks import (
    check_credit_note,
    check_invoice_credits,
    orphan_credit_transactions,
)
from billcli.core.discount_checks import check_coupon, check_promotion_code
from billcli.core.invoice_checks import LineSums, check_invoice, revision_problems
from billcli.core.ledger import ChainCheck, Problem
from billcli.core.payment_checks import (
    Payments,
    check_attempts,
    check_captures,
    check_charge_customers,
    check_charges,
    check_charges_after_deletion,
    check_credit_note_refunds,
    check_intents,
    check_invoice_payments,
)
from billcli.core.portal import portal_problems
from billcli.core.records import BalanceTransaction
from billcli.core.records.credit_notes import CreditNote, CreditNoteLine
from billcli.core.records.discounts import Discount
from billcli.core.records.invoices import Invoice
from billcli.core.records.payments import Charge
from billcli.core.records.subscriptions import Subscription, SubscriptionItem
from billcli.core.reports import effective
from billcli.core.schedule_checks import check_schedule
from billcli.core.source_checks import check_default_sources, check_deleted_plans, check_tokens
from billcli.core.subscription_checks import check_subscription
from billcli.core.tax import rate_of
from billcli.core.tax_checks import check_line, check_sums
from billcli.core.tax_id_checks import check_tax_ids
from billcli.core.webhooks import delivery_problems
from billcli.errors import LedgerDamaged
from billcli.services.ledger import settings
from billcli.services.queries.usage_check import usage_problems
from billcli.services.subscriptions.mrr import state
from billcli.store.damage import scan
from billcli.store.ledger import Ledger, Tx
from billcli.store.paths import Address, ServerAddress
from billcli.store.taxes import tax_by_invoice, taxed_lines


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
        deleted = set()
        for customer in tx.customers.all():
            chain.finish(customer)
            if customer.deleted:
                deleted.add(customer.id)
        problems = chain.problems + chain.orphans()
        lines = tx.invoice_items.totals_by_invoice()
        taxed = tax_by_invoice(tx.conn)
        linked = tx.balance.sums_by_invoice()
        notes = _credit_notes_by_invoice(tx)
        payments = _payments(tx)
        by_subscription: dict[str, list[Invoice]] = {}
        by_id: dict[str, Invoice] = {}
        every: dict[str, Invoice] = {}
        for invoice in tx.invoices.all():
            every[invoice.id] = invoice
            problems += check_invoice(
                invoice,
                lines.get(invoice.id, LineSums()),
                linked.get(invoice.id, {}),
                customer_deleted=invoice.customer in deleted,
            )
            problems += check_sums(invoice.id, invoice.tax_amounts, taxed.get(invoice.id, []))
            problems += check_invoice_credits(invoice, notes.get(invoice.id, []))
            problems += check_invoice_payments(invoice, payments)
            if invoice.payment_intent is not None:
                by_id[invoice.id] = invoice
            if invoice.subscription is not None:
                by_subscription.setdefault(invoice.subscription, []).append(invoice)
        problems += revision_problems(every)
        problems += _line_tax_problems(tx)
        problems += _subscription_problems(tx, by_subscription, deleted)
        problems += check_charges(payments) + check_captures(payments)
        problems += check_charge_customers(every, payments)
        problems += check_attempts(tx.attempts.all(), payments)
        problems += check_intents(tx.payment_intents.all(), payments, by_id)
        problems += _checkout_problems(tx, every, payments.charges)
        problems += _schedule_problems(tx)
        problems += check_credit_note_refunds(tx.credit_notes.all(), payments)
        problems += check_charges_after_deletion(tx.events.charges_after_deletion())
        problems += _credit_note_problems(tx, credited)
        problems += delivery_problems(tx.webhook_deliveries.all(), tx.webhook_attempts.counts())
        problems += portal_problems(
            list(tx.portal_configurations.all()), list(tx.portal_sessions.all())
        )
        problems += usage_problems(tx)
        problems += _source_problems(tx)
        problems += check_tax_ids(tx.tax_ids.all())
        return problems + _clock_problems(tx)


def _clock_problems(tx: Tx) -> list[Problem]:
    alive = tx.test_clocks.live_customers()
    problems = []
    for clock in tx.test_clocks.all():
        problems += check_clock(clock, alive.get(clock.id, 0))
    return problems + misplaced(tx.test_clocks.misplaced()) + ahead(tx.test_clocks.ahead())


def _line_tax_problems(tx: Tx) -> list[Problem]:
    """Each taxed line's tax is what its rates make of it (a ledger without tax reads
    nothing here)."""
    lines = taxed_lines(tx.conn)
    rates = {
        r.id: rate_of(r.id, r.percentage, r.inclusive)
        for r in tx.tax_rates.get_many(sorted({i for *_, ids in lines for i in ids})).values()
    }
    problems = []
    for invoice, line, base, stored, ids in lines:
        if any(i not in rates for i in ids):
            problems.append(Problem(invoice, f"line {line} names a tax rate the ledger lacks"))
            continue
        problems += check_line(invoice, line, base, stored, [rates[i] for i in ids])
    return problems


def _checkout_problems(
    tx: Tx, invoices: dict[str, Invoice], charges: Mapping[str, Charge]
) -> list[Problem]:
    """Each session against what it made (`invoices`: every invoice, by id; `charges`:
    every charge, by id)."""
    sessions = list(tx.checkout_sessions.all())
    wanted = [s.payment_intent for s in sessions if s.payment_intent is not None]
    discounts: dict[str, list[Discount]] = {}
    for discount in tx.discounts.all():
        if discount.checkout_session is not None:
            discounts.setdefault(discount.checkout_session, []).append(discount)
    paid_by: dict[str, list[Invoice]] = {}
    for invoice in invoices.values():
        if invoice.payment_intent is not None:
            paid_by.setdefault(invoice.payment_intent, []).append(invoice)
    made = Made(
        tx.payment_intents.get_many(wanted),
        {i: invoices[i] for s in sessions if (i := s.invoice) is not None and i in invoices},
        discounts,
        {pi: paid_by[pi] for pi in wanted if pi in paid_by},
        charges,
    )
    return [problem for s in sessions for problem in check_session(s, made)]


def _schedule_problems(tx: Tx) -> list[Problem]:
    schedules = list(tx.subscription_schedules.all())
    wanted = [s.subscription for s in schedules if s.subscription is not None]
    subscriptions = tx.subscriptions.get_many(wanted)
    owners = tx.customers.get_many(sorted({s.customer for s in schedules}))
    gone = frozenset(c.id for c in owners.values() if c.deleted)
    return [problem for s in schedules for problem in check_schedule(s, subscriptions, gone)]


def _source_problems(tx: Tx) -> list[Problem]:
    methods = {method.id: method for method in tx.payment_methods.all()}
    problems = check_default_sources(tx.customers.all(), methods)
    problems += check_tokens(tx.tokens.all(), methods)
    return problems + check_deleted_plans(tx.prices.all())


def _payments(tx: Tx) -> Payments:
    payments = Payments()
    for charge in tx.charges.all():
        payments.add_charge(charge)
    for refund in tx.refunds.all():
        payments.refunds.setdefault(refund.charge, []).append(refund)
    return payments


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
    by_code: dict[str, list[Discount]] = {}
    for discount in tx.discounts.all():
        discounts.setdefault(discount.coupon, []).append(discount)
        if discount.promotion_code is not None:
            by_code.setdefault(discount.promotion_code, []).append(discount)
    for coupon in tx.coupons.all():
        problems += check_coupon(coupon, discounts.get(coupon.id, []))
    for code in tx.promotion_codes.all():
        problems += check_promotion_code(code, by_code.get(code.id, []))
    return problems


def damage_report(path: Address, reported: LedgerDamaged) -> list[Problem]:
    """What is damaged in a ledger the engine reported damaged, found without writing
    to it (a SQLite file is read row by row; a server's own report stands)."""
    found = [] if isinstance(path, ServerAddress) else [Problem(w, m) for w, m in scan(path)]
    return found or [Problem("ledger file", reported.message)]


def _subscription_problems(
    tx: Tx, invoices: dict[str, list[Invoice]], deleted_customers: set[str]
) -> list[Problem]:
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
            # oldest first by the ledger's own order (`invoices.all` reads by seq), never by
            # id: two invoices made in one second have ids in no particular order
            invoices.get(sub.id, []),
            upcoming_days=upcoming_days,
            customer_deleted=sub.customer in deleted_customers,
        )
    return problems


def _mrr_problems(tx: Tx, sub: Subscription) -> list[Problem]:
    """The subscription's MRR history ends where its state is now."""
    latest = tx.subscription_mrr.latest(sub.id)
    if latest is None:
        return [Problem(sub.id, "it has no MRR history")]
    now = tx.now_for(sub.customer)
    recorded, current = effective(*latest, now), effective(*state(tx, sub), now)
    if recorded != current:
        return [Problem(sub.id, f"its MRR history ends at {recorded}, but it brings {current}")]
    return []
