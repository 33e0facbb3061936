"""Card sources and tokens: the older API that integrations still send.

A token (`tok_…`) stands for a test card until it is used, once; Stripe's test tokens
(`tok_visa`, `tok_chargeDeclined`…) may be used any number of times, each use a new
card. A card source is one of the customer's payment methods whose id is `card_…`: it
pays as any other (a card source is a payment method in today's Stripe), and the
customer's `default_source` is charged when no default payment method is set.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import objects, source_objects
from billcli.core.ids import check_id, new_id
from billcli.core.metadata import merged, parse_pairs
from billcli.core.pagination import Page, PageRequest
from billcli.core.payments import TOKENS, TestCard, attachable_card, card_numbered
from billcli.core.records import Customer
from billcli.core.records.payments import PaymentMethod, Token
from billcli.core.source_objects import ADDRESS_FIELDS
from billcli.errors import CardDeclined, InvalidRequest, NotFound
from billcli.services.customers.balance import record_customer_update
from billcli.services.ledger.events import record, record_update
from billcli.services.ledger.lookup import live_customer
from billcli.services.payments.methods import check_not_charged, without_default
from billcli.store.ledger import Ledger, Tx

DOCS = "https://stripe.com/docs/error-codes/"


@dataclass(frozen=True)
class CardDetails:
    """What a card says of itself beyond its number: expiry, holder and address
    (`address_line1`…), as `card[…]` gives them."""

    exp_month: int | None = None
    exp_year: int | None = None
    name: str | None = None
    address: tuple[tuple[str, str], ...] = ()  # (address_line1, value)…
    metadata: tuple[str, ...] = ()


def _checked_expiry(details: CardDetails, now_year: int) -> None:
    if details.exp_month is not None and not 1 <= details.exp_month <= 12:
        raise CardDeclined(
            "Your card's expiration month is invalid.",
            code="invalid_expiry_month",
            param="exp_month",
            doc_url=DOCS + "invalid-expiry-month",
        )
    if details.exp_year is not None and not now_year <= details.exp_year <= now_year + 50:
        raise CardDeclined(
            "Your card's expiration year is invalid.",
            code="invalid_expiry_year",
            param="exp_year",
            doc_url=DOCS + "invalid-expiry-year",
        )


def _year(now: int) -> int:
    # startup: dates load only for the cards that are given an expiry
    from datetime import UTC, datetime

    return datetime.fromtimestamp(now, UTC).year


def _billing(current: dict[str, Any] | None, details: CardDetails) -> dict[str, Any] | None:
    """The card's holder and address as the payment method keeps them."""
    held = dict(current or {})
    address = dict(held.get("address") or {})
    for flat, value in details.address:
        if flat not in ADDRESS_FIELDS:
            raise InvalidRequest(
                f"Received unknown parameter: {flat}", param=flat, code="parameter_unknown"
            )
        address[ADDRESS_FIELDS[flat]] = value or None
    if address:
        held["address"] = address
    if details.name is not None:
        held["name"] = details.name or None
    return held or None


def create_token(ledger: Ledger, number: str, details: CardDetails) -> dict[str, Any]:
    """A single-use token of the test card with this number."""
    test_card = card_numbered(number)
    with ledger.write() as tx:
        _checked_expiry(details, _year(tx.now))
        made = Token(
            id=new_id("token"),
            created=tx.now,
            card=new_id("card"),
            test_name=test_card.name,
            exp_month=details.exp_month,
            exp_year=details.exp_year,
            billing_details=_billing(None, details),
        )
        tx.tokens.add(made)
        return source_objects.token(made)


def show_token(ledger: Ledger, token_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        found = tx.tokens.get(token_id) if token_id.startswith("tok_") else None
        if found is None:
            hint = " (a test token: use it as a source)" if token_id in TOKENS else ""
            message = f"No such token: '{token_id}'{hint}"
            raise NotFound("token", token_id, param="token", message=message)
        return source_objects.token(found)


def _card_of(tx: Tx, value: str, *, param: str) -> tuple[TestCard, Token | None]:
    """What a `source` names: a token made here (spent by this use), or one of Stripe's
    test tokens (a new card each time)."""
    if not value.startswith("tok_"):
        raise InvalidRequest(
            f"Invalid {param}: '{value}' is not a token (tok_…); billcli's sources are cards "
            "made from tokens",
            param=param,
        )
    stored = tx.tokens.get(value)
    if stored is None:
        if value not in TOKENS:
            raise NotFound("token", value, param=param, message=f"No such token: '{value}'")
        return attachable_card(value, param=param), None
    if stored.used:
        raise InvalidRequest(
            f"You cannot use a Stripe token more than once: {value}.",
            param=param,
            code="token_already_used",
        )
    return attachable_card(stored.test_name, param=param), stored


def add_source(
    tx: Tx, customer: Customer, value: str, *, param: str = "source"
) -> tuple[Customer, PaymentMethod]:
    """A new card source of the customer from a token (`customer.source.created`); it is
    their default when they had none."""
    test_card, token = _card_of(tx, value, param=param)
    card = PaymentMethod(
        id=new_id("card") if token is None else token.card,
        customer=customer.id,
        created=tx.now,
        test_name=test_card.name,
        brand=test_card.brand,
        last4=test_card.last4,
        billing_details=None if token is None else token.billing_details,
        exp_month=None if token is None else token.exp_month,
        exp_year=None if token is None else token.exp_year,
    )
    if token is not None:
        tx.tokens.save(replace(token, used=True))
    tx.payment_methods.add(card)
    record(tx, "customer.source.created", source_objects.card(card))
    if customer.default_source is None:
        customer = replace(customer, default_source=card.id)
        tx.customers.save(customer)
    return customer, card


def replace_default(tx: Tx, customer: Customer, value: str) -> Customer:
    """`source=tok_…` on a customer: the new card is their default, the old default card
    is deleted (Stripe's rule for that parameter)."""
    old = customer.default_source
    if old is not None:
        customer = _deleted(tx, customer, _own_card(tx, customer.id, old, param="source"))
    customer, _ = add_source(tx, replace(customer, default_source=None), value)
    return customer


def set_default_source(tx: Tx, customer: Customer, card_id: str) -> Customer:
    """`default_source=card_…`: one of the customer's cards becomes their default."""
    card = _own_card(tx, customer.id, card_id, param="default_source")
    changed = replace(customer, default_source=card.id)
    tx.customers.save(changed)
    return changed


def _own_card(tx: Tx, customer_id: str, card_id: str, *, param: str) -> PaymentMethod:
    check_id(card_id, "card", param=param)
    card = tx.payment_methods.get(card_id)
    if card is None or card.customer != customer_id:
        raise NotFound(
            "source",
            card_id,
            param=param,
            message=f"Customer {customer_id} does not have a linked source with ID {card_id}.",
        )
    return card


def attach(ledger: Ledger, customer_id: str, value: str) -> dict[str, Any]:
    """`POST /v1/customers/{customer}/sources`: a card from a token."""
    with ledger.write() as tx:
        before = live_customer(tx, customer_id)
        after, card = add_source(tx, before, value)
        record_customer_update(tx, before, after)
        return source_objects.card(card)


def _cards(tx: Tx, customer_id: str) -> list[PaymentMethod]:
    """The customer's card sources, newest first."""
    found, _ = tx.payment_methods.page(PageRequest(100), customer=customer_id, sources=True)
    return found


def update(ledger: Ledger, customer_id: str, card_id: str, details: CardDetails) -> dict[str, Any]:
    """A card's holder, address, expiry and metadata (`customer.source.updated`)."""
    pairs = parse_pairs(details.metadata)
    with ledger.write() as tx:
        live_customer(tx, customer_id)
        before = _own_card(tx, customer_id, card_id, param="id")
        _checked_expiry(details, _year(tx.now))
        after = replace(
            before,
            billing_details=_billing(before.billing_details, details),
            exp_month=details.exp_month or before.exp_month,
            exp_year=details.exp_year or before.exp_year,
            metadata=merged(before.metadata, pairs),
        )
        return record_update(
            tx,
            "customer.source.updated",
            before,
            after,
            save=tx.payment_methods.save,
            show=source_objects.card,
        )


def delete(ledger: Ledger, customer_id: str, card_id: str) -> dict[str, Any]:
    """Delete a card for good; a live subscription's default is refused (its renewals
    would have nothing to charge), the customer's default moves to their newest card."""
    with ledger.write() as tx:
        customer = live_customer(tx, customer_id)
        card = _own_card(tx, customer_id, card_id, param="id")
        after = _deleted(tx, customer, card)
        after = replace(after, default_source=after.default_source or _newest(tx, after.id))
        tx.customers.save(after)
        record_customer_update(tx, customer, after)
        return objects.deleted("card", card.id)


def _deleted(tx: Tx, customer: Customer, card: PaymentMethod) -> Customer:
    check_not_charged(tx, card, param="source")
    tx.payment_methods.save(replace(card, customer=None, detached_at=tx.now))
    record(tx, "customer.source.deleted", source_objects.card(card))
    cleared = without_default(customer, card.id)
    tx.customers.save(cleared)
    return cleared


def _newest(tx: Tx, customer_id: str) -> str | None:
    cards = _cards(tx, customer_id)
    return cards[0].id if cards else None


def show_card(ledger: Ledger, card_id: str) -> dict[str, Any]:
    """A card source by its id alone (a `default_source` expanded)."""
    with ledger.read() as tx:
        check_id(card_id, "card", param="id")
        card = tx.payment_methods.get(card_id)
        if card is None:
            raise NotFound("source", card_id, param="id", message=f"No such source: '{card_id}'")
        return source_objects.card(card)


def show(ledger: Ledger, customer_id: str, card_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        live_customer(tx, customer_id)
        return source_objects.card(_own_card(tx, customer_id, card_id, param="id"))


def list_sources(
    ledger: Ledger, customer_id: str, request: PageRequest, *, object_: str | None = None
) -> Page:
    """The customer's sources, newest first: cards (billcli has no bank accounts and no
    Sources API objects, so a list of those is empty)."""
    url = f"/v1/customers/{customer_id}/sources"
    with ledger.read() as tx:
        live_customer(tx, customer_id)
        if object_ not in (None, "card"):
            return Page(url, [], False)
        found, has_more = tx.payment_methods.page(request, customer=customer_id, sources=True)
        return Page(url, [source_objects.card(c) for c in found], has_more)
