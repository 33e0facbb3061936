"""Invoice items: pending charges for a customer's next invoice, or lines of a draft."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import catalog_objects, invoice_objects, limits, objects
from billcli.core.catalog import amount_for, billing_currency, unit_amount_for
from billcli.core.ids import check_id, new_id
from billcli.core.invoicing import MAX_ITEMS
from billcli.core.metadata import merged, parse_pairs
from billcli.core.money import MAX_AMOUNT, MAX_AMOUNT_DIGITS, normalize_currency, parse_amount
from billcli.core.pagination import Page, PageRequest
from billcli.core.records.catalog import Price
from billcli.core.records.invoices import InvoiceItem
from billcli.errors import InvalidRequest
from billcli.services.catalog import prices, products
from billcli.services.catalog.price_making import PriceInput, new_price, planned
from billcli.services.customers.balance import adopt_currency
from billcli.services.discounts.redemptions import on_item, priced_item
from billcli.services.invoicing.objects import find_invoice, with_totals
from billcli.services.ledger.events import record
from billcli.services.ledger.idempotency import once
from billcli.services.ledger.lookup import found, live_customer
from billcli.services.taxes.rates import own_rates, rate_objects
from billcli.store.ledger import Ledger, Tx


@dataclass(frozen=True)
class ItemInput:
    """Item options as typed; amounts stay text until the currency is known."""

    customer: str | None = None
    amount: str | None = None
    unit_amount: str | None = None
    quantity: int | None = None
    currency: str | None = None
    description: str | None = None
    invoice: str | None = None
    metadata: tuple[str, ...] = ()
    price: str | None = None
    price_data: PriceInput | None = None  # a one-time price made for this item
    period_start: int | None = None
    period_end: int | None = None
    discountable: bool | None = None
    discounts: tuple[str, ...] | None = None  # coupons of its own; () removes them
    subscription: str | None = None  # the subscription whose next invoice takes it
    tax_rates: tuple[str, ...] = ()  # ("",): none (on update)
    # Its price was checked when the purchase was set up (a Checkout Session's one-time
    # line, maybe its own inactive inline price): used as is.
    set_up: bool = False

    def params(self) -> dict[str, Any]:
        """The request's parameters, as its idempotency fingerprint sees them (`set_up`
        is billcli's own, never a request's)."""
        price = self.price_data
        given = {k: v for k, v in vars(self).items() if k != "set_up"}
        return given | {"price_data": None if price is None else vars(price)}


def _check_pricing(data: ItemInput, *, creating: bool) -> None:
    given = [
        n for n in ("amount", "unit_amount", "price", "price_data") if getattr(data, n) is not None
    ]
    if len(given) > 1:
        raise InvalidRequest(
            f"Invalid {given[1]}: give {given[0]} or {given[1]}, not both", param=given[1]
        )
    if creating and not given:
        raise InvalidRequest(
            "Missing amount: give amount, unit_amount and quantity, or a one-time price",
            param="amount",
        )
    if data.quantity is not None and data.quantity < 0:
        raise InvalidRequest(
            f"Invalid quantity: {data.quantity} (it cannot be negative)", param="quantity"
        )
    if data.quantity is not None and data.amount is not None:
        raise InvalidRequest(
            "Invalid quantity: quantity goes with unit_amount, not amount", param="quantity"
        )
    limits.text("invoiceitem", "description", data.description)
    parse_pairs(data.metadata)
    if data.price_data is not None:
        if data.price_data.recurring_interval is not None:
            raise InvalidRequest(
                "Invalid price_data: an invoice item's price is one-time", param="price_data"
            )
        planned(data.price_data)
    if (data.period_start is None) != (data.period_end is None):
        missing = "start" if data.period_start is None else "end"
        raise InvalidRequest.missing(f"period[{missing}]")
    if data.period_start is not None and (data.period_end or 0) < data.period_start:
        raise InvalidRequest("Invalid period[end]: it is before period[start]", param="period[end]")


def _inline_price(tx: Tx, data: PriceInput) -> Price:
    """The one-time price `price_data` makes: inactive, as Stripe makes inline prices, so
    it stays the item's own (it is listed, but nothing new can be sold at it)."""
    if data.product is None:
        raise InvalidRequest.missing("price_data[product]")
    product = products.find(tx, data.product, param="price_data[product]")
    price = new_price(tx, data, product.id, active=False)
    tx.prices.add(price)
    record(tx, "price.created", catalog_objects.price(price))
    return price


def _extras(tx: Tx, item: InvoiceItem, data: ItemInput) -> InvoiceItem:
    """The item with its period, `discountable`, subscription and own tax rates as given."""
    item = replace(item, tax_rates=own_rates(tx, data.tax_rates, item.tax_rates))
    if data.period_start is not None:
        item = replace(item, period_start=data.period_start, period_end=data.period_end)
    if data.discountable is not None:
        item = replace(item, discountable_choice=data.discountable)
    if data.subscription is not None:
        sub = found(
            tx, "subscription", data.subscription, tx.subscriptions.get, param="subscription"
        )
        if sub.customer != item.customer or sub.currency != item.currency:
            raise InvalidRequest(
                f"Invalid subscription: {sub.id} is not a subscription of {item.customer} "
                f"in {item.currency}",
                param="subscription",
            )
        item = replace(item, subscription=sub.id)
    return item


def _priced(item: InvoiceItem, data: ItemInput, price: Price | None = None) -> InvoiceItem:
    """`item` with the amount the input asks for, in the item's currency (a price's
    option in that currency, when the price has one)."""
    if price is not None:
        quantity = data.quantity if data.quantity is not None else item.quantity
        return replace(
            item,
            amount=amount_for(price, quantity, item.currency),
            unit_amount=unit_amount_for(price, item.currency),
            quantity=quantity,
            price=price.id,
        )
    if data.amount is not None:
        amount = parse_amount(data.amount, item.currency)
        return replace(item, amount=amount, unit_amount=None, quantity=1)
    unit = (
        parse_amount(data.unit_amount, item.currency, param="unit_amount")
        if data.unit_amount is not None
        else item.unit_amount
    )
    if unit is None:
        if data.quantity is not None:
            raise InvalidRequest(
                "Invalid quantity: this item has an amount, not a unit_amount", param="quantity"
            )
        return item
    quantity = data.quantity if data.quantity is not None else item.quantity
    amount = unit * quantity
    if abs(amount) > MAX_AMOUNT:
        raise InvalidRequest(
            f"Invalid quantity: unit_amount × quantity exceeds {MAX_AMOUNT_DIGITS} digits",
            param="quantity",
        )
    return replace(item, amount=amount, unit_amount=unit, quantity=quantity)


def _attach_to(tx: Tx, item: InvoiceItem, invoice_id: str) -> InvoiceItem:
    invoice = find_invoice(tx, invoice_id)
    if invoice.customer != item.customer:
        raise InvalidRequest(
            f"Invalid invoice: {invoice.id} belongs to {invoice.customer}, not {item.customer}",
            param="invoice",
        )
    if invoice.status != "draft":
        raise InvalidRequest(
            f"Invalid invoice: {invoice.id} is {invoice.status}; only draft invoices accept items",
            param="invoice",
            code="invoice_not_editable",
        )
    if tx.invoice_items.count_on(invoice.id) >= MAX_ITEMS:
        raise InvalidRequest(
            f"Invalid invoice: {invoice.id} already has {MAX_ITEMS} items, the most an "
            "invoice can hold",
            param="invoice",
        )
    return replace(item, invoice=invoice.id, line_id=new_id("line_item"))


def _retotal(tx: Tx, invoice_id: str | None) -> None:
    if invoice_id is not None:
        tx.invoices.save(with_totals(tx, find_invoice(tx, invoice_id)))


def create(
    ledger: Ledger, data: ItemInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    """A pending item, or a line of a draft invoice with `--invoice`."""
    if data.customer is None:
        raise InvalidRequest.missing("customer")
    check_id(data.customer, "customer", param="customer")
    _check_pricing(data, creating=True)
    with ledger.write() as tx:
        return once(
            tx,
            "invoiceitems.create",
            idempotency_key,
            data.params(),
            lambda: create_in(tx, data, idempotency_key),
        )


def create_in(tx: Tx, data: ItemInput, idempotency_key: str | None = None) -> dict[str, Any]:
    """Create an item inside an open transaction (the command, and bulk generators)."""
    customer = live_customer(tx, str(data.customer))
    price = product = None
    if data.price is not None:
        price, product = prices.usable(
            tx, data.price, param="price", recurring=False, set_up=data.set_up
        )
    elif data.price_data is not None:
        price = _inline_price(tx, data.price_data)
        product = products.find(tx, price.product)
    wanted = normalize_currency(data.currency) if data.currency is not None else None
    if price is not None:
        wanted = billing_currency(price, wanted, customer.currency)
    customer, currency = adopt_currency(tx, customer, wanted)
    item = InvoiceItem(
        id=new_id("invoiceitem"),
        customer=customer.id,
        created=tx.now,
        amount=0,
        currency=currency,
        description=data.description or (product.name if product else None),
        metadata=merged({}, parse_pairs(data.metadata)),
    )
    item = _extras(tx, _priced(item, data, price), data)
    if data.invoice is not None:
        item = _attach_to(tx, item, data.invoice)
    tx.invoice_items.add(item)
    if data.discounts:
        item = on_item(tx, item, data.discounts)
        tx.invoice_items.save(item)
    _retotal(tx, item.invoice)
    result = invoice_objects.invoice_item(
        item,
        price,
        rate_objects(tx, item.tax_rates or []),
        test_clock=tx.clock_of(item.customer),
    )
    record(tx, "invoiceitem.created", result, idempotency_key=idempotency_key)
    return result


def item_object(tx: Tx, item: InvoiceItem) -> dict[str, Any]:
    """The item with the price it bills for, if any."""
    price = tx.prices.get(item.price) if item.price else None
    return invoice_objects.invoice_item(
        item,
        price,
        rate_objects(tx, item.tax_rates or []),
        test_clock=tx.clock_of(item.customer),
    )


def _changeable(tx: Tx, item_id: str) -> InvoiceItem:
    """An item that may still change: pending, or on a draft."""
    item = _find(tx, item_id)
    if item.invoice is not None:
        invoice = find_invoice(tx, item.invoice)
        if invoice.status != "draft":
            raise InvalidRequest(
                f"Invalid invoiceitem: {item.id} is on {invoice.id}, which is "
                f"{invoice.status}; only pending items and items on drafts can change",
                param="invoiceitem",
                code="invoice_not_editable",
            )
    return item


def _find(tx: Tx, item_id: str) -> InvoiceItem:
    item = found(tx, "invoiceitem", item_id, tx.invoice_items.get, param="invoiceitem")
    return item


def update(ledger: Ledger, item_id: str, data: ItemInput) -> dict[str, Any]:
    _check_pricing(data, creating=False)
    if (
        data.currency is not None
        or data.customer is not None
        or data.invoice is not None
        or data.subscription is not None
        or data.price_data is not None
    ):
        raise InvalidRequest(
            "Invalid invoiceitem: customer, currency, invoice, subscription and price cannot "
            "change",
            param="invoiceitem",
        )
    with ledger.write() as tx:
        return update_in(tx, item_id, data)


def update_in(tx: Tx, item_id: str, data: ItemInput) -> dict[str, Any]:
    """Change an item inside an open transaction (the command, and a preview's)."""
    item = _changeable(tx, item_id)
    price = tx.prices.get(item.price) if item.price else None
    if price is not None and (data.amount is not None or data.unit_amount is not None):
        raise InvalidRequest(
            f"Invalid amount: {item.id} is priced by {price.id}; change its quantity",
            param="amount",
        )
    changed = _priced(item, data, price)
    changed = replace(
        changed,
        description=item.description if data.description is None else (data.description or None),
        metadata=merged(item.metadata, parse_pairs(data.metadata)),
    )
    changed = _extras(tx, changed, data)
    changed = (
        on_item(tx, changed, data.discounts)
        if data.discounts is not None
        else priced_item(tx, changed)
    )
    tx.invoice_items.save(changed)
    _retotal(tx, changed.invoice)
    return item_object(tx, changed)


def delete(ledger: Ledger, item_id: str) -> dict[str, Any]:
    with ledger.write() as tx:
        item = _changeable(tx, item_id)
        if item.item_discounts:
            on_item(tx, item, ())  # its own discounts end with it
        tx.invoice_items.delete(item.id)
        _retotal(tx, item.invoice)
        record(tx, "invoiceitem.deleted", item_object(tx, item))
        return objects.deleted("invoiceitem", item.id)


def show(ledger: Ledger, item_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return item_object(tx, _find(tx, item_id))


def list_items(
    ledger: Ledger,
    request: PageRequest,
    *,
    customer: str | None = None,
    invoice: str | None = None,
    pending: bool = False,
) -> Page:
    with ledger.read() as tx:
        items, has_more = tx.invoice_items.page(
            request, customer=customer, invoice=invoice, pending=pending
        )
        return Page("/v1/invoiceitems", [item_object(tx, i) for i in items], has_more)
