"""Credit notes take tax back per line, as the line was taxed: the line's own formula on
what is credited, all that is left of it when the line is credited whole, so a whole
invoice credited reverses its tax to the cent; a credit of an amount takes the same
share of each rate that is left. Each example recomputed here."""

from __future__ import annotations

from typing import Any

from tests.taxes.conftest import by_rate, exclusive_tax, inclusive_taxes


def _lines(ok: Any, invoice: str) -> list[str]:
    return [line["id"] for line in ok("invoices", "lines", invoice)["data"]]


def test_a_line_credited_in_two_parts_gives_back_exactly_its_tax(
    ok, customer, rate, draft_with, assert_valid, checked_ledger
) -> None:
    """1000 at 20% exclusive (200 of tax), credited 333 then 667: 333 × 20% = 66.6 → 67,
    then the 133 left, not 667 × 20% = 133.4 → 133 by chance but what is left by rule."""
    vat = rate("20")
    invoice = ok("invoices", "finalize", draft_with(customer(), ("1000", [vat]))["id"])
    (line,) = _lines(ok, invoice["id"])
    first = ok("credit-notes", "create", "--invoice", invoice["id"], "--line", f"{line}:333")
    assert_valid(first)
    assert_valid(first["lines"]["data"][0])
    part = exclusive_tax(333, "20")
    assert (by_rate(first["tax_amounts"]), first["total"]) == ({vat: part}, 333 + part)
    assert (first["subtotal"], first["total_excluding_tax"]) == (333, 333)
    cn_line = first["lines"]["data"][0]
    assert (by_rate(cn_line["tax_amounts"]), [r["id"] for r in cn_line["tax_rates"]]) == (
        {vat: part},
        [vat],
    )
    rest = ok("credit-notes", "create", "--invoice", invoice["id"], "--line", f"{line}:667")
    assert by_rate(rest["tax_amounts"]) == {vat: 200 - part}
    assert first["total"] + rest["total"] == invoice["total"] == 1200
    checked_ledger()


def test_a_whole_invoice_credited_line_by_line_reverses_every_rates_tax(
    ok, customer, rate, draft_with, checked_ledger
) -> None:
    """Three lines (inclusive, exclusive, both), each credited in two uneven parts: the
    credit notes' tax per rate adds up to the invoice's, and their totals to its total."""
    vat = rate("20", inclusive=True)
    levy = rate("7.5", name="Levy")
    draft = draft_with(customer(), ("999", [vat]), ("1001", [levy]), ("2503", [vat, levy]))
    invoice = ok("invoices", "finalize", draft["id"])
    ok("invoices", "pay", invoice["id"], "--paid-out-of-band")
    notes = []
    for line, amount in zip(_lines(ok, invoice["id"]), (999, 1001, 2503), strict=True):
        third = amount // 3
        for part in (third, amount - third):
            notes.append(
                ok("credit-notes", "create", "--invoice", invoice["id"], "--line", f"{line}:{part}")
            )
    taken: dict[str, int] = {}
    for note in notes:
        for rate_id, amount in by_rate(note["tax_amounts"]).items():
            taken[rate_id] = taken.get(rate_id, 0) + amount
    assert taken == by_rate(invoice["total_tax_amounts"])
    assert sum(n["total"] for n in notes) == invoice["total"]
    carved = inclusive_taxes(999, ["20"])[0] + inclusive_taxes(2503, ["20"])[0]
    added = exclusive_tax(1001, "7.5") + exclusive_tax(2503 - inclusive_taxes(2503, ["20"])[0],
                                                      "7.5")  # fmt: skip
    assert by_rate(invoice["total_tax_amounts"]) == {vat: carved, levy: added}
    checked_ledger()


def test_a_credit_of_an_amount_takes_its_share_of_each_rate_left(
    ok, customer, rate, draft_with, checked_ledger
) -> None:
    """6.00 of an invoice of 12.00 (2.00 of it tax) takes 1.00 of tax; the other 6.00
    takes the 1.00 left. Each credit note's line is its amount less the exclusive tax."""
    vat = rate("20")
    invoice = ok("invoices", "finalize", draft_with(customer(), ("1000", [vat]))["id"])
    half = ok("credit-notes", "create", "--invoice", invoice["id"], "--amount", "600")
    assert (half["total"], half["total_excluding_tax"]) == (600, 500)
    assert by_rate(half["tax_amounts"]) == {vat: 100}
    (line,) = half["lines"]["data"]
    assert (line["type"], line["amount"], by_rate(line["tax_amounts"])) == (
        "custom_line_item",
        500,
        {vat: 100},
    )
    rest = ok("credit-notes", "create", "--invoice", invoice["id"], "--amount", "600")
    assert by_rate(rest["tax_amounts"]) == {vat: 100}
    after = ok("invoices", "show", invoice["id"])
    assert (after["amount_remaining"], after["status"]) == (0, "paid")
    checked_ledger()


def test_a_credited_line_gives_back_its_discount_then_tax_on_what_is_left(
    ok, customer, rate, draft_with, checked_ledger
) -> None:
    """1000 with a 10% coupon at 20% exclusive: crediting the line gives back 1000 less
    its 100 of discount plus 180 of tax."""
    ok("coupons", "create", "--id", "TEN", "--percent-off", "10", "--duration", "forever")
    vat = rate("20")
    draft = draft_with(customer(), ("1000", [vat]), extra=("--coupon", "TEN"))
    invoice = ok("invoices", "finalize", draft["id"])
    (line,) = _lines(ok, invoice["id"])
    note = ok("credit-notes", "create", "--invoice", invoice["id"], "--line", f"{line}:1000")
    tax = exclusive_tax(900, "20")
    assert (note["discount_amount"], by_rate(note["tax_amounts"])) == (100, {vat: tax})
    assert note["total"] == 1000 - 100 + tax == invoice["total"]
    assert note["total_excluding_tax"] == 900
    checked_ledger()
