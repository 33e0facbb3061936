"""Stripe-like identifiers: a type prefix and 24 random characters from [0-9A-Za-z]."""

from __future__ import annotations

import os
import re

from billcli.errors import InvalidRequest

ID_LENGTH = 24
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"  # ASCII order
_LANE_CHARS, _COUNTER_CHARS = 5, 7
_RANDOM_CHARS = ID_LENGTH - _LANE_CHARS - _COUNTER_CHARS  # base64 of 9 random bytes
_NO_SYMBOLS = str.maketrans("+/", "xy")  # a negligible bias: the randomness is for spread


class _IdSource:
    """Ids that are unique and unguessable, yet ordered within one process.

    Each process draws a random lane, then counts: the ids one command writes sort
    together, so a bulk import appends to the `id` indexes instead of scattering pages
    across them. Twelve random characters (72 bits) follow; secrets such as portal
    session URLs never come from here. The lane is drawn on the first id, so that a
    command that writes nothing loads no randomness at all.
    """

    def __init__(self) -> None:
        self.forget()

    def forget(self) -> None:
        """Draw a new lane on the next id (a forked child must not share its parent's)."""
        self.lane = ""

    def reseed(self) -> None:
        # startup: randomness loads with the first id a command makes
        import random

        # 256 bits from the OS (os.urandom, as `secrets` uses; importing it costs 3 ms).
        self.random = random.Random(int.from_bytes(os.urandom(32), "big"))
        self.lane = "".join(self.random.choices(_ALPHABET, k=_LANE_CHARS))
        self.counter = 0
        self.head = ""
        self.tails: list[str] = []

    def next(self) -> str:
        if not self.lane:
            self.reseed()
        self.counter += 1
        high, low = divmod(self.counter, 62)
        if low == 0 or not self.head:
            self.head = self.lane + _base62(high, _COUNTER_CHARS - 1)
        if not self.tails:
            self.tails = self._tails()
        return self.head + _ALPHABET[low] + self.tails.pop()

    def _tails(self, count: int = 256) -> list[str]:
        """Random tails made in bulk: 9 bytes are 12 base64 characters, with no padding."""
        # startup: randomness loads with the first id a command makes
        import base64

        text = base64.b64encode(self.random.randbytes(9 * count)).decode().translate(_NO_SYMBOLS)
        return [text[i : i + _RANDOM_CHARS] for i in range(0, len(text), _RANDOM_CHARS)]


def _base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, digit = divmod(number, 62)
        digits.append(_ALPHABET[digit])
    return "".join(reversed(digits))


_source = _IdSource()
os.register_at_fork(after_in_child=_source.forget)

PREFIXES = {
    "customer": "cus",
    "customer_balance_transaction": "cbtxn",
    "invoice": "in",
    "invoiceitem": "ii",
    "line_item": "il",
    "billing_portal.configuration": "bpc",
    "billing_portal.session": "bps",
    "event": "evt",
    "payment_method": "pm",
    "webhook_endpoint": "we",
    "email": "em",
    "product": "prod",
    "price": "price",
    "subscription": "sub",
    "subscription_item": "si",
    "subscription_line": "sli",
    "discount": "di",
    "credit_note": "cn",
    "credit_note_line_item": "cnli",
    "refund": "re",
    "payment_intent": "pi",
    "charge": "ch",
    "setup_intent": "seti",
    "invoice_payment": "inpay",
    "test_clock": "clock",
    "tax_rate": "txr",
    "tax_id": "txi",
    "billing.meter": "mtr",
    "meter_event_identifier": "mev",
    "meter_event_adjustment": "mtradj",
    "meter_event_session": "mtres",
    "checkout.session": "cs_test",
    "checkout_line_item": "li",
    "subscription_schedule": "sub_sched",
    "promotion_code": "promo",
    "token": "tok",
    "card": "card",
}
# Kinds whose ids the caller may choose (products, coupons, and prices: a plan's id is
# its price's, and plans take ids of their own), any letters and digits.
CHOSEN = frozenset({"product", "price"})
# A prefix may have two words (`cs_test_`, `sub_sched_`), as Stripe's do.
_WELL_FORMED = re.compile(r"^[a-z]+(_[a-z]+)?_[0-9A-Za-z]{1,64}$")


def new_id(kind: str) -> str:
    """A fresh random id for an object of `kind`."""
    return f"{PREFIXES[kind]}_{_source.next()}"


def check_id(value: str, kind: str, *, param: str) -> str:
    """`value` when it has the shape of a `kind` id; a one-line error otherwise.

    A malformed id is a bad value (exit 1); a well-formed one the ledger lacks is
    reported later as missing (exit 6), so a typo and a stale id read differently.
    """
    if kind in CHOSEN:
        return _chosen(value, kind, param)
    prefix = PREFIXES[kind] + "_"
    if not value.startswith(prefix) or not _WELL_FORMED.match(value):
        shown = kind.replace("_", " ").removesuffix(" id")  # a tax ID, not a "tax id id"
        raise InvalidRequest(
            f"Invalid {param}: '{value}' is not a {shown} id (expected {prefix}…)", param=param
        )
    return value


_CHOSEN = re.compile(r"^[0-9A-Za-z_\-]{1,200}$")


def _chosen(value: str, kind: str, param: str) -> str:
    if not _CHOSEN.match(value):
        raise InvalidRequest(
            f"Invalid {param}: '{value}' is not a {kind} id (letters, digits, '_' and '-')",
            param=param,
        )
    return value
