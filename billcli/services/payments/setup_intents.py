"""SetupIntents: saving a card for later (notes §4). Confirmed with a test card it is
saved at once, refused (a decline card), or waits for the customer to authenticate
(Stripe's 3155 and 3184 cards); once it succeeds the card is attached to the intent's
customer, and with `usage=off_session` it counts as set up for payments made without
them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import intent_details, payment_objects
from billcli.core.ids import new_id
from billcli.core.intents import (
    ACTION,
    SETUP_CANCELLATION_REASONS,
    SUCCEEDED,
    USAGES,
    client_secret,
    require_cancelable,
    require_confirmable,
    set_up,
    set_up_for_later,
)
from billcli.core.invoicing import check_choice
from billcli.core.metadata import merged, parse_pairs
from billcli.core.pagination import Page, PageRequest
from billcli.core.payments import TEST_CARDS, decline_error, decline_message
from billcli.core.portal import check_url, new_secret
from billcli.core.records.payments import PaymentMethod, SetupIntent
from billcli.errors import CardDeclined, InvalidRequest
from billcli.services.ledger.events import record
from billcli.services.ledger.lookup import live_customer
from billcli.services.payments.methods import usable_method
from billcli.services.payments.objects import (
    find_setup_intent,
    not_a_sessions,
    setup_intent_object,
)
from billcli.store.ledger import Ledger, Tx


def options(given: Any) -> dict[str, Any] | None:
    """A SetupIntent's card options: 3-D Secure and the network (a payment's others,
    such as its capture, mean nothing to saving a card)."""
    return intent_details.card_options(given, keys=("request_three_d_secure", "network"))


@dataclass(frozen=True)
class SetupInput:
    """`setup-intents create` as typed."""

    customer: str | None = None
    payment_method: str | None = None
    usage: str | None = None
    description: str | None = None
    metadata: tuple[str, ...] = ()
    confirm: bool = False
    return_url: str | None = None
    payment_method_options: dict[str, Any] | None = None
    automatic_payment_methods: dict[str, Any] | None = None

    def checked(self) -> SetupInput:
        check_choice(self.usage or "off_session", USAGES, "usage")
        options(self.payment_method_options)
        intent_details.automatic_payment_methods(self.automatic_payment_methods)
        check_url(self.return_url, "return_url")
        if self.confirm and not self.payment_method:
            raise InvalidRequest(
                "Missing payment_method: confirming needs a payment method", param="payment_method"
            )
        parse_pairs(self.metadata)
        return self


def create_in(tx: Tx, data: SetupInput) -> SetupIntent:
    customer = None if data.customer is None else live_customer(tx, data.customer).id
    intent_id = new_id("setup_intent")
    si = SetupIntent(
        id=intent_id,
        created=tx.now,
        status="requires_confirmation" if data.payment_method else "requires_payment_method",
        usage=data.usage or "off_session",
        client_secret=client_secret(intent_id),
        customer=customer,
        description=data.description or None,
        metadata=merged({}, parse_pairs(data.metadata)),
        return_url=data.return_url,
        payment_method_options=options(data.payment_method_options),
        automatic_payment_methods=intent_details.automatic_payment_methods(
            data.automatic_payment_methods
        ),
    )
    tx.setup_intents.add(si)
    record(tx, "setup_intent.created", setup_intent_object(tx, si))
    return si


def create(ledger: Ledger, data: SetupInput) -> dict[str, Any]:
    """A new SetupIntent; `confirm` confirms it at once with its payment method."""
    data.checked()
    with ledger.write() as tx:
        si = create_in(tx, data)
        failed = None
        if data.payment_method and data.confirm:
            si, failed = confirm_in(tx, si, data.payment_method)
        elif data.payment_method:
            method = usable_method(tx, data.payment_method, si.customer, param="payment_method")
            si = replace(si, payment_method=method.id)
            tx.setup_intents.save(si)
        shown = setup_intent_object(tx, si)
    if failed is not None:
        raise failed
    return shown


def confirm_in(
    tx: Tx, si: SetupIntent, payment_method: str | None, *, return_url: str | None = None
) -> tuple[SetupIntent, CardDeclined | None]:
    """Try to save the card: saved, refused (returned, to raise after the commit), or
    waiting for the customer."""
    require_confirmable("setup_intent", si.id, si.status)
    chosen = payment_method or si.payment_method
    if chosen is None:
        raise InvalidRequest(
            f"You cannot confirm this SetupIntent because it's missing a payment method. "
            f"Give one with --payment-method ({si.id}).",
            param="payment_method",
        )
    method = usable_method(tx, chosen, si.customer, param="payment_method")
    si = replace(si, return_url=return_url or si.return_url)
    attempt = set_up(TEST_CARDS[method.test_name], authenticated=False)
    if attempt.result == SUCCEEDED:
        return _succeeded(tx, si, method), None
    if attempt.result == ACTION:
        waiting = replace(
            si,
            status="requires_action",
            payment_method=method.id,
            action_secret=new_secret(),
            last_setup_error=None,
        )
        tx.setup_intents.save(waiting)
        record(tx, "setup_intent.requires_action", setup_intent_object(tx, waiting))
        return waiting, None
    code = str(attempt.code)
    error = payment_objects.payment_error(
        "card_error",
        code,
        decline_message(code, attempt.decline_code),
        decline_code=attempt.decline_code,
        payment_method=method.id,
    )
    failed = _failed(tx, si, error)
    return failed, decline_error(
        code,
        attempt.decline_code,
        param="payment_method",
        setup_intent=setup_intent_object(tx, failed),
        recorded=True,
    )


def _succeeded(tx: Tx, si: SetupIntent, method: PaymentMethod) -> SetupIntent:
    saved = replace(method, set_up=set_up_for_later(method.set_up, si.usage))
    if si.customer is not None and method.customer is None:
        saved = replace(saved, customer=si.customer)
    if saved != method:
        tx.payment_methods.save(saved)
        if saved.customer != method.customer:
            record(tx, "payment_method.attached", payment_objects.payment_method(saved))
    done = replace(
        si, status="succeeded", payment_method=method.id, last_setup_error=None, action_secret=None
    )
    tx.setup_intents.save(done)
    record(tx, "setup_intent.succeeded", setup_intent_object(tx, done))
    return done


def _failed(tx: Tx, si: SetupIntent, error: dict[str, Any]) -> SetupIntent:
    failed = replace(
        si,
        status="requires_payment_method",
        payment_method=None,
        last_setup_error=error,
        action_secret=None,
    )
    tx.setup_intents.save(failed)
    record(tx, "setup_intent.setup_failed", setup_intent_object(tx, failed))
    return failed


def authenticate_in(tx: Tx, si: SetupIntent, *, succeeded: bool) -> SetupIntent:
    """The customer completed (the card is saved) or failed the challenge."""
    method = tx.payment_methods.get(str(si.payment_method))
    assert method is not None, si.payment_method
    if succeeded:
        return _succeeded(tx, si, method)
    return _failed(tx, si, payment_objects.authentication_failure("setup_intent", method.id))


def confirm(
    ledger: Ledger,
    intent_id: str,
    *,
    payment_method: str | None = None,
    return_url: str | None = None,
    payment_method_options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    check_url(return_url, "return_url")
    chosen = options(payment_method_options)
    with ledger.write() as tx:
        si = find_setup_intent(tx, intent_id)
        not_a_sessions(tx, si, "confirm")
        if chosen is not None:
            si = replace(si, payment_method_options=chosen)
        si, failed = confirm_in(tx, si, payment_method, return_url=return_url)
        shown = setup_intent_object(tx, si)
    if failed is not None:
        raise failed
    return shown


def cancel(ledger: Ledger, intent_id: str, *, reason: str | None = None) -> dict[str, Any]:
    if reason is not None:
        check_choice(reason, SETUP_CANCELLATION_REASONS, "cancellation_reason")
    with ledger.write() as tx:
        si = find_setup_intent(tx, intent_id)
        not_a_sessions(tx, si, "cancel")
        require_cancelable("setup_intent", si.status)
        return setup_intent_object(tx, cancel_in(tx, si, reason))


def cancel_in(tx: Tx, si: SetupIntent, reason: str | None) -> SetupIntent:
    canceled = replace(si, status="canceled", cancellation_reason=reason, action_secret=None)
    tx.setup_intents.save(canceled)
    record(tx, "setup_intent.canceled", setup_intent_object(tx, canceled))
    return canceled


def update(
    ledger: Ledger,
    intent_id: str,
    *,
    description: str | None = None,
    metadata: tuple[str, ...] = (),
    customer: str | None = None,
    payment_method: str | None = None,
    payment_method_options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Change a SetupIntent's description, metadata, options, and while it is not
    finished its customer or payment method (no event: Stripe has none)."""
    pairs = parse_pairs(metadata)
    chosen = options(payment_method_options)
    with ledger.write() as tx:
        si = find_setup_intent(tx, intent_id)
        after = replace(
            si,
            description=si.description if description is None else (description or None),
            metadata=merged(si.metadata, pairs),
            payment_method_options=si.payment_method_options if chosen is None else chosen,
        )
        if customer is not None or payment_method is not None:
            after = _rebound(tx, after, customer, payment_method)
        if after != si:
            tx.setup_intents.save(after)
        return setup_intent_object(tx, after)


def show(ledger: Ledger, intent_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return setup_intent_object(tx, find_setup_intent(tx, intent_id))


def _rebound(
    tx: Tx, si: SetupIntent, customer: str | None, payment_method: str | None
) -> SetupIntent:
    """An unfinished SetupIntent's customer (when it has none) or payment method."""
    require_confirmable("setup_intent", si.id, si.status)
    if customer is not None:
        if si.customer not in (None, customer):
            raise InvalidRequest(
                f"Invalid customer: {si.id} is {si.customer}'s already", param="customer"
            )
        si = replace(si, customer=live_customer(tx, customer).id)
    if payment_method is not None:
        method = usable_method(tx, payment_method, si.customer, param="payment_method")
        si = replace(si, payment_method=method.id, status="requires_confirmation")
    return si


def list_setup_intents(
    ledger: Ledger,
    request: PageRequest,
    *,
    customer: str | None = None,
    payment_method: str | None = None,
) -> Page:
    with ledger.read() as tx:
        found, has_more = tx.setup_intents.page(
            request, customer=customer, payment_method=payment_method
        )
        return Page("/v1/setup_intents", [setup_intent_object(tx, s) for s in found], has_more)
