"""The invariants of card sources, tokens and deleted plans (`ledger check`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from billcli.core.ledger import Problem

if TYPE_CHECKING:
    from billcli.core.records import Customer
    from billcli.core.records.catalog import Price
    from billcli.core.records.payments import PaymentMethod, Token


def check_default_sources(
    customers: Iterable[Customer], methods: dict[str, PaymentMethod]
) -> list[Problem]:
    """A customer's default source is one of their own cards, still saved."""
    problems = []
    for customer in customers:
        chosen = customer.default_source
        if chosen is None or customer.deleted:
            continue
        card = methods.get(chosen)
        if card is None or not card.is_source or card.customer != customer.id:
            problems.append(
                Problem(customer.id, f"its default source {chosen} is no card of theirs")
            )
    return problems


def check_tokens(tokens: Iterable[Token], methods: dict[str, PaymentMethod]) -> list[Problem]:
    """A token was used exactly when the card it stands for exists."""
    problems = []
    for token in tokens:
        if token.used != (token.card in methods):
            found = "is missing" if token.used else "exists"
            said = f"{'used' if token.used else 'unused'}, but its card {token.card} {found}"
            problems.append(Problem(token.id, said))
    return problems


def check_deleted_plans(prices: Iterable[Price]) -> list[Problem]:
    """A deleted plan takes no new subscriptions: it is inactive, and was recurring."""
    return [
        Problem(p.id, "it is deleted but still active, or not a recurring price")
        for p in prices
        if p.deleted and (p.active or p.interval is None)
    ]
