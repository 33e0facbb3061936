"""Invoice items, invoices through their lifecycle, and the upcoming invoice."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from billcli.api.handlers import listed, offer_of, paging, required, route, searched
from billcli.api.params import Params
from billcli.api.routes.subscriptions import change_of
from billcli.errors import InvalidRequest
from billcli.services.invoicing import invoices, payment
from billcli.services.invoicing import items as invoice_items
from billcli.services.invoicing import lifecycle as invoice_lifecycle
from billcli.services.invoicing.invoices import InvoiceInput
from billcli.services.invoicing.items import ItemInput
from billcli.services.subscriptions import previews
from billcli.store.ledger import Ledger


def _item_input(p: Params, current: dict[str, Any] | None = None) -> Any:
    pricing = p.map("pricing") or {}
    return ItemInput(
        customer=p.text("customer"),
        amount=p.amount("amount"),
        unit_amount=p.amount("unit_amount"),
        quantity=p.integer("quantity"),
        currency=p.text("currency"),
        description=p.text("description", clearable=True),
        invoice=p.text("invoice"),
        price=p.text("price") or pricing.get("price"),
        metadata=p.metadata(current["metadata"] if current else None),
    )


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
    p.unknown()
    return listed(
        invoice_items.list_items(
            ledger, request, customer=customer, invoice=invoice, pending=bool(pending)
        )
    )


def _invoice_input(p: Params, current: dict[str, Any] | None = None) -> Any:
    return InvoiceInput(
        customer=p.text("customer"),
        collection_method=p.text("collection_method"),
        days_until_due=p.integer("days_until_due"),
        due_date=p.integer("due_date"),
        auto_advance=p.boolean("auto_advance"),
        pending_items=p.text("pending_invoice_items_behavior"),
        currency=p.text("currency"),
        description=p.text("description", clearable=True),
        metadata=p.metadata(current["metadata"] if current else None),
        **offer_of(p),
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
    p.unknown()
    if subscription is not None:
        raise InvalidRequest(
            "Invalid subscription: billcli lists a subscription's invoices with "
            "/v1/invoices/search?query=subscription:'sub_…'",
            param="subscription",
        )
    return listed(
        invoices.list_invoices(
            ledger, request, customer=customer, status=status, collection_method=method
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
    p.has("forgive")
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


def _upcoming(ledger: Ledger, p: Params) -> Any:
    """The upcoming invoice, with the change its parameters describe: Stripe's flat
    `subscription_items`, `subscription_trial_end`… or, as newer clients send them,
    `subscription_details[items]`, `subscription_details[trial_end]`… (the parameters of
    a subscription update), and `coupon`."""
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
        ledger, customer, subscription=subscription, change=None if change.empty else change
    )


@route("GET", "/v1/invoices/upcoming", previews=True)
def upcoming_invoice(ledger: Ledger, p: Params) -> Any:
    return _upcoming(ledger, p)


@route("GET", "/v1/invoices/upcoming/lines", previews=True)
def upcoming_lines(ledger: Ledger, p: Params) -> Any:
    p.integer("limit")
    return _upcoming(ledger, p)["lines"]


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
