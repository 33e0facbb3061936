"""Tax rates and the tax they make: the one module every money path calls.

Stripe's manual tax rates (no automatic tax). A line's tax is computed per line and
per rate on the line's amount after its discounts, each rounded half up to the minor
unit (Stripe's tax-rate docs: "0.5 will be rounded to 1"; half away from zero for a
negative line, as localstripe, Stripe's own emulator, rounds −416.5 to −417); an
invoice's tax is the sum of its lines' rounded amounts, never a rounding of the sum.

- An exclusive rate adds `net × p / 100` on top of the line.
- Inclusive rates are carved out of the line: with `P` the sum of its inclusive
  percentages, each takes `amount × p / (100 + P)` and the line's net is what is left.
  Exclusive rates on the same line then apply to that net.
- Every tax amount of a line names the same `taxable_amount`: that net.

So an invoice's `total` is its subtotal less its discounts plus its exclusive tax;
inclusive tax is already in the subtotal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from billcli.core.periods import prorate
from billcli.errors import InvalidRequest

# "You can add up to five tax rates to each line item" and "up to five default tax rates
# to each invoice" (Stripe's invoicing tax-rates docs); billcli holds subscriptions and
# their items to the same five.
MAX_RATES = 5
# The `tax_type` values of the 2023-08-16 request and object schemas.
TAX_TYPES = (
    "amusement_tax",
    "communications_tax",
    "gst",
    "hst",
    "igst",
    "jct",
    "lease_tax",
    "pst",
    "qst",
    "rst",
    "sales_tax",
    "service_tax",
    "vat",
)
TAX_BEHAVIORS = ("exclusive", "inclusive", "unspecified")
# A percentage is kept exactly as ten-thousandths of a percent (four decimal places).
SCALE = 10_000
WHOLE = 100 * SCALE
_PERCENTAGE = re.compile(r"^\d{1,3}(\.\d{1,4})?$")
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


@dataclass(frozen=True)
class Rate:
    """What the arithmetic needs of a tax rate: its id, its exact percentage in
    ten-thousandths, and whether it is carved out of the amount."""

    id: str
    scaled: int
    inclusive: bool


@dataclass(frozen=True)
class TaxAmount:
    """One rate's tax on one line (or summed over lines): the amount, the net it was
    computed on, and whether it is inside the line's amount."""

    tax_rate: str
    amount: int
    taxable_amount: int
    inclusive: bool

    def stored(self) -> dict[str, Any]:
        return {
            "tax_rate": self.tax_rate,
            "amount": self.amount,
            "taxable_amount": self.taxable_amount,
            "inclusive": self.inclusive,
        }


def loaded(stored: Iterable[Mapping[str, Any]]) -> list[TaxAmount]:
    """Tax amounts as records keep them (JSON), back as values."""
    return [
        TaxAmount(s["tax_rate"], int(s["amount"]), int(s["taxable_amount"]), bool(s["inclusive"]))
        for s in stored
    ]


def kept(amounts: Iterable[TaxAmount]) -> list[dict[str, Any]]:
    return [a.stored() for a in amounts]


def scaled(percentage: float) -> int:
    """A stored percentage in ten-thousandths, exactly (it was given with at most four
    decimals, which a float's shortest repr gives back)."""
    return int(Decimal(repr(percentage)) * SCALE)


def rate_of(rate_id: str, percentage: float, inclusive: bool) -> Rate:
    return Rate(rate_id, scaled(percentage), inclusive)


def line_taxes(amount: int, rates: Sequence[Rate]) -> list[TaxAmount]:
    """The tax of each rate on a line of `amount` (after its discounts), in the order
    the rates are given (see the module's rule)."""
    carved = sum(r.scaled for r in rates if r.inclusive)
    inside = {r.id: prorate(amount, r.scaled, WHOLE + carved) for r in rates if r.inclusive}
    net = amount - sum(inside.values())
    return [
        TaxAmount(
            r.id,
            inside[r.id] if r.inclusive else prorate(net, r.scaled, WHOLE),
            net,
            r.inclusive,
        )
        for r in rates
    ]


def summed(per_line: Iterable[Iterable[TaxAmount]]) -> list[TaxAmount]:
    """Tax amounts summed per rate over lines, in the order each rate first appears:
    an invoice's `total_tax_amounts` from its lines'."""
    totals: dict[str, TaxAmount] = {}
    for line in per_line:
        for t in line:
            was = totals.get(t.tax_rate)
            totals[t.tax_rate] = (
                t
                if was is None
                else TaxAmount(
                    t.tax_rate,
                    was.amount + t.amount,
                    was.taxable_amount + t.taxable_amount,
                    t.inclusive,
                )
            )
    return list(totals.values())


def exclusive(amounts: Iterable[TaxAmount]) -> int:
    """What the amounts add on top of the lines."""
    return sum(t.amount for t in amounts if not t.inclusive)


def inclusive(amounts: Iterable[TaxAmount]) -> int:
    """What the amounts carve out of the lines."""
    return sum(t.amount for t in amounts if t.inclusive)


@dataclass(frozen=True)
class Totals:
    """An invoice's or a credit note's money once taxed (Stripe's fields, 2023 names)."""

    subtotal: int
    discount: int
    taxes: list[TaxAmount]

    @property
    def tax(self) -> int:
        return sum(t.amount for t in self.taxes)

    @property
    def total(self) -> int:
        return self.subtotal - self.discount + exclusive(self.taxes)

    @property
    def subtotal_excluding_tax(self) -> int:
        return self.subtotal - inclusive(self.taxes)

    @property
    def total_excluding_tax(self) -> int:
        return self.total - self.tax


def credited_taxes(
    rates: Sequence[Rate],
    net: int,
    line: Sequence[TaxAmount],
    before: Mapping[str, int],
    *,
    completes: bool,
) -> list[TaxAmount]:
    """The tax a credit of `net` (after its discount share) takes back from an invoice
    line that carried `line`, of which earlier credits took `before` per rate: the line's
    own formula on `net`, never more than is left of each rate, and exactly what is left
    when the credit completes the line, so crediting a whole line (or invoice) reverses
    its tax to the cent."""
    computed = {t.tax_rate: t.amount for t in line_taxes(net, rates)}
    amounts = {}
    for t in line:
        left = t.amount - before.get(t.tax_rate, 0)
        wanted = computed.get(t.tax_rate, 0)
        amounts[t.tax_rate] = left if completes else _within(wanted, left)
    return _on(net, line, amounts)


def shared_taxes(left: Sequence[TaxAmount], total_left: int, credited: int) -> list[TaxAmount]:
    """The tax of a credit of `credited` (tax included) against what is left of an
    invoice (`total_left`, of which `left` is still tax per rate): the same share of each
    rate, all of it when the credit takes all that is left. The credit's net is what
    remains of it once every share is taken out."""
    amounts = {
        t.tax_rate: t.amount if credited == total_left else prorate(t.amount, credited, total_left)
        for t in left
        if total_left > 0
    }
    net = credited - sum(amounts.values())
    return [TaxAmount(t.tax_rate, amounts.get(t.tax_rate, 0), net, t.inclusive) for t in left]


def _within(wanted: int, left: int) -> int:
    """`wanted`, no further from zero than `left` and never past it."""
    if left >= 0:
        return max(0, min(wanted, left))
    return min(0, max(wanted, left))


def _on(net: int, line: Sequence[TaxAmount], amounts: Mapping[str, int]) -> list[TaxAmount]:
    """A credited line's tax amounts, `net` being what it credits after its discount:
    each names what is left of it once its inclusive tax is out."""
    base = net - sum(amounts[t.tax_rate] for t in line if t.inclusive)
    return [TaxAmount(t.tax_rate, amounts[t.tax_rate], base, t.inclusive) for t in line]


def check_percentage(value: str | float) -> float:
    """A percentage from 0 to 100 with at most four decimal places."""
    text = value if isinstance(value, str) else repr(value)
    text = text[:-2] if text.endswith(".0") else text
    if not _PERCENTAGE.match(text) or Decimal(text) > 100:
        raise InvalidRequest(
            f"Invalid percentage: '{value}' (from 0 to 100, at most four decimal places)",
            param="percentage",
        )
    return float(text)


def check_tax_type(value: str | None) -> str | None:
    if value is not None and value not in TAX_TYPES:
        raise InvalidRequest(
            f"Invalid tax_type: '{value}' ({', '.join(TAX_TYPES)})", param="tax_type"
        )
    return value


def check_country(value: str | None) -> str | None:
    """A two-letter country code, kept as Stripe shows it (upper case)."""
    if value is None or value == "":
        return None
    if not _COUNTRY.match(value):
        raise InvalidRequest(
            f"Invalid country: '{value}' (a two-letter ISO 3166-1 code, such as DE)",
            param="country",
        )
    return value.upper()


def check_rate_ids(ids: Sequence[str], param: str) -> list[str]:
    """At most five rates, none twice."""
    if len(ids) > MAX_RATES:
        raise InvalidRequest(
            f"Invalid {param}: {len(ids)} tax rates; at most {MAX_RATES} apply to one "
            "line, invoice or subscription",
            param=param,
        )
    seen: set[str] = set()
    for n, rate_id in enumerate(ids):
        if rate_id in seen:
            raise InvalidRequest(
                f"Invalid {param}[{n}]: {rate_id} is given twice", param=f"{param}[{n}]"
            )
        seen.add(rate_id)
    return list(ids)


def item_rates(
    specs: Sequence[str],
    param: str = "item_tax_rates",
    *,
    option: str | None = None,
    item_words: str = "a price or subscription item id",
) -> dict[str, list[str]]:
    """`ITEM=TXR` options (repeatable) grouped by item in the order given; `ITEM=` alone
    removes that item's rates. A bad one is named as the API's `param[n]`, or, when the
    command line's `option` is given, as the option the user typed; `item_words` say what
    ITEM may be where it is given (a Checkout Session takes only prices)."""
    grouped: dict[str, list[str]] = {}
    for n, spec in enumerate(specs):
        item, equals, rate = spec.partition("=")
        if not equals or not item:
            named = f"{param}[{n}]" if option is None else param
            typed = f"'{spec}'" if option is None else f"{option} '{spec}'"
            raise InvalidRequest(
                f"Invalid {named}: {typed} (ITEM=TXR: {item_words}, and a tax rate)",
                param=named,
            )
        grouped.setdefault(item, [])
        if rate:
            grouped[item].append(rate)
    return grouped


def percent_words(percentage: float) -> str:
    """`20`, `8.5`, `7.0001`: a percentage as people write it."""
    text = format(Decimal(repr(percentage)).normalize(), "f")
    return text


def label(display_name: str, percentage: float, inclusive: bool) -> str:
    """`VAT 20% (inclusive)`: how a rate reads on an invoice, its page and its PDF."""
    return f"{display_name} {percent_words(percentage)}%" + (" (inclusive)" if inclusive else "")
