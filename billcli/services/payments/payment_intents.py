"""PaymentIntents a caller makes (`POST /v1/payment_intents`, `payment-intents create`),
shown, listed, changed and canceled. An invoice's intent is the invoice's: it is shown
and confirmed like any other, but changed or canceled only through its invoice (Stripe:
the default payment's intent "can't be edited or canceled directly")."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import contact, intent_details
from billcli.core.intents import (
    CANCELLATION_REASONS,
    CAPTURE_METHODS,
    CONFIRMABLE,
    CONFIRMATION_METHODS,
    MANUAL,
    PAYMENT_STATUSES,
    require_cancelable,
    require_unheld,
)
from billcli.core.invoicing import check_choice
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import check_chargeable, normalize_currency, parse_amount
from billcli.core.pagination import Page, PageRequest
from billcli.core.portal import check_url
from billcli.core.records.payments import PaymentIntent
from billcli.errors import CardDeclined, InvalidRequest
from billcli.services.ledger.lookup import live_customer
from billcli.services.payments import intents
from billcli.services.payments.methods import usable_method
from billcli.services.payments.objects import find_intent, intent_object, not_a_sessions
from billcli.store.ledger import Ledger, Tx

USAGES = ("off_session", "on_session")
# What an intent carries beside its money, set on create, update and confirm.
DETAILS = (
    "receipt_email",
    "statement_descriptor",
    "statement_descriptor_suffix",
    "payment_method_options",
    "automatic_payment_methods",
    "setup_future_usage",
    "shipping",
    "capture_method",
)


@dataclass(frozen=True)
class IntentInput:
    """`payment-intents create` as typed (amounts as text: the currency reads them)."""

    amount: str | None = None
    currency: str | None = None
    customer: str | None = None
    payment_method: str | None = None
    description: str | None = None
    metadata: tuple[str, ...] = ()
    confirm: bool = False
    off_session: bool = False
    return_url: str | None = None
    setup_future_usage: str | None = None
    shipping: dict[str, Any] | None = None
    receipt_email: str | None = None
    statement_descriptor: str | None = None
    statement_descriptor_suffix: str | None = None
    payment_method_options: dict[str, Any] | None = None
    automatic_payment_methods: dict[str, Any] | None = None
    error_on_requires_action: bool = False
    capture_method: str | None = None
    confirmation_method: str | None = None

    def details(self) -> dict[str, Any]:
        return details({name: getattr(self, name) for name in DETAILS})

    def checked(self) -> IntentInput:
        if self.amount is None:
            raise InvalidRequest.missing("amount")
        if self.currency is None:
            raise InvalidRequest.missing("currency")
        currency = normalize_currency(self.currency)
        amount = parse_amount(self.amount, currency)
        check_chargeable(amount, currency, zero_is_no_charge=False)
        if self.off_session and not self.confirm:
            raise InvalidRequest("Invalid off_session: only with confirm=true", param="off_session")
        if self.error_on_requires_action and not self.confirm:
            raise InvalidRequest(
                "Invalid error_on_requires_action: only with confirm=true",
                param="error_on_requires_action",
            )
        check_url(self.return_url, "return_url")
        if self.confirmation_method is not None:
            check_choice(self.confirmation_method, CONFIRMATION_METHODS, "confirmation_method")
        self.details()
        parse_pairs(self.metadata)
        return self


def details(given: dict[str, Any]) -> dict[str, Any]:
    """The record fields of what an intent carries beside its money (receipt email,
    statement descriptors, card options, automatic payment methods, future usage,
    shipping), checked: those `given` names ("" clears one)."""
    found: dict[str, Any] = {}
    for name, value in given.items():
        if value is None:
            continue
        if name == "receipt_email":
            found[name] = intent_details.receipt_email(value)
        elif name in ("statement_descriptor", "statement_descriptor_suffix"):
            found[name] = intent_details.descriptor(value, name)
        elif name == "payment_method_options":
            found[name] = intent_details.card_options(value)
        elif name == "automatic_payment_methods":
            found[name] = intent_details.automatic_payment_methods(value)
        elif name == "setup_future_usage":
            found[name] = check_choice(value, USAGES, name) if value else None
        elif name == "shipping":
            found[name] = contact.shipping(value, "payment_intent", tracked=True)
        elif name == "capture_method":
            found[name] = check_choice(value, CAPTURE_METHODS, name)
        else:
            raise AssertionError(name)
    return found


def create(ledger: Ledger, data: IntentInput) -> dict[str, Any]:
    """A new intent; with `confirm`, confirmed at once (a decline is recorded, then
    raised, as Stripe answers 402 with the intent in the error)."""
    data.checked()
    currency = normalize_currency(str(data.currency))
    with ledger.write() as tx:
        customer = None if data.customer is None else live_customer(tx, data.customer).id
        method = None
        if data.payment_method is not None:
            method = usable_method(tx, data.payment_method, customer, param="payment_method")
        pi = intents.new_intent(
            tx,
            amount=parse_amount(str(data.amount), currency),
            currency=currency,
            customer=customer,
            description=data.description or None,
            metadata=merged({}, parse_pairs(data.metadata)),
            payment_method=None if method is None else method.id,
            confirmation_method=data.confirmation_method or "automatic",
            **data.details(),
        )
        failed = None
        if data.confirm:
            pi, failed = confirm_plain(
                tx,
                pi,
                None,
                off_session=data.off_session,
                return_url=data.return_url,
                refuse_action=data.error_on_requires_action,
            )
        shown = intent_object(tx, pi)
    if failed is not None:
        raise failed
    return shown


def confirm_plain(
    tx: Tx,
    pi: PaymentIntent,
    payment_method: str | None,
    *,
    off_session: bool,
    return_url: str | None,
    refuse_action: bool = False,
) -> tuple[PaymentIntent, CardDeclined | None]:
    """Confirm an intent of no invoice: paid, declined (returned to raise after the
    commit), or waiting for the customer (answered, as Stripe does, with `next_action`;
    with `refuse_action`, `error_on_requires_action`, declined as
    `authentication_required` instead). A manual-confirmation intent confirmed again
    after its customer authenticated goes on to the card without asking again."""
    chosen = payment_method or pi.payment_method
    if chosen is None:
        raise InvalidRequest(
            "You cannot confirm this PaymentIntent because it's missing a payment method. "
            "To confirm it, specify a payment method (a test token such as pm_card_visa, "
            "or one of its customer's).",
            param="payment_method",
        )
    method = usable_method(tx, chosen, pi.customer, param="payment_method")
    authenticated = pi.authenticated and pi.payment_method == method.id
    pi, _ = intents.attempt_in(
        tx,
        replace(pi, authenticated=False),
        method,
        off_session=off_session,
        billing=False,
        authenticated=authenticated,
        return_url=return_url,
        refuse_action=refuse_action,
    )
    return pi, intents.declined(tx, pi) if pi.status == "requires_payment_method" else None


def capture_method_settable(pi: PaymentIntent, fields: dict[str, Any]) -> None:
    """A capture method is chosen before confirmation, and an invoice's intent always
    captures at once (Stripe's invoices do): manual capture is for intents made directly."""
    chosen = fields.get("capture_method")
    if chosen is None:
        return
    if pi.status not in CONFIRMABLE:
        raise InvalidRequest(
            f"This PaymentIntent's capture_method could not be updated because it has a "
            f"status of {pi.status}.",
            param="capture_method",
            code="payment_intent_unexpected_state",
        )
    if pi.invoice is not None and chosen == MANUAL:
        raise InvalidRequest(
            f"Invalid capture_method: PaymentIntent {pi.id} pays invoice {pi.invoice}, and "
            "an invoice's payment is always captured at once",
            param="capture_method",
        )


def _not_an_invoices(pi: PaymentIntent, doing: str) -> None:
    if pi.invoice is not None:
        raise InvalidRequest(
            f"You cannot {doing} PaymentIntent {pi.id} directly: it belongs to invoice "
            f"{pi.invoice} (pay or void the invoice instead)",
            param="intent",
        )


def update(
    ledger: Ledger,
    intent_id: str,
    *,
    description: str | None = None,
    metadata: tuple[str, ...] = (),
    payment_method: str | None = None,
    amount: str | None = None,
    currency: str | None = None,
    customer: str | None = None,
    given: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Change what an unfinished intent will pay with and for how much, its customer,
    description, metadata and `details` (receipt email, descriptors, options…)."""
    pairs = parse_pairs(metadata)
    fields = details(given or {})
    with ledger.write() as tx:
        pi = find_intent(tx, intent_id)
        _not_an_invoices(pi, "update")
        not_a_sessions(tx, pi, "update")
        capture_method_settable(pi, fields)
        changed = {"amount": amount, "currency": currency, "customer": customer}
        for param, value in {**changed, "payment_method": payment_method}.items():
            if value is not None:
                require_unheld(pi.status, param)
        after = replace(
            pi,
            description=pi.description if description is None else (description or None),
            metadata=merged(pi.metadata, pairs),
            **fields,
        )
        if amount is not None or currency is not None or customer is not None:
            after = _repriced(tx, after, amount, currency, customer)
        if payment_method is not None:
            if pi.status in intents.TERMINAL:
                raise InvalidRequest(
                    f"This PaymentIntent's payment_method could not be updated because it has "
                    f"a status of {pi.status}.",
                    param="payment_method",
                )
            method = usable_method(tx, payment_method, pi.customer, param="payment_method")
            after = replace(
                after,
                payment_method=method.id,
                status="requires_confirmation",
                action_secret=None,
                last_payment_error=None,
            )
        if after != pi:  # no event: Stripe has no payment_intent.updated
            tx.payment_intents.save(after)
        return intent_object(tx, after)


def _repriced(
    tx: Tx, pi: PaymentIntent, amount: str | None, currency: str | None, customer: str | None
) -> PaymentIntent:
    """An unfinished intent's amount, currency or customer changed (not once it
    succeeded, was canceled, or its customer was set)."""
    if pi.status in intents.TERMINAL:
        raise InvalidRequest(
            f"This PaymentIntent's amount could not be updated because it has a status of "
            f"{pi.status}.",
            param="amount" if amount is not None else "currency",
        )
    if customer is not None and pi.customer not in (None, customer):
        raise InvalidRequest(
            f"Invalid customer: {pi.id} is {pi.customer}'s already", param="customer"
        )
    chosen = normalize_currency(currency) if currency is not None else pi.currency
    value = parse_amount(amount, chosen) if amount is not None else pi.amount
    check_chargeable(value, chosen, zero_is_no_charge=False)
    owner = pi.customer if customer is None else live_customer(tx, customer).id
    return replace(pi, amount=value, currency=chosen, customer=owner)


def cancel(ledger: Ledger, intent_id: str, *, reason: str | None = None) -> dict[str, Any]:
    if reason is not None:
        check_choice(reason, CANCELLATION_REASONS, "cancellation_reason")
    with ledger.write() as tx:
        pi = find_intent(tx, intent_id)
        _not_an_invoices(pi, "cancel")
        not_a_sessions(tx, pi, "cancel")
        require_cancelable("payment_intent", pi.status)
        return intent_object(tx, intents.cancel_in(tx, pi, reason))


def show(ledger: Ledger, intent_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return intent_object(tx, find_intent(tx, intent_id))


def list_intents(
    ledger: Ledger,
    request: PageRequest,
    *,
    customer: str | None = None,
    status: str | None = None,
) -> Page:
    if status is not None:
        check_choice(status, PAYMENT_STATUSES, "status")
    with ledger.read() as tx:
        found, has_more = tx.payment_intents.page(request, customer=customer, status=status)
        return Page("/v1/payment_intents", [intent_object(tx, pi) for pi in found], has_more)
