"""Invoice items, invoices through their lifecycle, and the upcoming invoice."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.api.handlers import (
    by_payment_method,
    discount_coupons,
    given,
    issued_by_self,
    listed,
    offer_of,
    paging,
    rates_of,
    required,
    route,
    searched,
    without_automatic_tax,
)
from billcli.api.params import Params
from billcli.api.routes import price_params
from billcli.api.routes.subscriptions import change_of
from billcli.core import invoice_settings
from billcli.core.pagination import PageRequest
from billcli.errors import InvalidRequest, NotFound
from billcli.services.invoicing import invoices, payment
from billcli.services.invoicing import items as invoice_items
from billcli.services.invoicing import lifecycle as invoice_lifecycle
from billcli.services.invoicing.invoices import InvoiceInput
from billcli.services.invoicing.items import ItemInput
from billcli.services.subscriptions import previews
from billcli.store.ledger import Ledger


def _quantity(p: Params) -> int | None:
    """`quantity`, or `quantity_decimal` when it is whole (billcli bills whole units)."""
    decimal = p.text("quantity_decimal")
    if decimal is None:
        return p.integer("quantity")
    integral, _, fraction = decimal.partition(".")
    if not (integral.isascii() and integral.isdigit()) or fraction.strip("0"):
        spelled = p.spelled("quantity_decimal")
        raise InvalidRequest(
            f"Invalid {spelled}: '{decimal}' (billcli bills whole quantities)", param=spelled
        )
    return int(integral)


def _coupons(p: Params) -> tuple[str, ...] | None:
    """An item's own `discounts[n][coupon]` (`discounts=` removes them)."""
    if not p.has("discounts"):
        return None
    if p.cleared("discounts"):
        return ()
    return tuple(
        required(coupon, f"discounts[{n}][coupon]") for n, coupon in enumerate(discount_coupons(p))
    )


def _item_input(p: Params, current: dict[str, Any] | None = None) -> Any:
    p.refuse("customer_account", "tax_code", "tax_behavior")
    if p.has("invoicing_rules") and not p.cleared("invoicing_rules"):
        # Stripe too takes only "" (remove them); billcli's items never have any.
        raise InvalidRequest(
            "Invalid invoicing_rules: only an empty value (remove them) is accepted",
            param="invoicing_rules",
        )
    pricing = p.nested("pricing")
    period = p.nested("period")
    data = ItemInput(
        customer=p.text("customer"),
        amount=p.amount("amount"),
        unit_amount=price_params.amount(p),
        quantity=_quantity(p),
        currency=p.text("currency"),
        description=p.text("description", clearable=True),
        invoice=p.text("invoice"),
        price=p.text("price") or pricing.text("price"),
        metadata=p.metadata(current["metadata"] if current else None),
        price_data=price_params.price_data(p, "price_data"),
        period_start=period.integer("start"),
        period_end=period.integer("end"),
        discountable=p.boolean("discountable"),
        discounts=_coupons(p),
        subscription=p.text("subscription"),
        tax_rates=rates_of(p, "tax_rates"),
    )
    pricing.unknown()
    period.unknown()
    return data


@route("POST", "/v1/invoiceitems")
def create_item(ledger: Ledger, p: Params) -> Any:
    data = _item_input(p)
    p.unknown()
    return invoice_items.create(ledger, data)


@route("GET", "/v1/invoiceitems/{invoiceitem}")
def retrieve_item(ledger: Ledger, p: Params, invoiceitem: str) -> Any:
    p.unknown()
    return invoice_items.show(ledger, invoiceitem)


@route("POST", "/v1/invoiceitems/{invoiceitem}")
def update_item(ledger: Ledger, p: Params, invoiceitem: str) -> Any:
    data = _item_input(p, invoice_items.show(ledger, invoiceitem))
    p.unknown()
    return invoice_items.update(ledger, invoiceitem, data)


@route("DELETE", "/v1/invoiceitems/{invoiceitem}")
def delete_item(ledger: Ledger, p: Params, invoiceitem: str) -> Any:
    p.unknown()
    return invoice_items.delete(ledger, invoiceitem)


@route("GET", "/v1/invoiceitems")
def list_items(ledger: Ledger, p: Params) -> Any:
    request, customer, invoice = paging(p, created=True), p.text("customer"), p.text("invoice")
    pending = p.boolean("pending")
    p.refuse("customer_account")
    p.unknown()
    return listed(
        invoice_items.list_items(
            ledger, request, customer=customer, invoice=invoice, pending=bool(pending)
        )
    )


# Documented on invoice create and update, of capabilities billcli does not model.
_REFUSED = (
    "account_tax_ids",
    "application_fee_amount",
    "on_behalf_of",
    "transfer_data",
    "shipping_cost",
    "customer_account",
)


def _auto_advance(p: Params, *, creating: bool) -> bool | None:
    """Stripe's API makes an invoice that does not collect itself unless asked (the
    2018-11-08 change; the CLI's default, an operator's, is true): unchanged on update."""
    asked = p.boolean("auto_advance")
    return False if asked is None and creating else asked


def _invoice_input(p: Params, current: dict[str, Any] | None = None) -> Any:
    p.refuse(*_REFUSED)
    by_payment_method(p, "default_source")
    without_automatic_tax(p)
    issued_by_self(p)
    rendering = "rendering" if p.has("rendering") else "rendering_options"
    invoice_settings.rendering(given(p, rendering), rendering)  # named as the request does
    return InvoiceInput(
        customer=p.text("customer"),
        collection_method=p.text("collection_method"),
        days_until_due=p.integer("days_until_due"),
        due_date=p.integer("due_date"),
        auto_advance=_auto_advance(p, creating=current is None),
        pending_items=p.text("pending_invoice_items_behavior"),
        currency=p.text("currency"),
        description=p.text("description", clearable=True),
        metadata=p.metadata(current["metadata"] if current else None),
        **offer_of(p),
        custom_fields=given(p, "custom_fields"),
        footer=p.text("footer", clearable=True),
        rendering=given(p, rendering),
        effective_at=p.integer("effective_at") if not p.cleared("effective_at") else 0,
        shipping_details=given(p, "shipping_details"),
        statement_descriptor=p.text("statement_descriptor", clearable=True),
        default_payment_method=p.text("default_payment_method", clearable=True),
        payment_settings=given(p, "payment_settings"),
        number=p.text("number"),
        automatically_finalizes_at=p.integer("automatically_finalizes_at"),
        subscription=p.text("subscription"),
        from_invoice=given(p, "from_invoice"),
        default_tax_rates=rates_of(p, "default_tax_rates"),
    )


@route("POST", "/v1/invoices")
def create(ledger: Ledger, p: Params) -> Any:
    data = _invoice_input(p)
    p.unknown()
    return invoices.create(ledger, data)


@route("GET", "/v1/invoices/{invoice}")
def retrieve(ledger: Ledger, p: Params, invoice: str) -> Any:
    p.unknown()
    return invoices.show(ledger, invoice)


@route("POST", "/v1/invoices/{invoice}")
def update(ledger: Ledger, p: Params, invoice: str) -> Any:
    data = _invoice_input(p, invoices.show(ledger, invoice))
    p.unknown()
    return invoices.update(ledger, invoice, data)


@route("DELETE", "/v1/invoices/{invoice}")
def delete(ledger: Ledger, p: Params, invoice: str) -> Any:
    p.unknown()
    return invoices.delete(ledger, invoice)


@route("GET", "/v1/invoices")
def list_all(ledger: Ledger, p: Params) -> Any:
    request = paging(p, created=True)
    customer, status = p.text("customer"), p.text("status")
    method, subscription = p.text("collection_method"), p.text("subscription")
    due = p.range("due_date")
    p.refuse("customer_account")
    p.unknown()
    return listed(
        invoices.list_invoices(
            ledger,
            request,
            customer=customer,
            status=status,
            collection_method=method,
            subscription=subscription,
            due=due,
        )
    )


@route("GET", "/v1/invoices/search")
def search(ledger: Ledger, p: Params) -> Any:
    return searched(ledger, p, "invoice")


@route("POST", "/v1/invoices/{invoice}/finalize")
def finalize(ledger: Ledger, p: Params, invoice: str) -> Any:
    auto_advance = p.boolean("auto_advance")
    p.unknown()
    return invoice_lifecycle.finalize(ledger, invoice, auto_advance=auto_advance)


@route("POST", "/v1/invoices/{invoice}/pay")
def pay(ledger: Ledger, p: Params, invoice: str) -> Any:
    out_of_band, method = p.boolean("paid_out_of_band"), p.text("payment_method")
    off_session = p.boolean("off_session")
    p.boolean("forgive")  # a card declines whole: nothing is left to forgive
    p.refuse("mandate")
    by_payment_method(p, "source")
    p.unknown()
    return payment.pay(
        ledger,
        invoice,
        paid_out_of_band=bool(out_of_band),
        payment_method=method,
        off_session=off_session is not False,  # Stripe's default: the customer is away
    )


@route("POST", "/v1/invoices/{invoice}/send")
def send(ledger: Ledger, p: Params, invoice: str) -> Any:
    p.unknown()
    return invoice_lifecycle.send(ledger, invoice)


@route("POST", "/v1/invoices/{invoice}/void")
def void(ledger: Ledger, p: Params, invoice: str) -> Any:
    p.unknown()
    return invoice_lifecycle.void(ledger, invoice)


@route("POST", "/v1/invoices/{invoice}/mark_uncollectible")
def mark_uncollectible(ledger: Ledger, p: Params, invoice: str) -> Any:
    p.unknown()
    return invoice_lifecycle.mark_uncollectible(ledger, invoice)


@route("GET", "/v1/invoices/{invoice}/lines")
def lines(ledger: Ledger, p: Params, invoice: str) -> Any:
    request = paging(p)
    p.unknown()
    return listed(invoices.lines(ledger, invoice, request))


def _preview_items(p: Params) -> tuple[tuple[str | None, ItemInput], ...]:
    """`invoice_items[n]`: items added to the preview (or, with `invoiceitem`, a pending
    item changed in it)."""
    found = []
    for entry in p.each("invoice_items"):
        item_id = entry.text("invoiceitem")
        found.append((item_id, _item_input(entry)))
        entry.unknown()
    return tuple(found)


def _upcoming(ledger: Ledger, p: Params) -> Any:
    """The upcoming invoice, with the change its parameters describe: Stripe's flat
    `subscription_items`, `subscription_trial_end`… or, as newer clients send them,
    `subscription_details[items]`, `subscription_details[trial_end]`… (the parameters of
    a subscription update), `coupon`, the `invoice_items` it would add, its `currency`."""
    without_automatic_tax(p)
    issued_by_self(p)
    p.refuse("customer_details", "on_behalf_of", "customer_account")
    if p.choice("preview_mode", ("next", "recurring")) == "recurring":
        raise InvalidRequest(
            "Invalid preview_mode: billcli previews the next invoice (preview_mode=next)",
            param="preview_mode",
        )
    currency, added = p.text("currency"), _preview_items(p)
    customer, subscription = required(p.text("customer"), "customer"), p.text("subscription")
    details = (
        p.nested("subscription_details")
        if p.has("subscription_details")
        else p.prefixed("subscription_")
    )
    change = replace(change_of(details, {}), **offer_of(p))
    details.unknown()
    p.unknown()
    return previews.upcoming(
        ledger,
        customer,
        subscription=subscription,
        change=None if change.empty else change,
        currency=currency,
        invoice_items=added,
    )


@route("GET", "/v1/invoices/upcoming", previews=True)
def upcoming_invoice(ledger: Ledger, p: Params) -> Any:
    return _upcoming(ledger, p)


@route("GET", "/v1/invoices/upcoming/lines", previews=True)
def upcoming_lines(ledger: Ledger, p: Params) -> Any:
    request = paging(p)
    lines = _upcoming(ledger, p)["lines"]
    return {**lines, **_paged(lines["data"], request)}


def _paged(data: list[dict[str, Any]], request: PageRequest) -> dict[str, Any]:
    """A page of a preview's lines (they are in its order, oldest first)."""
    ids = [line["id"] for line in data]
    cursor = request.cursor
    if cursor is not None and cursor not in ids:
        raise NotFound("invoice line item", cursor, param=request.cursor_param)
    if request.ending_before is not None:
        end = ids.index(request.ending_before)
        chosen = data[max(0, end - request.limit) : end]
        more = end - request.limit > 0
    else:
        start = ids.index(request.starting_after) + 1 if request.starting_after else 0
        chosen = data[start : start + request.limit]
        more = len(data) > start + request.limit
    return {"data": chosen, "has_more": more}


@route("POST", "/v1/invoices/create_preview")
def create_preview(ledger: Ledger, p: Params) -> Any:
    """What stripe-python 16 calls for the upcoming invoice: written nowhere."""
    return _upcoming(ledger, p)


ROUTES = [
    create_item,
    list_items,
    retrieve_item,
    update_item,
    delete_item,
    search,
    upcoming_invoice,
    upcoming_lines,
    create_preview,
    create,
    list_all,
    retrieve,
    update,
    delete,
    finalize,
    pay,
    send,
    void,
    mark_uncollectible,
    lines,
]
