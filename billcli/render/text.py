"""Plain-text renderings of values shared by tables and details (no rich here)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from billcli.core.dates import utc_text
from billcli.core.discounts import off_words
from billcli.core.money import format_amount
from billcli.core.periods import interval_words
from billcli.core.tax import label


def when(timestamp: int | None, *, short: bool = False) -> str:
    """A readable UTC date and time (`short` drops the zone, for table columns)."""
    return "" if timestamp is None else utc_text(timestamp, short=short)


def money(amount: int | None, currency: str | None) -> str:
    """An amount in its currency; a bare number while an object has no currency yet."""
    if amount is None:
        return ""
    return format_amount(amount, currency) if currency else str(amount)


def past_due(due_date: int | None, now: int) -> str:
    """How long an unpaid invoice has been past its due date, as a person says it
    (`59 days past due`); nothing when it is not past due."""
    if due_date is None or now <= due_date:
        return ""
    days = (now - due_date) // 86_400
    if days == 0:
        return "less than a day past due"
    return f"{days} day{'' if days == 1 else 's'} past due"


def balance_words(balance: int, currency: str | None) -> str:
    """A customer balance as an operator reads it: credit is negative in Stripe."""
    if balance < 0:
        return f"credit of {format_amount(-balance, currency)}"
    if balance > 0:
        return f"owes {format_amount(balance, currency)}"
    return f"none ({format_amount(0, currency)})"


def metadata(value: dict[str, Any] | None) -> str:
    return ", ".join(f"{k}={v}" for k, v in (value or {}).items())


def plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def invoice_lines(lines: list[dict[str, Any]], currency: str) -> list[tuple[str, str, str, str]]:
    """Description, quantity, unit price and amount of each line, as every view shows them."""
    rows = []
    for line in lines:
        unit = _unit_price(line)
        rows.append(
            (
                line.get("description") or "—",
                str(1 if line.get("quantity") is None else line["quantity"]),
                "" if unit is None else money(unit, currency),
                money(line["amount"], currency),
            )
        )
    return rows


def _unit_price(line: dict[str, Any]) -> int | None:
    """A line's price per unit as billed: with inclusive tax inside, the price's, or the
    amount per unit (its `unit_amount_excluding_tax` is then the net, not what the
    customer was quoted)."""
    inside = any(t["inclusive"] for t in line.get("tax_amounts") or [])
    if not inside:
        unit = line.get("unit_amount_excluding_tax")
        return None if unit is None else int(unit)
    price = line.get("price") or {}
    if price.get("unit_amount") is not None:
        return int(price["unit_amount"])
    quantity = line.get("quantity") or 1
    return line["amount"] // quantity if line["amount"] % quantity == 0 else None


def rate_words(r: dict[str, Any]) -> str:
    """`VAT 20% (inclusive)`: a tax rate as it reads on an invoice."""
    return label(r["display_name"], r["percentage"], r["inclusive"])


def known_rates(o: dict[str, Any], lines: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The tax rates an invoice's object embeds (its defaults, its lines' own), by id."""
    rates = {r["id"]: r for r in o.get("default_tax_rates") or []}
    for line in lines:
        rates.update({r["id"]: r for r in line.get("tax_rates") or []})
    return rates


def tax_rows(
    amounts: Iterable[dict[str, Any]], rates: dict[str, Any], currency: str
) -> list[tuple[str, str]]:
    """One row per rate and the tax it made (`VAT 20% (inclusive)`: that much of the
    subtotal is tax)."""
    return [
        (
            rate_words(rates[t["tax_rate"]]) if t["tax_rate"] in rates else t["tax_rate"],
            money(t["amount"], currency),
        )
        for t in amounts
    ]


def invoice_totals(
    o: dict[str, Any], lines: Iterable[dict[str, Any]] | None = None
) -> list[tuple[str, str]]:
    """The totals block of an invoice, shared by the terminal, the web page and the PDF:
    the tax of each rate named as the invoice's `lines` (its embedded ones when not
    given) and defaults name them."""
    currency = o["currency"]
    starting, ending = o["starting_balance"], o.get("ending_balance")
    rows = [("Subtotal", money(o["subtotal"], currency))]
    if o.get("discount"):
        coupon = o["discount"]["coupon"]
        off = off_words(coupon["percent_off"], coupon["amount_off"], coupon["currency"])
        named = f"Discount ({coupon['name'] or coupon['id']}, {off})"
        taken = sum(d["amount"] for d in o["total_discount_amounts"])
        rows.append((named, money(-taken, currency)))
    if o.get("total_tax_amounts"):
        rows.append(("Total excluding tax", money(o["total_excluding_tax"], currency)))
        rates = known_rates(o, o["lines"]["data"] if lines is None else lines)
        rows += tax_rows(o["total_tax_amounts"], rates, currency)
    rows.append(("Total", money(o["total"], currency)))
    if o.get("pre_payment_credit_notes_amount"):
        rows.append(("Credit notes", money(-o["pre_payment_credit_notes_amount"], currency)))
    rows.append(("Customer balance before", balance_words(starting, currency)))
    if ending is not None:
        rows.append(("Customer balance after", balance_words(ending, currency)))
    rows += [
        ("Amount due", money(o["amount_due"], currency)),
        ("Paid", money(o["amount_paid"], currency)),
        ("Remaining", money(o["amount_remaining"], currency)),
    ]
    return rows


def credit_note_lines(
    lines: list[dict[str, Any]], currency: str
) -> list[tuple[str, str, str, str]]:
    """Description, quantity, unit and amount credited (before its discount share)."""
    return [
        (
            line.get("description") or "—",
            "" if line.get("quantity") is None else str(line["quantity"]),
            "" if line.get("unit_amount") is None else money(line["unit_amount"], currency),
            money(line["amount"], currency),
        )
        for line in lines
    ]


def credit_note_totals(
    cn: dict[str, Any], refunded: int, lines: Iterable[dict[str, Any]] = ()
) -> list[tuple[str, str]]:
    """A credit note's totals with the tax it takes back per rate (named as its `lines`
    name them), and where its money went (`refunded`: to the card; the object names its
    refund, not the amount)."""
    currency = cn["currency"]
    rows = [("Subtotal", money(cn["subtotal"], currency))]
    if cn["discount_amount"]:
        rows.append(("Less its discount", money(-cn["discount_amount"], currency)))
    if cn.get("tax_amounts"):
        rows.append(("Total excluding tax", money(cn["total_excluding_tax"], currency)))
        rows += tax_rows(cn["tax_amounts"], known_rates({}, lines), currency)
    rows.append(("Total", money(cn["total"], currency)))
    outside = cn.get("out_of_band_amount") or 0
    credited = cn["total"] - outside - refunded
    if cn["type"] == "pre_payment":
        rows.append(("Taken off the invoice", money(cn["total"], currency)))
    else:
        rows += [
            ("To the customer's balance", money(credited, currency)),
            ("Refunded", money(refunded, currency)),
            ("Out of band", money(outside, currency)),
        ]
    return rows


def price_words(p: dict[str, Any], currency: str | None = None) -> str:
    """`$20.00 / month`, `tiered (graduated) / 3 months`, `$9.00` (one time), `$0.02 a
    unit used / month` (metered); in `currency` (a subscription's, None: the price's
    own), the amount of the price's option in it (`€18.00 / month`), which is what a
    customer billed in that currency pays."""
    option = (p.get("currency_options") or {}).get(currency) if currency else None
    if p.get("billing_scheme") == "tiered":
        what = f"tiered ({p.get('tiers_mode')})"
    elif option is not None:
        what = money(option.get("unit_amount"), currency)
    else:
        what = money(p.get("unit_amount"), p.get("currency"))
    recurring = p.get("recurring")
    if not recurring:
        return what
    if recurring.get("usage_type") == "metered":
        what += " usage" if p.get("billing_scheme") == "tiered" else " a unit used"
    return f"{what} / {interval_words(recurring['interval'], recurring['interval_count'])}"


def item_words(item: dict[str, Any], currency: str | None = None) -> str:
    """A subscription item: `3 × $20.00 / month`, or a metered one's price alone (in the
    subscription's `currency`, as `price_words`)."""
    price = item["price"]
    if "quantity" not in item:
        return price_words(price, currency)
    return f"{item['quantity']} × {price_words(price, currency)}"
