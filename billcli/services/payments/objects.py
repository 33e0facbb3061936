"""What payment services share: finding their objects, and showing them with what only
the ledger knows (the authentication page's address, the failed payment method)."""

from __future__ import annotations

from typing import Any

from billcli.core import payment_objects
from billcli.core.records.checkout import CheckoutSession
from billcli.core.records.payments import Charge, PaymentIntent, Refund, SetupIntent
from billcli.errors import InvalidRequest
from billcli.services.ledger import settings
from billcli.services.ledger.lookup import found
from billcli.store.ledger import Tx

EMBEDDED_REFUNDS = 10


def find_intent(tx: Tx, intent_id: str, *, param: str = "intent") -> PaymentIntent:
    return found(tx, "payment_intent", intent_id, tx.payment_intents.get, param=param)


def find_charge(tx: Tx, charge_id: str, *, param: str = "charge") -> Charge:
    return found(tx, "charge", charge_id, tx.charges.get, param=param)


def find_refund(tx: Tx, refund_id: str, *, param: str = "refund") -> Refund:
    return found(tx, "refund", refund_id, tx.refunds.get, param=param)


def find_setup_intent(tx: Tx, intent_id: str, *, param: str = "intent") -> SetupIntent:
    return found(tx, "setup_intent", intent_id, tx.setup_intents.get, param=param)


def action_url(tx: Tx, secret: str | None, invoice: str | None) -> str | None:
    """The simulated 3-D Secure page of a waiting intent: under its invoice's hosted page
    (that page's secret, never the invoice's id), or on its own for other intents."""
    if secret is None:
        return None
    public_url = settings.value(tx, "public_url")
    if invoice is not None:
        page = tx.invoices.get(invoice)
        if page is not None and page.page_secret is not None:
            return f"{public_url}/i/{page.page_secret}/authenticate/{secret}"
    return f"{public_url}/authenticate/{secret}"


def _shown_error(tx: Tx, error: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored last error with its payment method shown whole, as Stripe shows it."""
    if not error or "payment_method" not in error:
        return error
    method = tx.payment_methods.get(error["payment_method"])
    shown = dict(error)
    if method is None:
        del shown["payment_method"]
    else:
        shown["payment_method"] = payment_objects.payment_method(method)
    return shown


def intent_object(tx: Tx, pi: PaymentIntent) -> dict[str, Any]:
    return payment_objects.payment_intent(
        pi,
        action_url=action_url(tx, pi.action_secret, pi.invoice),
        last_error=_shown_error(tx, pi.last_payment_error),
    )


def setup_intent_object(tx: Tx, si: SetupIntent) -> dict[str, Any]:
    return payment_objects.setup_intent(
        si,
        action_url=action_url(tx, si.action_secret, None),
        last_error=_shown_error(tx, si.last_setup_error),
    )


def charge_object(tx: Tx, ch: Charge) -> dict[str, Any]:
    """The charge with its latest refunds (none to read while nothing was refunded)."""
    refunds = tx.refunds.of_charge(ch.id) if ch.amount_refunded else []
    latest = [payment_objects.refund(r) for r in reversed(refunds[-EMBEDDED_REFUNDS:])]
    return payment_objects.charge(ch, latest, more_refunds=len(refunds) > EMBEDDED_REFUNDS)


def session_of(tx: Tx, intent: PaymentIntent | SetupIntent) -> CheckoutSession | None:
    """The Checkout Session whose payment (or saved card) is this intent, if any."""
    if isinstance(intent, SetupIntent):
        return tx.checkout_sessions.holding_setup(intent.id)
    return tx.checkout_sessions.holding(intent.id)


def not_a_sessions(tx: Tx, intent: PaymentIntent | SetupIntent, doing: str) -> None:
    """Stripe lets no server confirm, change or cancel a Checkout Session's intent: the
    buyer pays (or saves the card) on the session's page, which completes the session,
    and the session's expiry cancels it. Done here, the session would be left open with
    its intent paid, repriced or canceled under it."""
    session = session_of(tx, intent)
    if session is not None:
        param = "setup_intent" if isinstance(intent, SetupIntent) else "payment_intent"
        instead = (
            "expire the session instead"
            if doing == "cancel"
            else ("its buyer pays on the session's page")
        )
        raise InvalidRequest(
            f"Invalid {param}: you cannot {doing} {intent.id} directly; it belongs to "
            f"Checkout Session {session.id} ({instead})",
            param=param,
        )
