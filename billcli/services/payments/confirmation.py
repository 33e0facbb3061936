"""Confirming a PaymentIntent, and the simulated 3-D Secure page: the two actions that
may be an invoice's (its attempt is then the invoice's to record) or not.

The page is a capability, like the hosted invoice page: its secret opens one waiting
intent's challenge, once. An invoice's challenge lives only under that invoice's hosted
page (its secret, never the invoice's id); other intents' under `/authenticate/`. Used,
canceled or expired (the intent no longer waits), it changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from billcli.core.intents import require_confirmable
from billcli.core.records.payments import PaymentIntent, SetupIntent
from billcli.errors import CardDeclined, LinkExpired
from billcli.services.invoicing.objects import find_invoice
from billcli.services.invoicing.payment import WAITING, authenticated_in, pay_in
from billcli.services.payments import intents, setup_intents
from billcli.services.payments.objects import find_intent, intent_object, not_a_sessions, session_of
from billcli.services.payments.payment_intents import (
    capture_method_settable,
    confirm_plain,
    details,
)
from billcli.store.ledger import Ledger, Tx

_EXPIRED = "This authentication page has expired or was already used."


def confirm(
    ledger: Ledger,
    intent_id: str,
    *,
    payment_method: str | None = None,
    off_session: bool = False,
    return_url: str | None = None,
    refuse_action: bool = False,
    given: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Confirm an intent; an invoice's intent pays its invoice (the attempt recorded on
    it as `invoices pay` records one). A decline is recorded, then raised. `given`:
    what the intent carries beside its money, set first (`payment_intents.details`);
    `refuse_action`: `error_on_requires_action`."""
    fields = details(given or {})
    with ledger.write() as tx:
        pi = find_intent(tx, intent_id)
        not_a_sessions(tx, pi, "confirm")
        require_confirmable("payment_intent", pi.id, pi.status)
        capture_method_settable(pi, fields)
        if fields:
            pi = replace(pi, **fields)
            tx.payment_intents.save(pi)
        failed: CardDeclined | None
        if pi.invoice is not None:
            chosen = payment_method or pi.payment_method
            _, failed = pay_in(tx, find_invoice(tx, pi.invoice), chosen, off_session=off_session)
            pi = tx.payment_intents.get(pi.id) or pi
            if failed is not None and failed.code == WAITING:
                failed = None  # the intent answers with its next_action, as Stripe does
        else:
            pi, failed = confirm_plain(
                tx,
                pi,
                payment_method,
                off_session=off_session,
                return_url=return_url,
                refuse_action=refuse_action,
            )
        shown = intent_object(tx, pi)
    if failed is not None:
        raise failed
    return shown


@dataclass(frozen=True)
class Challenge:
    """What the authentication page shows: who asks for how much."""

    kind: str  # payment | setup
    amount: int | None
    currency: str | None
    description: str
    invoice_number: str | None


def _waiting(tx: Tx, secret: str, page_secret: str | None) -> PaymentIntent | SetupIntent:
    """The intent a page's secret opens, only while it waits, and an invoice's only
    under that invoice's own hosted page."""
    found: PaymentIntent | SetupIntent | None = tx.payment_intents.by_action_secret(secret)
    if found is None:
        found = tx.setup_intents.by_action_secret(secret)
    if found is None or found.status != "requires_action":
        raise LinkExpired(_EXPIRED)
    invoice = getattr(found, "invoice", None)
    if page_secret is None and invoice is None:
        return found
    page = tx.invoices.by_page_secret(page_secret) if page_secret else None
    if page is None or page.id != invoice:
        raise LinkExpired(_EXPIRED)
    return found


def challenge(ledger: Ledger, secret: str, page_secret: str | None = None) -> Challenge:
    with ledger.read() as tx:
        found = _waiting(tx, secret, page_secret)
        if isinstance(found, SetupIntent):
            return Challenge("setup", None, None, "Save your card for later payments", None)
        invoice = tx.invoices.get(found.invoice) if found.invoice else None
        return Challenge(
            "payment",
            found.amount,
            found.currency,
            found.description or "Payment",
            None if invoice is None else invoice.number,
        )


def authenticate(
    ledger: Ledger, secret: str, *, succeeded: bool, page_secret: str | None = None
) -> tuple[str, str | None]:
    """Complete or fail the challenge: (`succeeded`, `failed`, `expired` (a Checkout
    Session's that expired meanwhile) or the decline's message, where the customer goes
    next: the invoice page, the intent's return_url, or nowhere)."""
    with ledger.write() as tx:
        found = _waiting(tx, secret, page_secret)
        if _checkout_overdue(tx, found):
            return "expired", None
        if isinstance(found, SetupIntent):
            si = setup_intents.authenticate_in(tx, found, succeeded=succeeded)
            params = {"setup_intent": si.id, "setup_intent_client_secret": si.client_secret}
            return _outcome(si.status, si.return_url, params)
        method = str(found.payment_method)
        pi, charge = intents.authenticate_in(tx, found, succeeded=succeeded)
        if pi.invoice is not None:
            invoice, declined = authenticated_in(
                tx, find_invoice(tx, pi.invoice), pi, charge, method
            )
            status = "succeeded" if declined is None else _failure(pi, declined)
            return status, f"/i/{invoice.page_secret}"
        if pi.status == "succeeded":
            _checkout_paid(tx, pi)
        params = {"payment_intent": pi.id, "payment_intent_client_secret": pi.client_secret}
        return _outcome(pi.status, pi.return_url, params)


def _checkout_overdue(tx: Tx, intent: PaymentIntent | SetupIntent) -> bool:
    """Whether the intent is a Checkout Session's that is past its `expires_at`, which no
    tick has expired yet: it expires now (canceling the intent), so a challenge passed
    too late pays nothing and saves no card, as the tick would have had it."""
    session = session_of(tx, intent)
    if session is None or session.status != "open" or tx.now < session.expires_at:
        return False
    # startup: Checkout's sessions load only for the payment of a session
    from billcli.services.checkout.sessions import expired_in

    expired_in(tx, session)
    return True


def _checkout_paid(tx: Tx, pi: PaymentIntent) -> None:
    """Stripe completes a Checkout Session when its payment succeeds, whether or not the
    buyer comes back to its page afterwards: so does the challenge passed here."""
    session = tx.checkout_sessions.holding(pi.id)
    if session is None or session.status != "open":
        return
    # startup: Checkout's completion loads only for the payment of a session
    from billcli.services.checkout.completion import paid

    paid(tx, session)


def _failure(pi: PaymentIntent, declined: CardDeclined) -> str:
    """What the page tells a customer whose payment did not go through."""
    error = pi.last_payment_error or {}
    if error.get("code") == "payment_intent_authentication_failure":
        return "failed"
    return declined.message


def _outcome(status: str, return_url: str | None, params: dict[str, str]) -> tuple[str, str | None]:
    # An authorization waiting for its capture, or an intent waiting for the server to
    # confirm it after the customer authenticated, went through as far as the customer
    # is concerned (Stripe's `redirect_status` says succeeded).
    done = ("succeeded", "requires_capture", "requires_confirmation")
    result = "succeeded" if status in done else "failed"
    if return_url is None:
        return result, None
    joined = "&" if "?" in return_url else "?"
    return result, f"{return_url}{joined}{urlencode(params | {'redirect_status': result})}"
