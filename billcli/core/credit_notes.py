"""Credit notes: how much may be credited, where the money goes, in integers.

Facts §6 and billcli-decisions ("Coupons and credit notes"). A credit note on an open
or uncollectible invoice (`pre_payment`) lowers what remains due; on a paid one
(`post_payment`) its total goes to the customer's balance, back to the card, or
outside billcli, and those three add up to the total. Together the credit notes of an
invoice never exceed its total. A line is credited by amount or by quantity (never
both, across credit notes), net of the share of the invoice's discount it carried:
the shares telescope, so crediting a whole line gives back exactly its discount.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from billcli.core.money import format_amount, parse_amount
from billcli.errors import InvalidRequest

REASONS = ("duplicate", "fraudulent", "order_change", "product_unsatisfactory")
PRE_PAYMENT_STATUSES = ("open", "uncollectible")
_LINE = re.compile(r"^([a-z]+_[0-9A-Za-z]+):(x?)(.+)$")
_CUSTOM = re.compile(r"^([^:x]+)(?:x([^:]*))?:(.*)$", re.DOTALL)


def kind_of(invoice_id: str, status: str) -> str:
    """`pre_payment` or `post_payment`, from the invoice's status; drafts and voided
    invoices take no credit notes."""
    if status in PRE_PAYMENT_STATUSES:
        return "pre_payment"
    if status == "paid":
        return "post_payment"
    raise InvalidRequest(
        f"Invalid invoice: {invoice_id} is {status}; credit notes are for open, "
        "uncollectible and paid invoices",
        param="invoice",
    )


def number(invoice_number: str, earlier: int) -> str:
    """`{invoice number}-CN-01`, two digits, growing past 99."""
    return f"{invoice_number}-CN-{earlier + 1:02d}"


@dataclass(frozen=True)
class LineAsk:
    """One `--line`: an invoice line, and an amount or a quantity of it."""

    line: str
    amount: int | None
    quantity: int | None
    currency: str


def parse_line(spec: str, currency: str, n: int) -> LineAsk:
    """`IL:AMOUNT` or `IL:xQUANTITY`."""
    param = f"lines[{n}]"
    found = _LINE.match(spec)
    if not found:
        raise InvalidRequest(
            f"Invalid {param}: '{spec}' (LINE:AMOUNT or LINE:xQUANTITY, LINE an invoice "
            "line id il_…)",
            param=param,
        )
    line, by_quantity, value = found.groups()
    if by_quantity:
        if not (value.isascii() and value.isdigit()) or int(value) < 1:
            raise InvalidRequest(
                f"Invalid {param}[quantity]: '{value}' (a whole number, 1 or more)",
                param=f"{param}[quantity]",
            )
        return LineAsk(line, None, int(value), currency)
    amount = parse_amount(value, currency, param=f"{param}[amount]")
    if amount <= 0:
        raise InvalidRequest(
            f"Invalid {param}[amount]: it must be positive", param=f"{param}[amount]"
        )
    return LineAsk(line, amount, None, currency)


@dataclass(frozen=True)
class CustomLine:
    """A line of the credit note's own (`custom_line_item`): no invoice line is credited,
    and no discount is given back."""

    description: str
    quantity: int
    unit_amount: int

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_amount


def parse_custom_line(spec: str, currency: str, n: int) -> CustomLine:
    """`UNIT_AMOUNT[xQUANTITY]:DESCRIPTION` (`500x2:Broken screen`)."""
    param = f"custom_lines[{n}]"
    found = _CUSTOM.match(spec)
    if not found or not found.group(3).strip():
        raise InvalidRequest(
            f"Invalid {param}: '{spec}' (UNIT_AMOUNT[xQUANTITY]:DESCRIPTION, with a description)",
            param=param,
        )
    unit_text, quantity_text, description = found.groups()
    unit_amount = parse_amount(unit_text, currency, param=f"{param}[unit_amount]")
    if unit_amount <= 0:
        raise InvalidRequest(
            f"Invalid {param}[unit_amount]: it must be positive", param=f"{param}[unit_amount]"
        )
    quantity = 1
    if quantity_text is not None:
        if not (quantity_text.isascii() and quantity_text.isdigit()) or int(quantity_text) < 1:
            raise InvalidRequest(
                f"Invalid {param}[quantity]: '{quantity_text}' (a whole number, 1 or more)",
                param=f"{param}[quantity]",
            )
        quantity = int(quantity_text)
    return CustomLine(description.strip(), quantity, unit_amount)


@dataclass(frozen=True)
class LineSoFar:
    """What earlier credit notes took of one invoice line."""

    amount: int = 0
    quantity: int = 0
    by_quantity: bool = False
    by_amount: bool = False


@dataclass(frozen=True)
class InvoiceLine:
    """The part of an invoice line a credit note needs."""

    id: str
    amount: int
    quantity: int
    unit_amount: int | None
    discount_amount: int
    description: str | None


@dataclass(frozen=True)
class LineCredit:
    """What a credit note line takes: before the discount, the discount share, how many."""

    amount: int
    discount_amount: int
    quantity: int | None
    unit_amount: int | None


def credit_line(line: InvoiceLine, ask: LineAsk, so_far: LineSoFar, n: int) -> LineCredit:
    """Credit part of an invoice line, within what is left of it."""
    param = f"lines[{n}]"
    if line.amount <= 0:
        raise InvalidRequest(
            f"Invalid {param}: {line.id} credits the customer already; nothing to credit",
            param=param,
        )
    if ask.quantity is not None:
        if so_far.by_amount:
            raise InvalidRequest(
                f"Invalid {param}[quantity]: {line.id} was credited by amount before; "
                "credit it by amount",
                param=f"{param}[quantity]",
            )
        if line.unit_amount is None or line.unit_amount * line.quantity != line.amount:
            raise InvalidRequest(
                f"Invalid {param}[quantity]: {line.id} has no single unit price; credit it "
                "by amount",
                param=f"{param}[quantity]",
            )
        left = line.quantity - so_far.quantity
        if ask.quantity > left:
            raise InvalidRequest(
                f"Invalid {param}[quantity]: {ask.quantity} is more than the {left} of "
                f"{line.id} left to credit",
                param=f"{param}[quantity]",
            )
        gross = line.unit_amount * ask.quantity
        quantity, unit = ask.quantity, line.unit_amount
    else:
        if so_far.by_quantity:
            raise InvalidRequest(
                f"Invalid {param}[amount]: {line.id} was credited by quantity before; "
                "credit it by quantity",
                param=f"{param}[amount]",
            )
        gross = int(ask.amount or 0)
        left = line.amount - so_far.amount
        if gross > left:
            raise InvalidRequest(
                f"Invalid {param}[amount]: {format_amount(gross, ask.currency)} is more than "
                f"the {format_amount(left, ask.currency)} of {line.id} left to credit",
                param=f"{param}[amount]",
            )
        quantity, unit = None, None
    before = so_far.amount
    share = (
        line.discount_amount * (before + gross) // line.amount
        - line.discount_amount * before // line.amount
    )
    return LineCredit(gross, share, quantity, unit)


@dataclass(frozen=True)
class Refunds:
    """Where a post-payment credit note's total goes."""

    credit: int
    refund: int
    out_of_band: int


def split(
    total: int,
    kind: str,
    given: dict[str, int | None],
    *,
    refundable: int,
    currency: str,
) -> Refunds:
    """Pre-payment: nothing moves. Post-payment: what was asked, adding up to the total
    (all of it to the customer's balance when nothing was asked)."""
    asked = {name: value for name, value in given.items() if value is not None}
    for name, value in asked.items():
        if value < 0:
            raise InvalidRequest(f"Invalid {name}: it cannot be negative", param=name)
    if kind == "pre_payment":
        if asked:
            name = next(iter(asked))
            raise InvalidRequest(
                f"Invalid {name}: the invoice is not paid yet; a credit note lowers what it "
                "still owes (credit, refund and out-of-band amounts are for paid invoices)",
                param=name,
            )
        return Refunds(0, 0, 0)
    if not asked:
        return Refunds(total, 0, 0)
    credit = asked.get("credit_amount", 0)
    refund = asked.get("refund_amount", 0)
    outside = asked.get("out_of_band_amount", 0)
    if credit + refund + outside != total:
        raise InvalidRequest(
            f"Invalid credit_amount: credit ({format_amount(credit, currency)}), refund "
            f"({format_amount(refund, currency)}) and out of band "
            f"({format_amount(outside, currency)}) add up to "
            f"{format_amount(credit + refund + outside, currency)}, not to the credit note's "
            f"total ({format_amount(total, currency)})",
            param="credit_amount",
        )
    if refund > refundable:
        raise InvalidRequest(
            f"Invalid refund_amount: only {format_amount(refundable, currency)} was paid by "
            "card and not yet refunded",
            param="refund_amount",
        )
    return Refunds(credit, refund, outside)


def check_room(total: int, room: int, currency: str, *, param: str) -> None:
    """Refuse a credit note larger than what the invoice still allows, or of nothing."""
    if total <= 0:
        raise InvalidRequest(f"Invalid {param}: a credit note credits something", param=param)
    if total > room:
        raise InvalidRequest(
            f"Invalid {param}: {format_amount(total, currency)} is more than the "
            f"{format_amount(max(room, 0), currency)} this invoice can still be credited",
            param=param,
        )


def kept_of_line(net: int, amount_only: int, invoice_net: int) -> Fraction:
    """What a line still stands for once its invoice's amount-only credit notes took
    `amount_only` back: such a note names no line, so it takes back the same share of
    every line (`invoice_net` being the lines' sum after the credit notes on lines).
    Exact, so that a credit for unused time adds the shares up before it rounds."""
    if amount_only <= 0 or invoice_net <= 0:
        return Fraction(net)
    return Fraction(net * (invoice_net - amount_only), invoice_net)
