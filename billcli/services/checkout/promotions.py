"""The hosted page's promotion-code field (a session with `allow_promotion_codes`): a
code the session may redeem replaces its discount and reprices it; any other is refused
with what the page shows, and the session stays as it was. The code is counted as
redeemed only when the subscription takes it (`completion.py`)."""

from __future__ import annotations

from dataclasses import replace

from billcli.errors import InvalidRequest, NotFound
from billcli.services.checkout.completion import open_by_secret, reordered
from billcli.services.checkout.pricing import redeemable_here
from billcli.store.ledger import Ledger

PARAM = "promotion_code"
# What the page says of a code that names no promotion code (Stripe Checkout's words).
UNKNOWN_CODE = "This code is invalid."


def apply(ledger: Ledger, secret: str, given: str | None) -> None:
    typed = (given or "").strip()
    with ledger.write() as tx:
        session = open_by_secret(tx, secret)
        if not session.allow_promotion_codes:
            raise InvalidRequest(
                "This Checkout Session does not take promotion codes.", param=PARAM
            )
        if not typed:
            raise InvalidRequest("Enter a promotion code.", param=PARAM)
        try:
            code = redeemable_here(tx, session, typed, param=PARAM)
        except NotFound as missing:
            raise InvalidRequest(UNKNOWN_CODE, param=PARAM) from missing
        changed = replace(session, coupon=code.coupon, promotion_code=code.id)
        reordered(tx, changed)


def remove(ledger: Ledger, secret: str) -> None:
    """The page's Remove link: back to the session's prices without the code."""
    with ledger.write() as tx:
        session = open_by_secret(tx, secret)
        if session.promotion_code is not None:
            cleared = replace(session, coupon=None, promotion_code=None)
            reordered(tx, cleared)
