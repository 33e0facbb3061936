"""Credit notes and their lines as Stripe shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from billcli.core.discount_objects import discount_amounts

if TYPE_CHECKING:
    from billcli.core.records.credit_notes import CreditNote, CreditNoteLine


def credit_note_line(line: CreditNoteLine) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "id": line.id,
        "object": "credit_note_line_item",
        "amount": line.amount,
        "amount_excluding_tax": line.amount,
        "description": line.description,
        "discount_amount": line.discount_amount,
        "discount_amounts": [],
        "livemode": False,
        "quantity": line.quantity,
        "tax_amounts": [],
        "tax_rates": [],
        "type": line.type,
        "unit_amount": line.unit_amount,
        "unit_amount_decimal": None if line.unit_amount is None else str(line.unit_amount),
        "unit_amount_excluding_tax": None if line.unit_amount is None else str(line.unit_amount),
    }
    if line.invoice_line_item is not None:
        shown["invoice_line_item"] = line.invoice_line_item
    return shown


def credit_note(
    cn: CreditNote, lines: list[CreditNoteLine], *, has_more: bool, pdf: str
) -> dict[str, Any]:
    """The `credit_note` with its first lines embedded as a list object."""
    return {
        "id": cn.id,
        "object": "credit_note",
        "amount": cn.total,
        "amount_shipping": 0,
        "created": cn.created,
        "currency": cn.currency,
        "customer": cn.customer,
        "customer_balance_transaction": cn.customer_balance_transaction,
        "discount_amount": cn.discount_amount,
        "discount_amounts": discount_amounts(cn.discount_amount, cn.discount),
        "effective_at": cn.created if cn.effective_at is None else cn.effective_at,
        "invoice": cn.invoice,
        "lines": {
            "object": "list",
            "data": [credit_note_line(line) for line in lines],
            "has_more": has_more,
            "url": f"/v1/credit_notes/{cn.id}/lines",
        },
        "livemode": False,
        "memo": cn.memo,
        "metadata": dict(cn.metadata),
        "number": cn.number,
        "out_of_band_amount": cn.out_of_band_amount or None,
        "pdf": pdf,
        "reason": cn.reason,
        "refund": cn.refund,
        "shipping_cost": None,
        "status": cn.status,
        "subtotal": cn.subtotal,
        "subtotal_excluding_tax": cn.subtotal,
        "tax_amounts": [],
        "total": cn.total,
        "total_excluding_tax": cn.total,
        "type": cn.type,
        "voided_at": cn.voided_at,
    }
