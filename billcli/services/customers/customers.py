"""Customers: create, update, delete, show and list, each in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

from billcli.core import contact, invoice_settings, limits
from billcli.core.customers import (
    check_email,
    check_invoice_prefix,
    generated_invoice_prefix,
)
from billcli.core.discounts import check_one_offer
from billcli.core.ids import check_id, new_id
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import normalize_currency, parse_amount
from billcli.core.pagination import Page, PageRequest
from billcli.core.payments import attachable_card
from billcli.core.records import Customer
from billcli.errors import InvalidRequest
from billcli.services.customers import tax_ids
from billcli.services.customers.balance import balance_currency, post, record_customer_update
from billcli.services.discounts.applicable import customer_object
from billcli.services.ledger import settings
from billcli.services.ledger.events import record
from billcli.services.ledger.idempotency import once
from billcli.services.ledger.lookup import found, live_clock, live_customer
from billcli.services.payments import sources
from billcli.services.payments.methods import attach_card, set_default
from billcli.store.ledger import Ledger, Tx, clock_name

_TEXT_FIELDS = ("name", "description", "phone", "business_name", "individual_name")
DEFAULT_PARAM = "invoice_settings[default_payment_method]"


@dataclass(frozen=True)
class CustomerInput:
    """Customer options as typed; None means "not given", "" means "clear"."""

    name: str | None = None
    email: str | None = None
    description: str | None = None
    phone: str | None = None
    currency: str | None = None
    balance: str | None = None
    invoice_prefix: str | None = None
    payment_method: str | None = None
    default_payment_method: str | None = None
    metadata: tuple[str, ...] = ()
    coupon: str | None = None
    promotion_code: str | None = None
    remove_discount: bool = False
    source: str | None = None  # a card token: the customer's new default card source
    default_source: str | None = None  # one of their card sources (card_…)
    # Postal and invoicing details: an object (a list for the custom fields and
    # locales) replaces what the customer has, "" clears it.
    address: Any = None
    shipping: Any = None
    preferred_locales: Sequence[str] | None = None
    tax_exempt: str | None = None
    business_name: str | None = None
    individual_name: str | None = None
    next_invoice_sequence: int | None = None
    invoice_custom_fields: Any = None
    invoice_footer: str | None = None
    invoice_rendering: Any = None
    test_clock: str | None = None  # only when it is created, as in Stripe
    tax_id_data: tuple[tuple[str, str], ...] = ()  # (type, value): only at creation too

    def params(self) -> dict[str, Any]:
        """The request's parameters, as its idempotency fingerprint sees them."""
        return dict(vars(self))

    def checked(self) -> CustomerInput:
        """Every check that needs no ledger, done before the transaction opens."""
        for field in _TEXT_FIELDS:
            limits.text("customer", field, getattr(self, field))
        check_email(self.email)
        if self.currency:
            normalize_currency(self.currency)
        if self.invoice_prefix:
            check_invoice_prefix(self.invoice_prefix)
        if self.payment_method:
            attachable_card(self.payment_method)
        check_one_offer(self.coupon, self.promotion_code, self.remove_discount)
        parse_pairs(self.metadata)
        _details(self)
        return self


def _clean(value: str | None) -> str | None:
    return value or None


def _details(data: CustomerInput) -> dict[str, Any]:
    """The postal and invoicing details `data` gives, checked, as the record's fields."""
    given: dict[str, Any] = {}
    if data.address is not None:
        given["address"] = contact.address(data.address, "customer")
    if data.shipping is not None:
        given["shipping"] = contact.shipping(data.shipping, "customer")
    if data.preferred_locales is not None:
        given["preferred_locales"] = _locales(data.preferred_locales)
    if data.tax_exempt is not None:
        exempt = data.tax_exempt or "none"
        given["tax_exempt"] = limits.choice(exempt, limits.ENUMS["tax_exempt"], "tax_exempt")
    for name in ("business_name", "individual_name"):
        if getattr(data, name) is not None:
            given[name] = _clean(getattr(data, name))
    if data.invoice_custom_fields is not None:
        given["invoice_custom_fields"] = invoice_settings.custom_fields(
            data.invoice_custom_fields, "customer", "invoice_settings[custom_fields]"
        )
    if data.invoice_footer is not None:
        given["invoice_footer"] = invoice_settings.footer(
            data.invoice_footer, "customer", "invoice_settings[footer]"
        )
    if data.invoice_rendering is not None:
        given["invoice_rendering"] = invoice_settings.rendering(
            data.invoice_rendering, "invoice_settings[rendering_options]"
        )
    if data.next_invoice_sequence is not None and data.next_invoice_sequence < 1:
        raise InvalidRequest(
            "Invalid next_invoice_sequence: must be at least 1", param="next_invoice_sequence"
        )
    return given


def _locales(given: Sequence[str]) -> list[str]:
    """Preferred locales in order (`fr-FR`, `en`); a lone "" clears them."""
    locales = [locale for locale in given if locale != ""]
    for locale in locales:
        limits.text("customer", "preferred_locales", locale)
        language = locale.split("-")[0]
        if not (2 <= len(language) <= 3 and language.isascii() and language.isalpha()):
            raise InvalidRequest(
                f"Invalid preferred_locales: '{locale}' is not a locale (a language, then "
                "optionally a region: en, fr-FR)",
                param="preferred_locales",
            )
    return locales


def _sequence(tx: Tx, customer: Customer, wanted: int | None) -> Customer:
    """The customer with its next invoice number moved on: never back onto a number
    its invoices already carry, so no two of them ever share one."""
    if wanted is None or wanted == customer.next_invoice_sequence:
        return customer
    if wanted < customer.next_invoice_sequence and tx.invoices.numbered(customer.id):
        raise InvalidRequest(
            f"Invalid next_invoice_sequence: {customer.id}'s invoices are numbered up to "
            f"{customer.next_invoice_sequence - 1} already; the next must be "
            f"{customer.next_invoice_sequence} or more",
            param="next_invoice_sequence",
        )
    return replace(customer, next_invoice_sequence=wanted)


def _unique_prefix(tx: Tx, prefix: str | None, owner: str | None = None) -> str:
    if prefix is None:
        prefix = generated_invoice_prefix()
        while tx.customers.prefix_owner(prefix):
            prefix = generated_invoice_prefix()
        return prefix
    holder = tx.customers.prefix_owner(prefix)
    if holder and holder != owner:
        raise InvalidRequest(
            f"Invalid invoice_prefix: '{prefix}' is already used by {holder}",
            param="invoice_prefix",
        )
    return prefix


def _attach(tx: Tx, customer: Customer, name: str) -> Customer:
    """The customer with a new test card attached as their default (Stripe's example
    names the same test card as `invoice_settings[default_payment_method]` too: that
    is the card just attached, not a second one)."""
    return replace(customer, default_payment_method=attach_card(tx, customer.id, name).id)


def _discounts() -> ModuleType:
    """Coupons are loaded by the commands that apply one: most writes start faster."""
    # startup: loaded by the writes that need it; reads start lighter
    from billcli.services.discounts import redemptions as discounts

    return discounts


CREATE_COMMAND = "customers.create"


def create(
    ledger: Ledger, data: CustomerInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    """A new customer (on a test clock for good, or on the ledger's); `--balance` opens
    its ledger with an `initial` transaction."""
    data.checked()
    with ledger.write() as tx:
        return once(
            tx,
            CREATE_COMMAND,
            idempotency_key,
            data.params(),
            lambda: create_in(tx, data, idempotency_key),
        )


def create_in(tx: Tx, data: CustomerInput, idempotency_key: str | None) -> dict[str, Any]:
    """Create a checked customer inside an open transaction (create and import share it)."""
    if data.test_clock:
        clock = live_clock(tx, data.test_clock)
        tx.enter(clock.id, what=f"test clock {clock.id}", param="test_clock")
    currency = normalize_currency(data.currency) if data.currency else None
    customer = Customer(
        id=new_id("customer"),
        created=tx.now,
        test_clock=data.test_clock or None,
        name=_clean(data.name),
        email=_clean(data.email),
        description=_clean(data.description),
        phone=_clean(data.phone),
        currency=currency,
        invoice_prefix=_unique_prefix(tx, _clean(data.invoice_prefix)),
        metadata=merged({}, parse_pairs(data.metadata)),
        next_invoice_sequence=data.next_invoice_sequence or 1,
        **_details(data),
    )
    balance = None
    if data.balance:
        currency = currency or settings.value(tx, "default_currency")
        balance = parse_amount(data.balance, currency, param="balance")
    tx.customers.add(customer)
    if balance:
        customer, _ = post(tx, customer, balance, str(currency), "initial", param="balance")
    if data.payment_method:
        customer = _attach(tx, customer, data.payment_method)
        tx.customers.save(customer)
    if data.default_payment_method and data.default_payment_method != data.payment_method:
        customer = set_default(tx, customer, data.default_payment_method, param=DEFAULT_PARAM)
    if data.source:
        customer, _ = sources.add_source(tx, customer, data.source)
    if data.coupon or data.promotion_code:
        offer = _discounts().Offer(data.coupon, data.promotion_code)
        customer = _discounts().set_on_customer(tx, customer, offer)
        tx.customers.save(customer)
    result = customer_object(tx, customer)
    record(tx, "customer.created", result, idempotency_key=idempotency_key)
    tax_ids.add_many_in(tx, customer, data.tax_id_data)
    return result


def update(ledger: Ledger, customer_id: str, data: CustomerInput) -> dict[str, Any]:
    """Change a customer; a new `--balance` is reached with an `adjustment`."""
    check_id(customer_id, "customer", param="customer")
    data.checked()
    with ledger.write() as tx:
        return update_in(tx, customer_id, data)


def update_in(tx: Tx, customer_id: str, data: CustomerInput) -> dict[str, Any]:
    """Apply a checked change inside an open transaction (the CLI and the portal share it)."""
    before = live_customer(tx, customer_id)
    if data.test_clock:
        raise InvalidRequest(
            f"Invalid test_clock: {customer_id} lives on {clock_name(before.test_clock)}; a "
            "customer is put on a test clock only when it is created, as in Stripe",
            param="test_clock",
        )
    shown_before = customer_object(tx, before)
    after = replace(
        before,
        name=before.name if data.name is None else _clean(data.name),
        email=before.email if data.email is None else _clean(data.email),
        description=(before.description if data.description is None else _clean(data.description)),
        phone=before.phone if data.phone is None else _clean(data.phone),
        **_details(data),
    )
    after = _sequence(tx, after, data.next_invoice_sequence)
    if data.currency:
        after = replace(after, currency=balance_currency(tx, before, data.currency))
    if data.invoice_prefix:
        after = replace(
            after, invoice_prefix=_unique_prefix(tx, data.invoice_prefix, owner=before.id)
        )
    if data.metadata:
        after = replace(after, metadata=merged(before.metadata, parse_pairs(data.metadata)))
    tx.customers.save(after)
    if data.balance:
        currency = balance_currency(tx, after, None)
        target = parse_amount(data.balance, currency, param="balance")
        if target != after.balance:
            after, _ = post(
                tx, after, target - after.balance, currency, "adjustment", param="balance"
            )
    if data.payment_method:
        after = _attach(tx, after, data.payment_method)
        tx.customers.save(after)
    if data.default_payment_method and data.default_payment_method != data.payment_method:
        after = set_default(tx, after, data.default_payment_method, param=DEFAULT_PARAM)
    elif data.default_payment_method == "":
        after = replace(after, default_payment_method=None)
        tx.customers.save(after)
    if data.source:
        after = sources.replace_default(tx, after, data.source)
    if data.default_source:
        after = sources.set_default_source(tx, after, data.default_source)
    offered = bool(data.coupon or data.promotion_code)
    if offered:
        offer = _discounts().Offer(data.coupon, data.promotion_code)
        after = _discounts().set_on_customer(tx, after, offer)
        tx.customers.save(after)
    if data.remove_discount:
        after = _discounts().removed(tx, after)
        tx.customers.save(after)
    if offered or data.remove_discount:
        # startup: loaded by the writes that need it; reads start lighter
        from billcli.services.subscriptions.mrr import customer_changed

        customer_changed(tx, after.id)
    record_customer_update(tx, before, after, shown_before=shown_before)
    return customer_object(tx, after)


def show(ledger: Ledger, customer_id: str) -> dict[str, Any]:
    """The customer, or the deleted stub Stripe returns for a deleted one."""
    with ledger.read() as tx:
        customer = found(tx, "customer", customer_id, tx.customers.get, param="customer")
        return customer_object(tx, customer)


def list_customers(
    ledger: Ledger,
    request: PageRequest,
    *,
    email: str | None = None,
    test_clock: str | None = None,
) -> Page:
    """The customers of one clock, the ledger's unless `test_clock` names one: as in
    Stripe, a plain list leaves the customers of test clocks out."""
    with ledger.read() as tx:
        if test_clock is not None:
            live_clock(tx, test_clock)
        tx.enter(test_clock, what=clock_name(test_clock))
        customers, has_more = tx.customers.page(request, email=email, test_clock=test_clock)
        return Page("/v1/customers", [customer_object(tx, c) for c in customers], has_more)
