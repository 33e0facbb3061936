"""The ledger as a whole: where it is, what it holds, its clock (`ledger check` is
`queries.check`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from billcli.clock import system_now
from billcli.core.dates import moment
from billcli.errors import InvalidRequest
from billcli.store.ledger import Ledger
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
            "clock": ClockState(tx.ledger_now, tx.clock.is_frozen).to_dict(),
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
                "payment_methods": tx.payment_methods.count(),
                "payment_intents": tx.payment_intents.count(),
                "charges": tx.charges.count(),
                "refunds": tx.refunds.count(),
                "tax_rates": tx.tax_rates.count(),
            },
        }


def clock(ledger: Ledger) -> ClockState:
    with ledger.read() as tx:
        return ClockState(tx.ledger_now, tx.clock.is_frozen)


def clock_to_system(ledger: Ledger) -> ClockState:
    """Unfreeze the clock, unless that would move it backwards."""
    with ledger.write() as tx:
        now = system_now()
        if tx.clock.frozen_at is not None and now < tx.clock.frozen_at:
            raise InvalidRequest(
                f"Invalid system: system time ({moment(now)}) is behind the frozen ledger "
                f"time ({moment(tx.clock.frozen_at)}); the clock never moves backwards",
                param="system",
            )
        tx.meta.set(CLOCK_KEY, None)
        return ClockState(now, False)
