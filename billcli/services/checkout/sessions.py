"""Checkout Sessions: created, shown, listed, expired (by hand or by the clock).

What the customer does on the hosted page is `completion.py`'s. A session's amounts are
fixed when it is created: its prices cannot change, and its coupon is checked then.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from billcli.core import catalog_objects, checkout_objects, limits
from billcli.core import checkout as rules
from billcli.core.catalog import billing_currency, charges_in
from billcli.core.checkout_page import PageInput
from billcli.core.customers import check_email
from billcli.core.discounts import check_redeemable
from billcli.core.ids import check_id, new_id
from billcli.core.invoicing import check_choice
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import check_chargeable, normalize_currency
from billcli.core.pagination import Page, PageRequest
from billcli.core.portal import new_secret
from billcli.core.records import Customer
from billcli.core.records.catalog import Price
from billcli.core.records.checkout import CheckoutSession
from billcli.core.subscriptions import check_trial
from billcli.core.tax import check_rate_ids
from billcli.errors import InvalidRequest
from billcli.services.catalog import prices, products
from billcli.services.catalog.price_making import PriceInput, new_price
from billcli.services.checkout import pricing
from billcli.services.discounts import coupons
from billcli.services.ledger import settings
from billcli.services.ledger.events import record
from billcli.services.ledger.idempotency import once
from billcli.services.ledger.lookup import found, live_customer
from billcli.services.payments import intents, setup_intents
from billcli.services.taxes.rates import usable
from billcli.store.ledger import Ledger, Tx

KIND = "checkout.session"


@dataclass(frozen=True)
class SessionInput:
    """`checkout sessions create` (or the API's create) as given."""

    mode: str | None = None
    line_items: tuple[tuple[str, int], ...] = ()  # (price, quantity); "" for price_data
    line_item_prices: tuple[PriceInput | None, ...] = ()  # line_items[n][price_data], by n
    success_url: str | None = None
    cancel_url: str | None = None
    customer: str | None = None
    customer_email: str | None = None
    customer_creation: str | None = None
    client_reference_id: str | None = None
    metadata: tuple[str, ...] = ()
    coupons: tuple[str, ...] = ()
    promotion_codes: tuple[str, ...] = ()  # discounts[0][promotion_code]: as typed or promo_…
    allow_promotion_codes: bool | None = None
    payment_method_collection: str | None = None
    expires_at: int | None = None
    trial_period_days: int | None = None
    trial_end: int | None = None
    subscription_metadata: tuple[str, ...] = ()
    shipping: dict[str, Any] | None = None
    currency: str | None = None
    page: PageInput = field(default_factory=PageInput)
    line_item_metadata: tuple[tuple[str, ...], ...] = ()  # k=v pairs, one tuple per item
    subscription_description: str | None = None
    billing_cycle_anchor: int | None = None  # subscription_data[billing_cycle_anchor]
    proration_behavior: str | None = None  # subscription_data[proration_behavior]
    intent_description: str | None = None  # payment_intent_data[description]
    intent_metadata: tuple[str, ...] = ()
    receipt_email: str | None = None
    default_tax_rates: tuple[str, ...] = ()  # subscription_data[default_tax_rates]
    line_item_tax_rates: tuple[tuple[str, ...], ...] = ()  # line_items[n][tax_rates], by n
    # line_items[n][adjustable_quantity], by n (None: not given)
    line_item_adjustable: tuple[rules.Adjustable | None, ...] = ()

    def inline_price(self, n: int) -> PriceInput | None:
        """Line item `n`'s `price_data`, if it gave one."""
        return self.line_item_prices[n] if n < len(self.line_item_prices) else None

    def adjustable(self, n: int) -> dict[str, Any] | None:
        """Line item `n`'s `adjustable_quantity` as kept (None: its quantity is fixed)."""
        given = self.line_item_adjustable[n] if n < len(self.line_item_adjustable) else None
        return None if given is None else given.bounds(n, self.line_items[n][1])

    def checked(self) -> SessionInput:
        """Every check that needs no ledger, done before the transaction opens."""
        mode = rules.check_mode(self.mode)
        if self.success_url is None:
            raise InvalidRequest(
                "Missing required param: success_url (the hosted page sends the customer "
                "there when the session completes).",
                param="success_url",
            )
        rules.check_url(self.success_url, "success_url")
        rules.check_url(self.cancel_url, "cancel_url")
        rules.check_discounts(self.coupons, self.promotion_codes, self.allow_promotion_codes)
        check_email(self.customer_email, "customer_email")
        if self.customer is not None:
            check_id(self.customer, "customer", param="customer")
            if self.customer_email is not None:
                raise InvalidRequest.exclusive(("customer", "customer_email"), "customer_email")
        if self.customer_creation is not None:
            check_choice(self.customer_creation, rules.CUSTOMER_CREATIONS, "customer_creation")
            if mode == "subscription":
                raise InvalidRequest(
                    "`customer_creation` can only be used in `payment` and `setup` mode.",
                    param="customer_creation",
                )
        if self.payment_method_collection is not None:
            check_choice(
                self.payment_method_collection,
                rules.METHOD_COLLECTIONS,
                "payment_method_collection",
            )
            if mode != "subscription":
                raise InvalidRequest(
                    "`payment_method_collection` can only be set in `subscription` mode.",
                    param="payment_method_collection",
                )
        trial = self.trial_period_days is not None or self.trial_end is not None
        subscription = (self.subscription_description, self.billing_cycle_anchor,
                        self.proration_behavior)  # fmt: skip
        given = trial or self.subscription_metadata or self.default_tax_rates
        if (given or any(v is not None for v in subscription)) and mode != "subscription":
            raise InvalidRequest(
                "`subscription_data` can only be used in `subscription` mode.",
                param="subscription_data",
            )
        for n, (price, quantity) in enumerate(self.line_items):
            _check_price(n, price, self.inline_price(n))
            if quantity < 1:
                raise InvalidRequest(
                    f"Invalid line_items[{n}][quantity]: must be at least 1",
                    param=f"line_items[{n}][quantity]",
                )
            self.adjustable(n)
        if self.proration_behavior is not None:
            check_choice(self.proration_behavior, ("create_prorations", "none"),
                         "subscription_data[proration_behavior]")  # fmt: skip
        intent = (self.intent_description, self.receipt_email, *self.intent_metadata)
        if any(v is not None for v in intent) and mode != "payment":
            raise InvalidRequest(
                "`payment_intent_data` can only be used in `payment` mode.",
                param="payment_intent_data",
            )
        check_email(self.receipt_email, "payment_intent_data[receipt_email]")
        check_rate_ids(self.default_tax_rates, "subscription_data[default_tax_rates]")
        for n, ids in enumerate(self.line_item_tax_rates):
            check_rate_ids(ids, f"line_items[{n}][tax_rates]")
        limits.text(KIND, "client_reference_id", self.client_reference_id)
        for pairs in (self.metadata, self.subscription_metadata, self.intent_metadata,
                      *self.line_item_metadata):  # fmt: skip
            parse_pairs(pairs)
        self.page.checked(mode, customer=self.customer is not None)
        return self


def create(
    ledger: Ledger, data: SessionInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    data.checked()
    with ledger.write() as tx:
        return once(
            tx, "checkout.sessions.create", idempotency_key, dict(vars(data)),
            lambda: session_object(tx, create_in(tx, data)),
        )  # fmt: skip


def _check_price(n: int, price: str, inline: PriceInput | None) -> None:
    """A line item names a price or gives one inline (with its product or the product's
    data), never both."""
    if bool(price) == (inline is not None):
        raise InvalidRequest(
            f"Invalid line_items[{n}]: give one of price or price_data",
            param=f"line_items[{n}][price]",
        )
    if inline is not None and (inline.product is None) == (inline.product_data is None):
        raise InvalidRequest(
            f"Invalid line_items[{n}][price_data]: give one of product or product_data",
            param=f"line_items[{n}][price_data][product]",
        )


def _line_price(tx: Tx, n: int, price_id: str, inline: PriceInput | None) -> Price:
    """A line item's price: the one it names, usable, or the one its `price_data` makes
    (inactive, as Stripe makes inline prices: it is this session's own)."""
    param = f"line_items[{n}][price_data]"
    if inline is None:
        price = prices.find(tx, price_id, param=f"line_items[{n}][price]")
        prices.usable(
            tx, price.id, param=f"line_items[{n}][price]", recurring=price.type != "one_time"
        )
        return price
    product = (
        products.find(tx, inline.product, param=f"{param}[product]")
        if inline.product is not None
        else products.made_inline(tx, inline.product_data or {}, param=f"{param}[product_data]")
    )
    made = new_price(tx, inline, product.id, active=False)
    tx.prices.add(made)
    record(tx, "price.created", catalog_objects.price(made))
    return made


def create_in(tx: Tx, data: SessionInput) -> CheckoutSession:
    mode = str(data.mode)
    customer = None if data.customer is None else live_customer(tx, data.customer)
    chosen = [
        _line_price(tx, n, price_id, data.inline_price(n))
        for n, (price_id, _) in enumerate(data.line_items)
    ]
    rules.check_items(mode, chosen)
    currency = _currency(chosen, data.currency, customer)
    if customer is not None and customer.currency and currency and customer.currency != currency:
        raise InvalidRequest(
            f"The currency of the selected prices ({currency}) does not match the customer "
            f"currency ({customer.currency}).",
            param="line_items",
        )
    trial_end = check_trial(data.trial_period_days, data.trial_end, tx.now)
    quantities = [q for _, q in data.line_items]
    own_rates = _item_rates(tx, data)
    session_id = new_id("checkout.session")
    session = CheckoutSession(
        id=session_id,
        created=tx.now,
        mode=mode,
        status="open",
        currency=currency,
        expires_at=rules.expires_at(data.expires_at, tx.now),
        secret=new_secret(),
        line_items=[
            {
                "id": new_id("checkout_line_item"),
                "price": p.id,
                "quantity": q,
                "metadata": merged({}, parse_pairs(pairs)),
                **({"tax_rates": rates} if rates else {}),
                **({"adjustable_quantity": bounds} if (bounds := data.adjustable(n)) else {}),
            }
            for n, (p, q, pairs, rates) in enumerate(
                zip(chosen, quantities, _item_pairs(data), own_rates, strict=True)
            )
        ],
        success_url=data.success_url,
        cancel_url=data.cancel_url,
        customer=None if customer is None else customer.id,
        customer_email=data.customer_email or None,
        customer_creation=None
        if mode == "subscription"
        else (data.customer_creation or "if_required"),
        client_reference_id=data.client_reference_id or None,
        metadata=merged({}, parse_pairs(data.metadata)),
        allow_promotion_codes=bool(data.allow_promotion_codes),
        payment_method_collection=(data.payment_method_collection or "always")
        if mode == "subscription"
        else None,
        subscription_data=_subscription_data(tx, data, trial_end)
        if mode == "subscription"
        else None,
        payment_intent_data=_intent_data(data),
        payment_status="no_payment_required" if mode == "setup" else "unpaid",
        page=data.page.checked(mode, customer=customer is not None),
    )
    session = pricing.repriced(tx, _discounted(tx, session, data))
    if mode == "payment":  # its total is one charge (a free order is none)
        check_chargeable(session.amount_total, str(currency), param="line_items",
                         lead="The Checkout Session's total amount due must add up to")  # fmt: skip
    tx.checkout_sessions.add(session)
    return session


def _currency(chosen: list[Price], asked: str | None, customer: Customer | None) -> str | None:
    """The session's currency, by the rule every line is billed by (`billing_currency`):
    the one asked for (each price must have an amount in it), else the customer's when
    every price has one in it (a price's `currency_options`), else the prices' own."""
    if not chosen:
        return asked or None
    asked = normalize_currency(asked) if asked else None
    own = None if customer is None else customer.currency
    if not asked and own and all(charges_in(p, own) for p in chosen):
        asked = own
    currency = billing_currency(chosen[0], asked, None)
    for n, price in enumerate(chosen):
        if not charges_in(price, currency):
            raise InvalidRequest(
                f"Invalid line_items[{n}][price]: {price.id} has no amount in {currency}",
                param=f"line_items[{n}][price]",
            )
    return currency


def _discounted(tx: Tx, session: CheckoutSession, data: SessionInput) -> CheckoutSession:
    """The session with the coupon or promotion code of its `discounts`, if it may
    redeem it (checked here; counted when the subscription takes it)."""
    coupon_id, code = rules.check_discounts(
        data.coupons, data.promotion_codes, data.allow_promotion_codes
    )
    if coupon_id is not None:
        coupon = coupons.find(tx, coupon_id, param="discounts[0][coupon]")
        check_redeemable(coupon, tx.now, currency=session.currency)
        return replace(session, coupon=coupon_id)
    if code is not None:
        promotion = pricing.redeemable_here(tx, session, code, param="discounts[0][promotion_code]")
        return replace(session, coupon=promotion.coupon, promotion_code=promotion.id)
    return session


def _item_rates(tx: Tx, data: SessionInput) -> list[list[str]]:
    """Each line item's own tax rates (none where the request gave none)."""
    given = list(data.line_item_tax_rates)
    given += [()] * (len(data.line_items) - len(given))
    return [
        usable(tx, ids, param=f"line_items[{n}][tax_rates]") if ids else []
        for n, ids in enumerate(given)
    ]


def _item_pairs(data: SessionInput) -> list[tuple[str, ...]]:
    """Each line item's metadata pairs (none where the request gave none)."""
    given = list(data.line_item_metadata)
    return given + [()] * (len(data.line_items) - len(given))


def _subscription_data(tx: Tx, data: SessionInput, trial_end: int | None) -> dict[str, Any]:
    param = "subscription_data[default_tax_rates]"
    return {
        "default_tax_rates": usable(tx, data.default_tax_rates, param=param),
        "trial_end": trial_end,
        "trial_period_days": data.trial_period_days,
        "metadata": merged({}, parse_pairs(data.subscription_metadata)),
        "description": data.subscription_description,
        "billing_cycle_anchor": data.billing_cycle_anchor,
        "proration_behavior": data.proration_behavior,
    }


def _intent_data(data: SessionInput) -> dict[str, Any] | None:
    """What the session's PaymentIntent is made with (payment mode)."""
    given = {
        "shipping": data.shipping,
        "description": data.intent_description,
        "receipt_email": data.receipt_email,
        "metadata": merged({}, parse_pairs(data.intent_metadata)) or None,
    }
    kept = {k: v for k, v in given.items() if v}
    return kept or None


def find(tx: Tx, session_id: str, *, param: str = "session") -> CheckoutSession:
    return found(tx, KIND, session_id, tx.checkout_sessions.get, param=param)


def page_url(tx: Tx, session: CheckoutSession) -> str:
    """The hosted page: a capability, like the hosted invoice page."""
    return f"{settings.value(tx, 'public_url')}/c/{session.secret}"


def page_of(ledger: Ledger, session_id: str) -> str:
    """`checkout open`: the URL of an open session's page; a closed one has none."""
    with ledger.read() as tx:
        session = find(tx, session_id)
        rules.require_open(session, tx.now)
        return page_url(tx, session)


def session_object(tx: Tx, session: CheckoutSession) -> dict[str, Any]:
    return checkout_objects.session(session, url=page_url(tx, session))


def show(ledger: Ledger, session_id: str, *, with_items: bool = False) -> dict[str, Any]:
    with ledger.read() as tx:
        session = find(tx, session_id)
        shown = session_object(tx, session)
        if with_items:
            shown["line_items"] = _items_page(tx, session, PageRequest(100, None, None)).to_stripe()
        return shown


def _items_page(tx: Tx, session: CheckoutSession, request: PageRequest) -> Page:
    # Stripe: "If your customer removes a line item, it is also removed from the line
    # items response" (the page still shows it, to add it back).
    items = [i for i in pricing.line_item_objects(tx, session) if i["quantity"] > 0]
    ids = [i["id"] for i in items]
    start = 0
    if request.starting_after is not None:
        start = _position(ids, request.starting_after, "starting_after") + 1
    end = len(items)
    if request.ending_before is not None:
        end = _position(ids, request.ending_before, "ending_before")
        start = max(0, end - request.limit)
    chosen = items[start : min(end, start + request.limit)]
    more = start + len(chosen) < end if request.ending_before is None else start > 0
    return Page(f"/v1/checkout/sessions/{session.id}/line_items", chosen, more)


def _position(ids: list[str], cursor: str, param: str) -> int:
    if cursor not in ids:
        raise InvalidRequest(f"Invalid {param}: no such line item '{cursor}'", param=param)
    return ids.index(cursor)


def line_items(ledger: Ledger, session_id: str, request: PageRequest) -> Page:
    with ledger.read() as tx:
        return _items_page(tx, find(tx, session_id), request)


def list_sessions(
    ledger: Ledger,
    request: PageRequest,
    *,
    customer: str | None = None,
    status: str | None = None,
    subscription: str | None = None,
    payment_intent: str | None = None,
    email: str | None = None,
) -> Page:
    """`email`: sessions whose customer gave that address (`customer_details[email]`)."""
    if status is not None:
        check_choice(status, rules.STATUSES, "status")
    with ledger.read() as tx:
        found_sessions, more = tx.checkout_sessions.page(
            request,
            customer=customer,
            status=status,
            subscription=subscription,
            payment_intent=payment_intent,
            email=email,
        )
        shown = [session_object(tx, s) for s in found_sessions]
        return Page("/v1/checkout/sessions", shown, more)


def expire(ledger: Ledger, session_id: str) -> dict[str, Any]:
    with ledger.write() as tx:
        session = find(tx, session_id)
        rules.require_expirable(session)
        return session_object(tx, expired_in(tx, session))


def expired_in(tx: Tx, session: CheckoutSession) -> CheckoutSession:
    """The session closed for good: its waiting payment (or card it was saving)
    canceled, no page any more."""
    pi = tx.payment_intents.get(session.payment_intent) if session.payment_intent else None
    if pi is not None and pi.status in ("requires_payment_method", "requires_action"):
        intents.cancel_in(tx, pi, "abandoned")
    si = tx.setup_intents.get(session.setup_intent) if session.setup_intent else None
    if si is not None and si.status in ("requires_payment_method", "requires_action"):
        setup_intents.cancel_in(tx, si, "abandoned")
    done = replace(session, status="expired")
    tx.checkout_sessions.save(done)
    record(tx, "checkout.session.expired", session_object(tx, done))
    return done


def expire_due(tx: Tx, session_id: str) -> None:
    """The clock's step: an open session past its `expires_at` expires (once: a session
    already complete or expired is left alone, so a racing tick changes nothing)."""
    session = tx.checkout_sessions.get(session_id)
    if session is not None and session.status == "open" and session.expires_at <= tx.now:
        expired_in(tx, session)
