"""Checkout Sessions' rules: what a session may hold, how long it lives, what it costs.

Notes A.4–A.7 (research of the current `checkout.session`): `expires_at` from 30 minutes
to 24 hours after creation (24 hours when not given); `discounts` and
`allow_promotion_codes` exclude each other; `{CHECKOUT_SESSION_ID}` in the success URL
becomes the session's id when the customer is sent there. Pure: instants are given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from billcli.core.catalog import amount_for
from billcli.core.discounts import discountable_by_default, line_discounts
from billcli.core.invoicing import check_choice
from billcli.core.periods import first_period_charge
from billcli.core.tax import Rate, TaxAmount, exclusive, line_taxes, summed
from billcli.core.urls import MAX_LENGTH
from billcli.errors import InvalidRequest

if TYPE_CHECKING:
    from billcli.core.records.catalog import Price
    from billcli.core.records.checkout import CheckoutSession
    from billcli.core.records.discounts import Coupon

MODES = ("payment", "setup", "subscription")
STATUSES = ("open", "complete", "expired")
CUSTOMER_CREATIONS = ("always", "if_required")
METHOD_COLLECTIONS = ("always", "if_required")
MIN_LIFETIME_S = 30 * 60
MAX_LIFETIME_S = 24 * 60 * 60
MAX_PAYMENT_ITEMS = 100
MAX_RECURRING_ITEMS = 20
MAX_ADJUSTABLE_QUANTITY = 999_999
DEFAULT_ADJUSTABLE = (0, 99)  # Stripe's bounds when `minimum`/`maximum` are not given
MAX_ONE_TIME_ITEMS = 20  # beside the recurring ones, in `subscription` mode
TEMPLATE = "{CHECKOUT_SESSION_ID}"
# The version of the rules a session completes under (its `completed_under`): 1 redeems
# a payment's coupon and prices a subscription as its first invoice charges it (net of
# its customer's coupon, prorated to a billing cycle anchor). Sessions completed before
# (0) are held by `ledger check` to none of these.
RULES = 1


def check_mode(mode: str | None) -> str:
    if mode is None:
        raise InvalidRequest("Missing required param: mode.", param="mode")
    return check_choice(mode, MODES, "mode")


def expires_at(given: int | None, now: int) -> int:
    """When a session stops taking payment: 30 minutes to 24 hours from its creation."""
    if given is None:
        return now + MAX_LIFETIME_S
    if given > now + MAX_LIFETIME_S:
        raise InvalidRequest(
            "The expires_at timestamp must be less than 24 hours from Checkout Session creation.",
            param="expires_at",
        )
    if given < now + MIN_LIFETIME_S:
        raise InvalidRequest(
            "The expires_at timestamp must be at least 30 minutes from Checkout Session creation.",
            param="expires_at",
        )
    return given


def check_url(value: str | None, param: str) -> str | None:
    """Stripe's URL errors: an explicit http(s) scheme, a host, at most 5000 characters."""
    if value is None:
        return None
    if len(value) > MAX_LENGTH:
        raise InvalidRequest("Invalid URL: URL must be 5000 characters or less.", param=param)
    scheme, colon, rest = value.partition(":")
    if not colon or scheme.lower() not in ("http", "https"):
        raise InvalidRequest(
            "Invalid URL: An explicit scheme (such as https) must be provided.", param=param
        )
    host = rest.removeprefix("//").split("/", 1)[0].split("?", 1)[0]
    if not rest.startswith("//") or not host or any(c.isspace() for c in value):
        raise InvalidRequest("Not a valid URL", param=param, code="url_invalid")
    return value


def redirect_url(url: str, session_id: str) -> str:
    """Where the customer goes: the URL with its `{CHECKOUT_SESSION_ID}` filled in."""
    return url.replace(TEMPLATE, session_id)


def check_discounts(
    coupons: Sequence[str], promotion_codes: Sequence[str], allow_promotion_codes: bool | None
) -> tuple[str | None, str | None]:
    """The one coupon or promotion code of `discounts` (coupon, code); never with
    `allow_promotion_codes` (even false)."""
    given = len(coupons) + len(promotion_codes)
    if given and allow_promotion_codes is not None:
        raise InvalidRequest.exclusive(
            ("allow_promotion_codes", "discounts"), "allow_promotion_codes"
        )
    if given > 1:
        raise InvalidRequest(
            "Invalid discounts: currently, only up to one may be specified.", param="discounts"
        )
    return (coupons[0] if coupons else None, promotion_codes[0] if promotion_codes else None)


def check_items(mode: str, prices: Sequence[Price]) -> None:
    """The line items' prices fit the mode: one currency; in `payment` mode one-time
    prices only; in `subscription` mode at least one recurring, all of one interval."""
    if mode == "setup":
        if prices:
            raise InvalidRequest(
                "You cannot pass `line_items` in `setup` mode.", param="line_items"
            )
        return
    if not prices:
        raise InvalidRequest(
            f"Missing required param: line_items (required in `{mode}` mode).",
            param="line_items",
        )
    first = prices[0]
    for n, price in enumerate(prices):
        if price.currency != first.currency:
            raise InvalidRequest(
                f"Invalid line_items[{n}][price]: all line items must use one currency "
                f"({price.id} is {price.currency}; {first.id} is {first.currency})",
                param=f"line_items[{n}][price]",
            )
    if mode == "payment":
        _payment_items(prices)
    else:
        _subscription_items(prices)


def _payment_items(prices: Sequence[Price]) -> None:
    if len(prices) > MAX_PAYMENT_ITEMS:
        raise InvalidRequest(
            f"Invalid line_items: at most {MAX_PAYMENT_ITEMS} in `payment` mode",
            param="line_items",
        )
    for n, price in enumerate(prices):
        if price.type == "recurring":
            raise InvalidRequest(
                "You specified `payment` mode but passed a recurring price. Either switch "
                "to `subscription` mode or use only one-time prices.",
                param=f"line_items[{n}]",
            )


def _subscription_items(prices: Sequence[Price]) -> None:
    """At least one recurring price, all of one interval; one-time prices beside them
    are billed once, on the subscription's first invoice (Stripe: up to 20 of each)."""
    recurring = [(n, p) for n, p in enumerate(prices) if p.type == "recurring"]
    if not recurring:
        raise InvalidRequest(
            "You must provide at least one recurring price in `subscription` mode when "
            "using prices.",
            param="line_items",
        )
    if len(recurring) > MAX_RECURRING_ITEMS:
        raise InvalidRequest(
            f"Invalid line_items: at most {MAX_RECURRING_ITEMS} recurring prices",
            param="line_items",
        )
    if len(prices) - len(recurring) > MAX_ONE_TIME_ITEMS:
        raise InvalidRequest(
            f"Invalid line_items: at most {MAX_ONE_TIME_ITEMS} one-time prices in "
            "`subscription` mode",
            param="line_items",
        )
    _, first = recurring[0]
    for n, price in recurring[1:]:
        if (price.interval, price.interval_count) != (first.interval, first.interval_count):
            raise InvalidRequest(
                f"Invalid line_items[{n}][price]: all recurring prices must share one "
                f"interval ({price.id} is every {price.interval_count} {price.interval}; "
                f"{first.id} is every {first.interval_count} {first.interval})",
                param=f"line_items[{n}][price]",
            )


@dataclass(frozen=True)
class Priced:
    """What a session's lines come to today: each line's subtotal, its share of the
    discount and its taxes (on the line less its share, as an invoice taxes it), and the
    session's totals. `due` says which lines are charged today: during a trial the
    recurring lines are not (no discount, no tax), a one-time line still is, on the
    subscription's first invoice."""

    subtotals: list[int]
    discounts: list[int]
    taxes: list[list[TaxAmount]]
    due: list[bool]

    @property
    def subtotal(self) -> int:
        return sum(s for s, due in zip(self.subtotals, self.due, strict=True) if due)

    @property
    def discount(self) -> int:
        return sum(self.discounts)

    @property
    def tax_amounts(self) -> list[TaxAmount]:
        return summed(self.taxes)

    @property
    def total(self) -> int:
        return self.subtotal - self.discount + exclusive(self.tax_amounts)


@dataclass(frozen=True)
class Line:
    """One line as the session prices it: its amount, whether it recurs, whether the
    coupon covers it (`applies_to`), and its tax rates (its own, else the defaults)."""

    amount: int
    recurring: bool
    discountable: bool
    rates: Sequence[Rate]


def priced_line(
    price: Price,
    quantity: int,
    coupon: Coupon | None,
    rates: Sequence[Rate],
    first_period: FirstPeriod | None = None,
    currency: str | None = None,
) -> Line:
    """A line item as it is priced, in the session's `currency` (the price's option in
    it, when that is not the price's own): a coupon restricted to products (`applies_to`)
    covers only their lines, as on an invoice; a recurring line with a billing cycle
    anchor (`first_period`) costs what the first invoice charges up to it, and like
    that invoice's line, a stub is a proration, which no coupon discounts."""
    covered = coupon is None or coupon.applies_to is None or price.product in coupon.applies_to
    amount, stub = amount_for(price, quantity, currency), False
    recurring = price.type == "recurring"
    if recurring and first_period is not None:
        amount, stub = first_period_charge(
            amount,
            first_period.anchor,
            str(price.interval),
            price.interval_count,
            first_period.start,
            prorate_partial=first_period.prorated,
        )
    return Line(amount, recurring, covered and discountable_by_default(amount, stub), rates)


@dataclass(frozen=True)
class FirstPeriod:
    """`subscription_data[billing_cycle_anchor]` of a session paid at `start`, and
    whether its stub is prorated (`proration_behavior` other than `none`)."""

    anchor: int
    start: int
    prorated: bool


def priced(
    lines: Sequence[Line], coupon: Coupon | None, *, currency: str | None, trial: bool
) -> Priced:
    """The session's money, as its subscription's first invoice (or its payment) makes
    it: the coupon shared over the lines due today that it covers, then each taxed."""
    due = [not (trial and line.recurring) for line in lines]
    amounts = [line.amount if d else 0 for line, d in zip(lines, due, strict=True)]
    shares = [0] * len(lines)
    if coupon is not None:
        covered = [line.discountable for line in lines]
        shares = line_discounts(amounts, covered, coupon, currency)
    taxes = [
        line_taxes(amount - share, list(line.rates)) if d else []
        for amount, share, line, d in zip(amounts, shares, lines, due, strict=True)
    ]
    return Priced([line.amount for line in lines], shares, taxes, due)


@dataclass(frozen=True)
class Adjustable:
    """`line_items[n][adjustable_quantity]` as given."""

    enabled: bool | None = None
    minimum: int | None = None
    maximum: int | None = None

    def bounds(self, n: int, quantity: int) -> dict[str, Any] | None:
        """The line's `adjustable_quantity` as the session keeps and shows it (None when
        not enabled): Stripe's defaults 0 and 99, a maximum up to 999999, the line's
        quantity between the two."""
        param = f"line_items[{n}][adjustable_quantity]"
        if self.enabled is None:
            raise InvalidRequest.missing(f"{param}[enabled]")
        if not self.enabled:
            return None
        low = DEFAULT_ADJUSTABLE[0] if self.minimum is None else self.minimum
        high = DEFAULT_ADJUSTABLE[1] if self.maximum is None else self.maximum
        if low < 0:
            raise InvalidRequest(
                f"Invalid {param}[minimum]: {low} (it cannot be negative)",
                param=f"{param}[minimum]",
            )
        if not 1 <= high <= MAX_ADJUSTABLE_QUANTITY:
            raise InvalidRequest(
                f"Invalid {param}[maximum]: {high} (from 1 to {MAX_ADJUSTABLE_QUANTITY})",
                param=f"{param}[maximum]",
            )
        if low > high:
            raise InvalidRequest(
                f"Invalid {param}[minimum]: {low} is more than the maximum, {high}",
                param=f"{param}[minimum]",
            )
        if not low <= quantity <= high:
            raise InvalidRequest(
                f"Invalid line_items[{n}][quantity]: {quantity} is outside its "
                f"adjustable_quantity, {low} to {high}",
                param=f"line_items[{n}][quantity]",
            )
        return {"enabled": True, "maximum": high, "minimum": low}


def check_adjusted(
    bounds: dict[str, Any] | None,
    quantity: int,
    after: Sequence[int],
    recurring_after: Sequence[int] | None = None,
) -> None:
    """A quantity the buyer set on the page: the line is adjustable, the quantity within
    its bounds, and something is left to buy (`after`: every line's quantity once
    changed; Stripe: a lone item cannot go down to 0); in `subscription` mode something
    left to subscribe to (`recurring_after`: the recurring lines' quantities)."""
    if bounds is None:
        raise InvalidRequest("This item's quantity cannot be changed.", param="quantity")
    if not bounds["minimum"] <= quantity <= bounds["maximum"]:
        raise InvalidRequest(
            f"Choose a quantity from {bounds['minimum']} to {bounds['maximum']}.",
            param="quantity",
        )
    if not any(after):
        raise InvalidRequest("Keep at least one item to check out.", param="quantity")
    if recurring_after is not None and not any(recurring_after):
        raise InvalidRequest(
            "Keep at least one subscription item: a subscription needs one.", param="quantity"
        )


def require_open(session: CheckoutSession, now: int) -> None:
    """Only an open session, before it expires, takes a payment."""
    if session.status == "complete":
        raise InvalidRequest(
            "This Checkout Session is already complete: it was paid once and cannot be paid again.",
            param="checkout_session",
        )
    if session.status != "open" or now >= session.expires_at:
        raise InvalidRequest(
            "This Checkout Session has expired; create a new one.", param="checkout_session"
        )


def require_expirable(session: CheckoutSession) -> None:
    if session.status != "open":
        raise InvalidRequest(
            'Only Checkout Sessions with a status in ["open"] can be expired. This '
            f"Checkout Session has a status of `{session.status}`.",
            param="session",
        )
