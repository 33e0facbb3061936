"""Currencies and amounts: integers in minor units, parsed and formatted per currency.

Stripe counts money in each currency's smallest unit; a float never appears. A
zero-decimal currency's integer is the whole amount, and a three-decimal currency
has three places. Formatting and parsing both come from the same exponent table, so
what billcli prints can be typed back in.
"""

from __future__ import annotations

import re

from billcli.errors import InvalidRequest

# ISO 4217 codes Stripe charges in (docs /currencies), lowercase as in the API.
CURRENCIES = frozenset(
    """
    aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl bsd bwp
    byn bzd cad cdf chf clp cny cop crc cve czk djf dkk dop dzd egp etb eur fjd fkp gbp gel
    gip gmd gnf gtq gyd hkd hnl htg huf idr ils inr isk jmd jod jpy kes kgs khr kmf krw kwd
    kyd kzt lak lbp lkr lrd lsl mad mdl mga mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn
    nio nok npr nzd omr pab pen pgk php pkr pln pyg qar ron rsd rub rwf sar sbd scr sek sgd
    shp sle sos srd std szl thb tjs tnd top try ttd twd tzs uah ugx usd uyu uzs vnd vuv wst
    xaf xcd xof xpf yer zar zmw
    """.split()
)
ZERO_DECIMAL = frozenset("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split())
THREE_DECIMAL = frozenset("bhd jod kwd omr tnd".split())

# Minimum charge in minor units (docs /currencies#minimum-and-maximum-charge-amounts).
MINIMUM_CHARGE = {
    "usd": 50, "aed": 200, "aud": 50, "bgn": 100, "brl": 50, "cad": 50, "chf": 50,
    "czk": 1500, "dkk": 250, "eur": 50, "gbp": 30, "hkd": 400, "huf": 17500, "inr": 50,
    "jpy": 50, "mxn": 1000, "myr": 200, "nok": 300, "nzd": 50, "pln": 200, "ron": 200,
    "sek": 300, "sgd": 50, "thb": 1000,
}  # fmt: skip
MAX_AMOUNT_DIGITS = 8
MAX_AMOUNT = 10**MAX_AMOUNT_DIGITS - 1

SYMBOLS = {
    "usd": "$", "eur": "€", "gbp": "£", "jpy": "¥", "cny": "CN¥", "krw": "₩", "inr": "₹",
    "cad": "CA$", "aud": "A$", "nzd": "NZ$", "hkd": "HK$", "sgd": "S$", "mxn": "MX$",
    "brl": "R$", "chf": "CHF ", "ils": "₪", "vnd": "₫", "php": "₱", "thb": "฿",
}  # fmt: skip

_AMOUNT = re.compile(r"^([+-]?)([0-9]+)(?:\.([0-9]+))?$")


def exponent(currency: str) -> int:
    """How many decimal places the currency's minor unit has."""
    if currency in ZERO_DECIMAL:
        return 0
    if currency in THREE_DECIMAL:
        return 3
    return 2


def minimum_charge(currency: str) -> int:
    """The smallest non-zero amount an invoice may charge (billcli-decisions: Invoices)."""
    if currency in MINIMUM_CHARGE:
        return MINIMUM_CHARGE[currency]
    return 0 if currency in ZERO_DECIMAL else 50


def _least_charge(currency: str) -> int:
    return max(minimum_charge(currency), 1)


def too_small_to_charge(amount: int, currency: str) -> bool:
    """Whether a card cannot be charged `amount`: more than nothing, less than the
    currency's minimum (Stripe's `amount_too_small`)."""
    return 0 < amount < _least_charge(currency)


def check_chargeable(
    amount: int,
    currency: str,
    *,
    param: str = "amount",
    lead: str = "Amount must be",
    zero_is_no_charge: bool = True,
) -> None:
    """Refuse a card charge of less than the currency's minimum (Stripe's
    `amount_too_small`: "Amount must be at least €0.50 eur"; `lead` words what is
    short); nothing is charged. Nothing to charge (0) is no charge, unless the amount
    is what a charge is asked for (a PaymentIntent's `amount`)."""
    if too_small_to_charge(amount, currency) or (not zero_is_no_charge and amount < 1):
        least = _least_charge(currency)
        raise InvalidRequest(
            f"{lead} at least {format_amount(least, currency)} {currency}",
            param=param,
            code="amount_too_small",
        )


def normalize_currency(text: str, *, param: str = "currency") -> str:
    """A lowercase ISO code Stripe supports, or an error naming `param`."""
    code = text.strip().lower()
    if code not in CURRENCIES:
        raise InvalidRequest(f"Invalid {param}: '{text}' is not a supported ISO code", param=param)
    return code


def parse_amount(text: str, currency: str | None, *, param: str = "amount") -> int:
    """Read an amount given on the command line into minor units.

    An integer is already in minor units, as in Stripe; a value with a decimal point
    is in major units, so `-5.00` usd is `-500`. Finer fractions than the currency
    allows, and magnitudes beyond eight digits, are refused.
    """
    digits = text[1:] if text[:1] in "+-" else text
    if digits.isascii() and digits.isdigit() and len(digits) <= MAX_AMOUNT_DIGITS:
        return int(text)  # minor units, as most rows of an import give them
    match = _AMOUNT.match(text.strip())
    if not match:
        raise InvalidRequest(f"Invalid {param}: '{text}' is not a whole number", param=param)
    sign, whole, fraction = match.groups()
    if fraction is None:
        value = int(whole)
    else:
        places = exponent(currency or "usd")
        if len(fraction.rstrip("0")) > places:
            where = f"{currency} has {places} decimal places" if currency else "too many places"
            raise InvalidRequest(
                f"Invalid {param}: '{text}' is finer than allowed ({where})", param=param
            )
        value = int(whole) * 10**places + int((fraction + "0" * places)[:places] or "0")
    if value > MAX_AMOUNT:
        raise InvalidRequest(
            f"Invalid {param}: '{text}' has more than {MAX_AMOUNT_DIGITS} digits", param=param
        )
    return -value if sign == "-" else value


def format_amount(amount: int, currency: str | None) -> str:
    """A human rendering such as `-$5.00`, `¥500` or `€12.30`."""
    code = currency or "usd"
    places = exponent(code)
    magnitude = abs(amount)
    if places:
        major, minor = divmod(magnitude, 10**places)
        number = f"{major:,}.{minor:0{places}d}"
    else:
        number = f"{magnitude:,}"
    symbol = SYMBOLS.get(code)
    body = f"{symbol}{number}" if symbol else f"{number} {code.upper()}"
    return f"-{body}" if amount < 0 else body
