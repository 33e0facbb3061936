"""The Stripe-shaped `invoice`, `invoiceitem` and invoice `line_item`.

API 2023-08-16 shapes: every property the schema lists, null where billcli has nothing
to say. An item and the line it makes share what they bill for (`_billed`). Tax rates are
embedded whole (`tax_rates`, `default_tax_rates`), as Stripe embeds them; the caller
gives them, read from the ledger.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from billcli.core import catalog_objects
from billcli.core.discount_objects import discount_amounts
from billcli.core.invoicing import automatically_finalizes_at
from billcli.core.tax_objects import carved, tax_amounts, tax_sum, totals

if TYPE_CHECKING:
    from billcli.core.records import Customer
    from billcli.core.records.catalog import Price
    from billcli.core.records.invoices import Invoice, InvoiceItem


def _billed(item: InvoiceItem, price: Price | None) -> dict[str, Any]:
    """What an item and the line it makes share: its price (and legacy plan), period,
    subscription and proration."""
    shown: dict[str, Any] = {
        "discountable": item.discountable,
        "discounts": [held["discount"] for held in item.item_discounts],
        "period": {
            "start": item.created if item.period_start is None else item.period_start,
            "end": item.created if item.period_end is None else item.period_end,
        },
        "price": None if price is None else catalog_objects.price(price),
        "proration": item.proration,
        "subscription": item.subscription,
    }
    if price is not None and price.interval is not None:
        shown["plan"] = catalog_objects.plan(price)
    if item.subscription_item is not None:
        shown["subscription_item"] = item.subscription_item
    return shown


def _proration_discounts(item: InvoiceItem) -> list[dict[str, Any]]:
    """The discount a proration's amount is net of, and what it took off (Stripe's
    `proration_discounts: included`; the line's own `discount_amounts` stay empty, as a
    proration is not discountable)."""
    if item.proration_discount is None:
        return []
    return [{"amount": item.proration_discount_amount, "discount": item.proration_discount}]


def _in_stripes_order(shown: dict[str, Any]) -> dict[str, Any]:
    """`id` and `object` first, then the rest alphabetically, as Stripe prints them."""
    head = {key: shown[key] for key in ("id", "object")}
    return head | {key: shown[key] for key in sorted(shown) if key not in head}


def unit_excluding_tax(
    amount: int, amount_excluding_tax: int, quantity: int, unit: int | None
) -> str | None:
    """`unit_amount_excluding_tax`: the unit price less its share of inclusive tax, as a
    decimal string (the unit price itself when no inclusive tax is inside)."""
    if unit is None or quantity == 0 or amount_excluding_tax == amount:
        return None if unit is None else str(unit)
    exact = Decimal(amount_excluding_tax) / quantity
    return format(exact.quantize(Decimal("1.000000000000")).normalize(), "f")


def invoice_item(
    item: InvoiceItem,
    price: Price | None = None,
    rates: list[dict[str, Any]] | None = None,
    *,
    test_clock: str | None = None,
) -> dict[str, Any]:
    """The `invoiceitem` object (a pending item has `invoice: null`), with its own tax
    `rates` and the test clock its customer lives on."""
    return _in_stripes_order(
        {
            "id": item.id,
            "object": "invoiceitem",
            "amount": item.amount,
            "currency": item.currency,
            "customer": item.customer,
            "date": item.created,
            "description": item.description,
            "invoice": item.invoice,
            "proration_details": {"discount_amounts": _proration_discounts(item)},
            "livemode": False,
            "metadata": dict(item.metadata),
            "quantity": item.quantity,
            "tax_rates": rates or [],
            "test_clock": test_clock,
            "unit_amount": item.unit_price,
            "unit_amount_decimal": None if item.unit_price is None else str(item.unit_price),
            **_billed(item, price),
        }
    )


def line_item(
    item: InvoiceItem,
    price: Price | None = None,
    *,
    discount: str | None = None,
    rates: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The invoice `line_item` of an attached item or of a subscription's period, with
    what the invoice's `discount` takes off it (discountable lines only), its own tax
    `rates` and the tax it carries."""
    excluding = item.amount - carved(item.tax_amounts)
    shown = {
        "id": item.line_id,
        "object": "line_item",
        "amount": item.amount,
        "amount_excluding_tax": excluding,
        "currency": item.currency,
        "description": item.description,
        "discount_amounts": [dict(held) for held in item.item_discounts]
        + (discount_amounts(item.discount_amount, discount) if item.discountable else []),
        "livemode": False,
        "metadata": dict(item.metadata),
        "proration_details": {
            "credited_items": None,
            "discount_amounts": _proration_discounts(item),
        }
        if item.proration
        else None,
        "quantity": item.quantity,
        "tax_amounts": tax_amounts(item.tax_amounts),
        "tax_rates": rates or [],
        "type": item.type,
        "unit_amount_excluding_tax": unit_excluding_tax(
            item.amount, excluding, item.quantity, item.unit_price
        ),
        **_billed(item, price),
    }
    if item.type == "invoiceitem":
        shown["invoice_item"] = item.id
    return _in_stripes_order(shown)


def _rendering(held: dict[str, Any] | None) -> dict[str, Any] | None:
    """`rendering` (newer than the 2023 schema, which has `rendering_options`)."""
    if held is None:
        return None
    return {
        "amount_tax_display": held.get("amount_tax_display"),
        "pdf": held.get("pdf"),
        "template": None,
        "template_version": None,
    }


def invoice(
    inv: Invoice,
    lines: dict[str, Any],
    customer: Customer,
    *,
    public_url: str,
    finalization_error: dict[str, Any] | None = None,
    subscription_metadata: dict[str, str] | None = None,
    customer_tax_ids: list[dict[str, str]] | None = None,
    discount: dict[str, Any] | None = None,
    default_tax_rates: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The `invoice` object with its first lines embedded as a list object.

    A draft mirrors its customer (name, email, the balance it would start from); the
    finalized invoice keeps what it had at finalization.
    """
    draft = inv.status == "draft"
    page = f"{public_url}/i/{inv.page_secret}" if inv.page_secret else None
    starting = customer.balance if draft else inv.starting_balance
    money = totals(inv.subtotal, inv.total, inv.tax_amounts)
    return {
        "id": inv.id,
        "object": "invoice",
        "account_country": None,
        "account_name": None,
        "account_tax_ids": None,
        "amount_due": inv.amount_due,
        "amount_paid": inv.amount_paid,
        "amount_remaining": inv.amount_remaining,
        "amount_shipping": 0,
        "application": None,
        "application_fee_amount": None,
        "attempt_count": inv.attempt_count,
        "attempted": inv.attempted,
        "auto_advance": inv.auto_advance,
        "automatic_tax": {"enabled": False, "status": None},
        "automatically_finalizes_at": automatically_finalizes_at(inv),
        "billing_reason": inv.billing_reason,
        "charge": inv.charge,
        "collection_method": inv.collection_method,
        "created": inv.created,
        "currency": inv.currency,
        "custom_fields": list(inv.custom_fields) or None,
        "customer": inv.customer,
        "customer_address": customer.address if draft else inv.customer_address,
        "customer_email": customer.email if draft else inv.customer_email,
        "customer_name": customer.name if draft else inv.customer_name,
        "customer_phone": customer.phone if draft else inv.customer_phone,
        "customer_shipping": customer.shipping if draft else inv.customer_shipping,
        "customer_tax_exempt": customer.tax_exempt if draft else inv.customer_tax_exempt or "none",
        "customer_tax_ids": list(customer_tax_ids or []),
        "default_payment_method": inv.default_payment_method,
        "default_source": None,
        "default_tax_rates": default_tax_rates or [],
        "description": inv.description,
        "discount": discount,
        "discounts": [] if inv.discount is None else [inv.discount],
        "due_date": inv.due_date,
        "effective_at": inv.finalized_at if inv.effective_at is None else inv.effective_at,
        "ending_balance": inv.ending_balance,
        "footer": inv.footer,
        "from_invoice": None
        if inv.from_invoice is None
        else {"action": "revision", "invoice": inv.from_invoice},
        "hosted_invoice_url": page,
        "invoice_pdf": f"{page}/pdf" if page else None,
        "last_finalization_error": finalization_error,
        "latest_revision": inv.latest_revision,
        "lines": lines,
        "livemode": False,
        "metadata": dict(inv.metadata),
        "next_payment_attempt": inv.next_payment_attempt,
        "number": inv.number,
        "on_behalf_of": None,
        "paid": inv.status == "paid",
        "paid_out_of_band": inv.paid_out_of_band,
        "payment_intent": inv.payment_intent,
        "payment_settings": inv.payment_settings
        or {"default_mandate": None, "payment_method_options": None, "payment_method_types": None},
        "period_end": inv.created if inv.period_end is None else inv.period_end,
        "period_start": inv.created if inv.period_start is None else inv.period_start,
        "post_payment_credit_notes_amount": inv.post_payment_credit_notes_amount,
        "pre_payment_credit_notes_amount": inv.pre_payment_credit_notes_amount,
        "quote": None,
        "receipt_number": None,
        "rendering": _rendering(inv.rendering),
        "rendering_options": None
        if inv.rendering is None
        else {"amount_tax_display": inv.rendering.get("amount_tax_display")},
        "shipping_cost": None,
        "shipping_details": inv.shipping_details,
        "starting_balance": starting if starting is not None else 0,
        "statement_descriptor": inv.statement_descriptor,
        "status": inv.status,
        "status_transitions": {
            "finalized_at": inv.finalized_at,
            "marked_uncollectible_at": inv.marked_uncollectible_at,
            "paid_at": inv.paid_at,
            "voided_at": inv.voided_at,
        },
        "subscription": inv.subscription,
        "subscription_details": None
        if inv.subscription is None
        else {"metadata": dict(subscription_metadata or {})},
        "subtotal": inv.subtotal,
        "subtotal_excluding_tax": money.subtotal_excluding_tax,
        "tax": tax_sum(inv.tax_amounts),
        "test_clock": customer.test_clock,
        "threshold_reason": {"amount_gte": inv.threshold_amount, "item_reasons": []},
        "total": inv.total,
        "total_discount_amounts": discount_amounts(money.discount, inv.discount),
        "total_excluding_tax": money.total_excluding_tax,
        "total_tax_amounts": tax_amounts(inv.tax_amounts),
        "transfer_data": None,
        "webhooks_delivered_at": inv.webhooks_delivered_at,
    }
