"""Completing a Checkout Session: what the hosted page (and Stripe's payment-page API,
which the Stripe CLI drives) does with the customer's card.

billcli's rule (docs/design.md, Checkout): `payment` mode pays through a PaymentIntent
of the session's total, on-session; `setup` and `subscription` modes save the card
through a SetupIntent for off-session use, so the customer authenticates once (the
simulated 3-D Secure page) and the subscription's first invoice is then charged with
the saved card. Completing makes the customer (unless the session named one), the
subscription with `subscription_data`, and records `checkout.session.completed`, all
in one transaction: a first payment that fails leaves no customer or subscription.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import checkout as rules
from billcli.core import checkout_page
from billcli.core.customers import check_email
from billcli.core.money import check_chargeable
from billcli.core.records.checkout import CheckoutSession
from billcli.core.records.discounts import Discount
from billcli.core.records.payments import PaymentIntent, PaymentMethod, SetupIntent
from billcli.errors import CardDeclined, InvalidRequest, LinkExpired
from billcli.services.checkout.details import (
    Collected,
    details,
    new_customer,
    update_customer,
    with_collected,
)
from billcli.services.checkout.post_payment import invoiced
from billcli.services.checkout.pricing import (
    anchored,
    coupon_of,
    line_item_objects,
    purchase,
    repriced,
)
from billcli.services.checkout.sessions import find, page_url, session_object
from billcli.services.customers.customers import create_in as create_customer
from billcli.services.discounts.redemptions import Offer, offered, redeem
from billcli.services.invoicing.items import ItemInput
from billcli.services.invoicing.payment import attempt_in
from billcli.services.ledger.events import record
from billcli.services.payments import intents, setup_intents
from billcli.services.payments.objects import action_url
from billcli.services.payments.payment_intents import confirm_plain
from billcli.services.subscriptions.creation import SubscriptionInput, unrecorded
from billcli.services.subscriptions.creation import create_in as create_subscription
from billcli.services.subscriptions.settings import SubscriptionSettings
from billcli.store.ledger import Ledger, Tx

_GONE = "This Checkout Session is no longer available."


@dataclass(frozen=True)
class CheckoutPage:
    """What the hosted page shows."""

    session: dict[str, Any]
    items: list[dict[str, Any]]
    needs_email: bool
    needs_card: bool
    trial_end: int | None
    submit_label: str | None = None  # the button's word, when `submit_type` names one
    lang: str = "en"  # the page's language: the session's `locale` (auto: English)
    discount_label: str | None = None  # the promotion code as typed, else the coupon


@dataclass(frozen=True)
class Outcome:
    """Where the customer goes next: the success URL, or the bank's challenge."""

    next_url: str | None
    completed: bool
    declined: CardDeclined | None = None


def open_by_secret(tx: Tx, secret: str) -> CheckoutSession:
    session = tx.checkout_sessions.by_secret(secret)
    if session is None or session.status != "open" or tx.now >= session.expires_at:
        raise LinkExpired(_GONE, return_url=None if session is None else session.cancel_url)
    return session


def _needs_card(session: CheckoutSession) -> bool:
    free_subscription = (
        session.mode == "subscription"
        and session.amount_total == 0
        and session.payment_method_collection == "if_required"
    )
    return not (free_subscription or _no_cost(session))


def _no_cost(session: CheckoutSession) -> bool:
    """A no-cost order (Stripe's "No-cost orders", API 2023-08-16 on): a payment session
    whose total is 0 (free prices, or a discount of all of it), which Checkout completes
    without collecting a payment method."""
    return session.mode == "payment" and session.amount_total == 0


def page(ledger: Ledger, secret: str) -> CheckoutPage:
    with ledger.read() as tx:
        session = repriced(tx, open_by_secret(tx, secret))
        return CheckoutPage(
            session_object(tx, session),
            line_item_objects(tx, session),
            needs_email=session.customer is None and session.customer_email is None,
            needs_card=_needs_card(session),
            trial_end=(session.subscription_data or {}).get("trial_end"),
            submit_label=checkout_page.submit_label(session.page),
            lang=checkout_page.language(session.page),
            discount_label=_discount_label(tx, session),
        )


def _discount_label(tx: Tx, session: CheckoutSession) -> str | None:
    """The promotion code as typed, else the coupon (the session's, or its customer's)."""
    code = tx.promotion_codes.get(session.promotion_code) if session.promotion_code else None
    if code is not None:
        return code.code
    coupon = coupon_of(tx, session)
    return None if coupon is None else coupon.id


def pay(
    ledger: Ledger,
    secret: str,
    card: str | None,
    email: str | None,
    collected: Collected | None = None,
) -> Outcome:
    """The page's Pay (or Subscribe) button; a decline is recorded, then returned."""
    email = check_email(email.strip() if email else None)
    with ledger.write() as tx:
        session = repriced(tx, open_by_secret(tx, secret))
        session = with_collected(session, collected or Collected())
        return_url = f"{page_url(tx, session)}/return"
        return _pay_in(tx, session, card or None, email, return_url)


def confirm_page(
    ledger: Ledger,
    session_id: str,
    payment_method: str | None,
    *,
    expected_amount: int | None,
    email: str | None = None,
    collected: Collected | None = None,
) -> dict[str, Any]:
    """`POST /v1/payment_pages/{session}/confirm`: the page's submission, by API, with
    what the page asks for (the terms accepted, a phone, an address) asked as on it."""
    with ledger.write() as tx:
        session = find(tx, session_id, param="checkout_session")
        rules.require_open(session, tx.now)
        session = with_collected(repriced(tx, session), collected or Collected())
        if expected_amount is not None and expected_amount != session.amount_total:
            raise InvalidRequest(
                f"The expected_amount ({expected_amount}) does not match the amount due "
                f"({session.amount_total}); reload the page.",
                param="expected_amount",
            )
        outcome = _pay_in(tx, session, payment_method, email, None)
        shown = session_object(tx, find(tx, session_id))
    if outcome.declined is not None:
        raise outcome.declined
    return shown


def _pay_in(
    tx: Tx,
    session: CheckoutSession,
    card: str | None,
    email: str | None,
    return_url: str | None,
) -> Outcome:
    email = email or session.customer_email
    if session.customer is None and email is None and session.mode == "subscription":
        raise InvalidRequest("Missing email: enter your email address", param="email")
    session = replace(session, customer_details=details(tx, session, email))
    if _no_cost(session):
        return _free(tx, session)  # a card sent anyway is not collected
    if card is None:
        if _needs_card(session):
            raise InvalidRequest("Missing payment_method: choose a card", param="payment_method")
        return _completed(tx, session, None)
    if session.mode == "payment":
        return _pay_intent(tx, session, card, return_url)
    return _set_up(tx, session, card, return_url)


def _free(tx: Tx, session: CheckoutSession) -> Outcome:
    """A no-cost order completed: no payment method collected, no PaymentIntent made
    (Stripe), its coupon or promotion code checked as before a charge and counted; an
    intent an earlier decline left waiting for a card is canceled, as expiry would."""
    _offer_checked(tx, session)
    pi = tx.payment_intents.get(session.payment_intent) if session.payment_intent else None
    if pi is not None and pi.status in ("requires_payment_method", "requires_action"):
        intents.cancel_in(tx, pi, "abandoned")
    return _completed(tx, session, None)


def _offer_checked(tx: Tx, session: CheckoutSession) -> None:
    """The session's coupon or promotion code, if any, still redeemable by it (refused
    naming its parameter otherwise), checked in the transaction that completes it."""
    if session.coupon is not None:
        offered(
            tx, _offer(session), customer=session.customer, currency=session.currency,
            checkout_session=session.id,
        )  # fmt: skip


def _pay_intent(tx: Tx, session: CheckoutSession, card: str, return_url: str | None) -> Outcome:
    """The session's PaymentIntent confirmed with the card, its coupon or promotion code
    checked first in this transaction: once the card is charged, the discount is the
    buyer's (`_redeemed` counts it even if another session reached a limit meanwhile).
    An intent reused after a decline charges the session's total as it is now."""
    _offer_checked(tx, session)
    # a code typed or a quantity changed on the page may have left less than a card takes
    check_chargeable(session.amount_total, str(session.currency))
    session = _with_customer(tx, session)
    pi = tx.payment_intents.get(session.payment_intent) if session.payment_intent else None
    if pi is None or pi.status not in ("requires_payment_method", "requires_action"):
        pi = intents.new_intent(
            tx,
            amount=session.amount_total,
            currency=str(session.currency),
            customer=session.customer,
            **(session.payment_intent_data or {}),
        )
        session = replace(session, payment_intent=pi.id)
    elif pi.amount != session.amount_total:
        pi = replace(pi, amount=session.amount_total)  # the order changed since a decline
        tx.payment_intents.save(pi)
    pi, declined = confirm_plain(tx, pi, card, off_session=False, return_url=return_url)
    return _answered(tx, session, pi, declined)


def _set_up(tx: Tx, session: CheckoutSession, card: str, return_url: str | None) -> Outcome:
    si = setup_intents.create_in(
        tx,
        setup_intents.SetupInput(
            customer=session.customer, usage="off_session", return_url=return_url
        ),
    )
    si, declined = setup_intents.confirm_in(tx, si, card)
    return _answered(tx, replace(session, setup_intent=si.id), si, declined)


def _answered(
    tx: Tx,
    session: CheckoutSession,
    intent: PaymentIntent | SetupIntent,
    declined: CardDeclined | None,
) -> Outcome:
    """What the card's first try came to: the bank's challenge, a decline, or done."""
    tx.checkout_sessions.save(session)
    if intent.status == "requires_action":
        return Outcome(action_url(tx, intent.action_secret, None), completed=False)
    if declined is not None:
        return Outcome(None, completed=False, declined=declined)
    return _completed(tx, session, tx.payment_methods.get(str(intent.payment_method)))


def reordered(tx: Tx, session: CheckoutSession) -> None:
    """The buyer changed the order on the page (a quantity, a promotion code): the
    session repriced, and a challenge the bank put to the card for the old total made
    void (its PaymentIntent needs a card again), so what is authenticated and charged
    is always the total the page shows."""
    tx.checkout_sessions.save(repriced(tx, session))
    pi = tx.payment_intents.get(session.payment_intent) if session.payment_intent else None
    if pi is not None and pi.status == "requires_action":
        void = replace(pi, status="requires_payment_method", payment_method=None,
                       action_secret=None)  # fmt: skip
        tx.payment_intents.save(void)


def paid(tx: Tx, session: CheckoutSession) -> None:
    """A payment session whose PaymentIntent has just succeeded (the bank's challenge
    passed): complete, in the transaction that charged the card, as the page paid it
    (its amounts are those charged: a changed order voids the challenge)."""
    pi = tx.payment_intents.get(str(session.payment_intent))
    assert pi is not None and pi.status == "succeeded", session.payment_intent
    _completed(tx, session, tx.payment_methods.get(str(pi.payment_method)), authenticated=True)


def returned(ledger: Ledger, secret: str) -> Outcome:
    """Back from the bank's challenge: complete the session if the card went through
    (a payment session completed already, when its challenge was passed: on to its
    success URL)."""
    with ledger.write() as tx:
        found = tx.checkout_sessions.by_secret(secret)
        if found is not None and found.status == "complete" and found.mode == "payment":
            return _succeeded(found)
        session = repriced(tx, open_by_secret(tx, secret))
        pi = tx.payment_intents.get(session.payment_intent) if session.payment_intent else None
        si = tx.setup_intents.get(session.setup_intent) if session.setup_intent else None
        done = pi if session.mode == "payment" else si
        if done is None or done.status != "succeeded":
            failed = InvalidRequest(
                "Authentication failed: nothing was paid. Try again or use another card.",
                param="payment_method",
            )
            return Outcome(None, completed=False, declined=_as_declined(failed))
        method = tx.payment_methods.get(str(done.payment_method))
        return _completed(tx, session, method, authenticated=True)


def _as_declined(error: InvalidRequest) -> CardDeclined:
    return CardDeclined(
        error.message, code="payment_intent_authentication_failure", param=error.param
    )


def _completed(
    tx: Tx, session: CheckoutSession, method: PaymentMethod | None, *, authenticated: bool = False
) -> Outcome:
    """The customer, the subscription (its first invoice charged with the saved card)
    or a payment's invoice (`invoice_creation`), the session complete and its event; a
    first payment that fails undoes all of it. `authenticated`: the customer passed the
    bank's challenge for this checkout."""
    if session.customer is None and _makes_customer(session):
        session = _with_customer(tx, session)
    else:
        update_customer(tx, session)
    if method is not None and session.customer is not None and method.customer is None:
        method = _attached(tx, method, session.customer)
    if session.mode == "subscription":
        session = _subscribed(tx, session, method, authenticated=authenticated)
    else:
        discount = None if session.coupon is None else _redeemed(tx, session)
        if session.mode == "payment" and checkout_page.creates_invoice(session.page):
            pi = None if _no_cost(session) else tx.payment_intents.get(str(session.payment_intent))
            assert pi is not None or _no_cost(session), session.payment_intent
            session = replace(session, invoice=invoiced(tx, session, pi, discount).id)
    paid = session.mode in ("payment", "subscription") and session.amount_total > 0
    done = replace(
        session,
        status="complete",
        completed_at=tx.now,
        payment_status="paid" if paid else "no_payment_required",
        completed_under=rules.RULES,
    )
    tx.checkout_sessions.save(done)
    record(tx, "checkout.session.completed", session_object(tx, done))
    return _succeeded(done)


def _with_customer(tx: Tx, session: CheckoutSession) -> CheckoutSession:
    """The session with the customer it makes, if it makes one and has none yet. A
    payment session makes it when the buyer confirms, before the card is charged, as
    Stripe's Checkout does: its PaymentIntent and every charge (and their events) name
    the customer from the start, and a try after a decline reuses it rather than making
    another; other sessions make it as they complete."""
    if session.customer is not None or not _makes_customer(session):
        return session
    email = (session.customer_details or {}).get("email")
    made = create_customer(tx, new_customer(session, email), None)
    return replace(session, customer=str(made["id"]))


def _makes_customer(session: CheckoutSession) -> bool:
    """A session without a customer makes one when it needs one (Stripe: "only
    subscription mode Sessions and payment mode Sessions with post-purchase invoices
    enabled require a Customer"), when `customer_creation=always` asks, and for a
    no-cost order (Stripe: "If the customer property isn't set, the Checkout Session
    automatically creates a new Customer object")."""
    return (
        session.mode == "subscription"
        or session.customer_creation == "always"
        or (session.mode == "payment" and checkout_page.creates_invoice(session.page))
        or _no_cost(session)
    )


def _succeeded(done: CheckoutSession) -> Outcome:
    """On to the success URL of a complete session."""
    target = None if done.success_url is None else rules.redirect_url(done.success_url, done.id)
    return Outcome(target, completed=True)


def _offer(session: CheckoutSession) -> Offer:
    return Offer(
        coupon=None if session.promotion_code else session.coupon,
        promotion_code=session.promotion_code,
        amount=session.amount_subtotal,
    )


def _redeemed(tx: Tx, session: CheckoutSession) -> Discount:
    """A payment's coupon or promotion code, redeemed once its payment succeeded: a
    discount of the session (`checkout_session`; a subscription session's goes to its
    subscription instead), counted without refusal, its limits having been checked
    before the card was charged (`_pay_intent`); the discount, which a post-payment
    invoice's lines are net of."""
    return redeem(
        tx,
        _offer(session),
        customer=session.customer,
        currency=session.currency,
        checkout_session=session.id,
        honoured=True,
    )


def _attached(tx: Tx, method: PaymentMethod, customer: str) -> PaymentMethod:
    # startup: the payment-method objects load only when a card is attached here
    from billcli.core import payment_objects

    attached = replace(method, customer=customer)
    tx.payment_methods.save(attached)
    record(tx, "payment_method.attached", payment_objects.payment_method(attached))
    return attached


def _subscribed(
    tx: Tx, session: CheckoutSession, method: PaymentMethod | None, *, authenticated: bool
) -> CheckoutSession:
    """The subscription and its first invoice, charged on-session: the challenge the
    customer passed while saving the card stands for this first payment too."""
    sub = create_subscription(tx, _subscription_input(tx, session, method))
    invoice = tx.invoices.get(str(sub["latest_invoice"]))
    assert invoice is not None, sub["latest_invoice"]
    if invoice.status == "open" and invoice.amount_remaining > 0:
        if method is None:
            raise InvalidRequest("Missing payment_method: choose a card", param="payment_method")
        _, declined = attempt_in(
            tx, invoice, method, automatic=False, off_session=False, authenticated=authenticated
        )
        if declined is not None:
            raise unrecorded(declined)
    return replace(session, subscription=str(sub["id"]), invoice=invoice.id)


def _subscription_input(
    tx: Tx, session: CheckoutSession, method: PaymentMethod | None
) -> SubscriptionInput:
    """The subscription the session makes: its recurring lines are its items; its
    one-time lines are billed once, on the first invoice (`add_invoice_items`, each with
    its own tax rates; without them the subscription's defaults tax it). A line the
    buyer took down to 0 on the page, recurring or not, is not bought."""
    data = session.subscription_data or {}
    bought = [i for i in session.line_items if i["quantity"] > 0]
    recurring = [i for i in bought if _recurs(tx, i["price"])]
    once = [i for i in bought if i not in recurring]
    anchor, backdate = anchored(tx, session, recurring[0]["price"])
    added = tuple(
        ItemInput(price=i["price"], quantity=i["quantity"], set_up=True,
                  tax_rates=tuple(i.get("tax_rates") or ()))
        for i in once
    )  # fmt: skip
    return SubscriptionInput(
        customer=session.customer,
        currency=session.currency,
        prices=tuple(f"{i['price']}:{i['quantity']}" for i in recurring),
        set_up_with=frozenset(i["price"] for i in recurring),
        trial_end=data.get("trial_end"),
        payment_behavior="default_incomplete",
        default_payment_method=None if method is None else method.id,
        metadata=tuple(f"{k}={v}" for k, v in (data.get("metadata") or {}).items()),
        coupon=None if session.promotion_code else session.coupon,
        promotion_code=session.promotion_code,
        purchase=purchase(tx, session) if session.promotion_code else None,
        default_tax_rates=tuple(data.get("default_tax_rates") or ()),
        item_tax_rates=tuple(
            f"{item['price']}={rate}" for item in recurring for rate in item.get("tax_rates") or ()
        ),
        description=data.get("description"),
        billing_cycle_anchor=anchor,
        backdate_start_date=backdate,
        proration_behavior=data.get("proration_behavior"),
        settings=SubscriptionSettings(add_invoice_items=added),
    )


def _recurs(tx: Tx, price_id: str) -> bool:
    price = tx.prices.get(price_id)
    return price is not None and price.type == "recurring"


def cancel_url(ledger: Ledger, secret: str) -> str | None:
    """Where the page's back link goes: the session's `cancel_url`."""
    with ledger.read() as tx:
        return open_by_secret(tx, secret).cancel_url
