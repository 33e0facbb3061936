"""Portal sessions: made by the operator, opened once by the customer, then a cookie.

The URL's secret and the cookie are handed out once and kept only as hashes; every
check of their age reads the ledger clock, so `invoices tick` can expire them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import objects
from billcli.core.customers import check_email
from billcli.core.ids import new_id
from billcli.core.invoicing import check_choice
from billcli.core.pagination import PageRequest
from billcli.core.payments import attachable_card
from billcli.core.portal import (
    COOKIE_LIFETIME,
    LOCALES,
    check_url,
    digest,
    editable_fields,
    new_secret,
    url_expired,
)
from billcli.core.records import Customer
from billcli.core.records.invoices import Email
from billcli.core.records.payments import PaymentMethod
from billcli.core.records.portal import PortalConfiguration, PortalSession
from billcli.errors import InvalidRequest, LinkExpired
from billcli.services.customers.balance import record_customer_update
from billcli.services.customers.customers import CustomerInput, update_in
from billcli.services.discounts.applicable import customer_object
from billcli.services.invoicing.objects import invoice_object
from billcli.services.invoicing.payment import default_payment_method
from billcli.services.ledger import settings
from billcli.services.ledger.events import record
from billcli.services.ledger.lookup import live_customer
from billcli.services.payments import setup_intents
from billcli.services.payments.methods import set_default
from billcli.services.payments.objects import action_url
from billcli.services.portal.access import Opened, resume
from billcli.services.portal.configurations import find
from billcli.services.portal.flows import flow as shape
from billcli.services.portal.subscriptions import offers
from billcli.store.ledger import Ledger, Tx

HISTORY_LENGTH = 24
_EXPIRED = "This link has expired or was already used. Ask for a new one."


def create(
    ledger: Ledger,
    customer_id: str,
    *,
    configuration: str | None = None,
    return_url: str | None = None,
    locale: str | None = None,
    flow: Any | None = None,
) -> dict[str, Any]:
    """A session for one customer; the object printed is the only place its URL appears.

    `flow` (a `portal_flows.FlowInput`) deep-links it into one flow."""
    check_url(return_url, "return_url")
    if locale is not None:
        check_choice(locale, LOCALES, "locale")
    if flow is not None:
        flow.checked()
    with ledger.write() as tx:
        customer = live_customer(tx, customer_id)
        chosen = _usable_configuration(tx, configuration)
        shaped = None
        if flow is not None:
            shaped = shape(tx, customer, chosen, flow)
        return create_in(tx, customer, chosen, return_url=return_url, locale=locale, flow=shaped)


def _usable_configuration(tx: Tx, configuration_id: str | None) -> PortalConfiguration:
    if configuration_id is not None:
        chosen = find(tx, configuration_id)
    else:
        default = tx.portal_configurations.default()
        if default is None:
            raise InvalidRequest(
                "no portal configuration yet: create one with "
                "`billcli portal configurations create`",
                param="configuration",
            )
        chosen = default
    if not chosen.active:
        raise InvalidRequest(
            f"Invalid configuration: {chosen.id} is inactive; activate it with "
            f"`billcli portal configurations update {chosen.id} --active`",
            param="configuration",
        )
    return chosen


def create_in(
    tx: Tx,
    customer: Customer,
    configuration: PortalConfiguration,
    *,
    return_url: str | None = None,
    locale: str | None = None,
    flow: dict[str, Any] | None = None,
) -> dict[str, Any]:
    secret = new_secret()
    session = PortalSession(
        id=new_id("billing_portal.session"),
        created=tx.now,
        customer=customer.id,
        configuration=configuration.id,
        secret_hash=digest(secret),
        locale=locale,
        return_url=return_url or configuration.default_return_url,
        flow=flow,
    )
    tx.portal_sessions.add(session)
    public_url = settings.value(tx, "public_url")
    # The event stays in the ledger, so it names the session without its secret.
    kept = objects.portal_session(session, url=f"{public_url}/p/session/[redacted]")
    record(tx, "billing_portal.session.created", kept)
    return objects.portal_session(session, url=f"{public_url}/p/session/{secret}")


def visit(ledger: Ledger, secret: str) -> str:
    """Trade a session URL's secret, once and in time, for a cookie; the cookie."""
    with ledger.write() as tx:
        session = tx.portal_sessions.by_secret_hash(digest(secret))
        if session is None:
            raise LinkExpired(_EXPIRED)
        customer = tx.customers.get(session.customer)
        used = session.visited_at is not None
        if used or url_expired(session.created, tx.now) or customer is None or customer.deleted:
            raise LinkExpired(_EXPIRED, return_url=session.return_url)
        cookie = new_secret()
        tx.portal_sessions.save(replace(session, visited_at=tx.now, cookie_hash=digest(cookie)))
        return cookie


@dataclass(frozen=True)
class PortalPage:
    """Everything one customer's portal page shows, and nothing of anyone else."""

    session_id: str
    return_url: str | None
    locale: str | None
    configuration: dict[str, Any]
    customer: dict[str, Any]
    payment_method: PaymentMethod | None
    editable: list[str]
    invoices: list[dict[str, Any]]
    more_invoices: bool
    expires_at: int
    subscriptions: list[dict[str, Any]]
    flow: dict[str, Any] | None


def flow_of(ledger: Ledger, cookie: str | None) -> dict[str, Any] | None:
    """The flow the cookie's session was made for, if any."""
    with ledger.read() as tx:
        return resume(tx, cookie).flow


def portal(ledger: Ledger, cookie: str | None) -> PortalPage:
    """The portal of the customer whose session the cookie belongs to."""
    with ledger.read() as tx:
        return _portal(tx, resume(tx, cookie))


def _portal(tx: Tx, opened: Opened) -> PortalPage:
    features = opened.configuration.features
    invoices: list[dict[str, Any]] = []
    more = False
    if features["invoice_history"]["enabled"]:
        found, more = tx.invoices.history(opened.customer.id, HISTORY_LENGTH)
        invoices = [invoice_object(tx, invoice) for invoice in found]
    public_url = settings.value(tx, "public_url")
    return PortalPage(
        session_id=opened.session_id,
        return_url=opened.return_url,
        locale=opened.locale,
        configuration=objects.portal_configuration(opened.configuration, public_url=public_url),
        customer=customer_object(tx, opened.customer),
        payment_method=default_payment_method(tx, opened.customer.id),
        editable=editable_fields(features),
        invoices=invoices,
        more_invoices=more,
        expires_at=opened.visited_at + COOKIE_LIFETIME,
        subscriptions=offers(tx, opened),
        flow=opened.flow,
    )


def update_customer(ledger: Ledger, cookie: str | None, fields: dict[str, str]) -> None:
    """Change the customer's details, only the fields the configuration allows."""
    with ledger.write() as tx:
        opened = resume(tx, cookie)
        allowed = editable_fields(opened.configuration.features)
        for name in fields:
            if name not in allowed:
                raise InvalidRequest(f"Invalid {name}: it cannot be changed here", param=name)
        given = {name: value.strip() for name, value in fields.items()}
        if given.get("email") == "":
            raise InvalidRequest("Invalid email: an email address is required", param="email")
        change = CustomerInput(
            name=given.get("name"), email=given.get("email"), phone=given.get("phone")
        ).checked()
        update_in(tx, opened.customer.id, change)


def change_payment_method(ledger: Ledger, cookie: str | None, card: str) -> str | None:
    """Save a test card as the customer's default through a SetupIntent for off-session
    use, as Stripe's portal does. A decline card is refused with nothing written; a card
    that asks for authentication gives the challenge's URL, and `finish_setup` makes it
    the default when the customer comes back from it."""
    attachable_card(card)
    with ledger.write() as tx:
        opened = resume(tx, cookie)
        if not opened.configuration.features["payment_method_update"]["enabled"]:
            raise InvalidRequest(
                "Invalid payment_method: it cannot be changed here", param="payment_method"
            )
        back = f"{settings.value(tx, 'public_url')}/p/portal/setup-complete"
        si = setup_intents.create_in(
            tx, setup_intents.SetupInput(opened.customer.id, usage="off_session", return_url=back)
        )
        si, _ = setup_intents.confirm_in(tx, si, card)
        if si.status == "requires_action":
            return action_url(tx, si.action_secret, None)
        _made_default(tx, opened.customer, str(si.payment_method))
        return None


def finish_setup(ledger: Ledger, cookie: str | None, intent_id: str) -> bool:
    """After the challenge: the card the customer's SetupIntent saved becomes their
    default; False when it was not saved (the challenge failed)."""
    with ledger.write() as tx:
        opened = resume(tx, cookie)
        si = tx.setup_intents.get(intent_id) if intent_id.startswith("seti_") else None
        if si is None or si.customer != opened.customer.id:
            raise InvalidRequest("Invalid setup_intent: not this customer's", param="setup_intent")
        if si.status != "succeeded":
            return False
        _made_default(tx, opened.customer, str(si.payment_method))
        return True


def _made_default(tx: Tx, customer: Customer, pm_id: str) -> None:
    if customer.default_payment_method == pm_id:
        return
    changed = set_default(tx, customer, pm_id, param="payment_method")
    record_customer_update(tx, customer, changed)


def login_configuration(ledger: Ledger, login_secret: str) -> dict[str, Any]:
    """The configuration whose login page this is, if it is still enabled and active."""
    with ledger.read() as tx:
        configuration = _login(tx, login_secret)
        return objects.portal_configuration(
            configuration, public_url=settings.value(tx, "public_url")
        )


def _login(tx: Tx, login_secret: str) -> PortalConfiguration:
    configuration = tx.portal_configurations.by_login_secret(login_secret)
    if configuration is None or not configuration.active:
        raise LinkExpired("This login page is not available.")
    return configuration


def email_login_link(ledger: Ledger, login_secret: str, email: str) -> None:
    """Email a session link to the customer with this address, if there is one.

    The answer is the same either way, so the page does not tell who is a customer.
    """
    address = email.strip()
    if not address:
        raise InvalidRequest("Invalid email: an email address is required", param="email")
    check_email(address)
    with ledger.write() as tx:
        configuration = _login(tx, login_secret)
        found, _ = tx.customers.page(PageRequest(1), email=address)
        if not found:
            return
        session = create_in(tx, found[0], configuration)
        tx.outbox.add(
            Email(
                id=new_id("email"),
                created=tx.now,
                to=address,
                subject="Your billing portal link",
                body=(
                    "Open this link within 5 minutes to manage your billing details:\n"
                    f"{session['url']}\n"
                ),
                url=session["url"],
            )
        )
