"""Invoices: create, read, update and delete; the lifecycle is in `invoice_lifecycle`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from billcli.core import limits, objects
from billcli.core.discounts import check_one_offer
from billcli.core.ids import new_id
from billcli.core.invoicing import (
    COLLECTION_METHODS,
    MAX_ITEMS,
    PENDING_ITEMS,
    STATUSES,
    check_choice,
    due_terms,
    finalizes_at,
    require_status,
)
from billcli.core.metadata import merged, parse_pairs
from billcli.core.pagination import Page, PageRequest, Range
from billcli.core.records import Customer
from billcli.core.records.invoices import Invoice
from billcli.errors import InvalidRequest
from billcli.services.customers.balance import adopt_currency
from billcli.services.discounts.redemptions import Offer, set_on_invoice
from billcli.services.invoicing import details, revisions
from billcli.services.invoicing.collection import resumed, unscheduled
from billcli.services.invoicing.objects import (
    find_invoice,
    invoice_object,
    line_objects,
    record_invoice,
    with_totals,
)
from billcli.services.ledger.events import has_subscribers
from billcli.services.ledger.idempotency import once
from billcli.services.ledger.lookup import found, live_customer
from billcli.services.taxes.rates import given_rates
from billcli.store.ledger import Ledger, Tx


@dataclass(frozen=True)
class InvoiceInput:
    """Invoice options as typed; None means "not given"."""

    customer: str | None = None
    collection_method: str | None = None
    days_until_due: int | None = None
    due_date: int | None = None
    auto_advance: bool | None = None
    pending_items: str | None = None
    currency: str | None = None
    description: str | None = None
    metadata: tuple[str, ...] = ()
    coupon: str | None = None
    promotion_code: str | None = None
    # What it says and how it is paid (`details.py`); "" clears one on update.
    custom_fields: Any = None
    footer: str | None = None
    rendering: Any = None
    effective_at: int | None = None
    shipping_details: Any = None
    statement_descriptor: str | None = None
    default_payment_method: str | None = None
    payment_settings: Any = None
    number: str | None = None
    automatically_finalizes_at: int | None = None
    # At creation only: the subscription whose pending items it takes, or the finalized
    # invoice it revises (`{"action": "revision", "invoice": …}`).
    subscription: str | None = None
    from_invoice: Any = None
    default_tax_rates: tuple[str, ...] = ()  # ("",): none (on update)

    def params(self) -> dict[str, Any]:
        return dict(vars(self))


def create(
    ledger: Ledger, data: InvoiceInput, *, idempotency_key: str | None = None
) -> dict[str, Any]:
    """A draft for a customer, optionally gathering their pending items."""
    limits.text("invoice", "description", data.description)
    check_one_offer(data.coupon, data.promotion_code)
    parse_pairs(data.metadata)
    details.check(data)
    with ledger.write() as tx:
        return once(
            tx, "invoices.create", idempotency_key, data.params(), lambda: create_in(tx, data)
        )


def create_in(tx: Tx, data: InvoiceInput) -> dict[str, Any]:
    """Create a draft inside an open transaction (the command, and bulk generators)."""
    if data.from_invoice is not None:
        return _revision(tx, data)
    behaviour = check_choice(
        data.pending_items or "exclude", PENDING_ITEMS, "pending_invoice_items_behavior"
    )
    if data.customer is None:
        raise InvalidRequest.missing("customer")
    customer = live_customer(tx, data.customer)
    subscription = _subscription(tx, data.subscription, customer.id)
    customer, currency = adopt_currency(
        tx, customer, data.currency or (subscription.currency if subscription else None)
    )
    method = data.collection_method or "charge_automatically"
    days, due = due_terms(method, data.days_until_due, data.due_date, tx.now)
    invoice = open_draft(
        tx,
        Invoice(
            id=new_id("invoice"),
            customer=customer.id,
            created=tx.now,
            currency=currency,
            collection_method=method,
            auto_advance=data.auto_advance is not False,
            days_until_due=days,
            due_date=due,
            description=data.description or None,
            metadata=merged({}, parse_pairs(data.metadata)),
            subscription=None if subscription is None else subscription.id,
            chosen_finalization=details.finalizes(data, tx.now),
            **details.fields(tx, data, customer, created=True),
            default_tax_rates=given_rates(
                tx,
                data.default_tax_rates,
                [] if subscription is None else list(subscription.default_tax_rates),
                "default_tax_rates",
            ),
        ),
    )
    if subscription is not None:
        gathered = gather_pending(tx, invoice, of_subscription=True)
        if not gathered:
            raise InvalidRequest(
                f"Nothing to invoice for subscription {subscription.id}: it has no pending "
                "invoice items",
                param="subscription",
                code="invoice_no_subscription_line_items",
            )
        # Its newest invoice, as every invoice of a subscription is (no event: Stripe
        # sends none for latest_invoice alone).
        tx.subscriptions.save(replace(subscription, latest_invoice=invoice.id))
    elif behaviour != "exclude":
        gathered = gather_pending(tx, invoice)
        if behaviour == "include_and_require" and not gathered:
            raise InvalidRequest(
                f"Nothing to invoice for customer {invoice.customer}: no pending invoice items",
                param="pending_invoice_items_behavior",
                code="invoice_no_customer_line_items",
            )
    if data.coupon is not None or data.promotion_code is not None:
        invoice = with_totals(tx, tx.invoices.get(invoice.id) or invoice)
        offer = Offer(data.coupon, data.promotion_code, invoice.subtotal)  # a code's minimum
        invoice = with_totals(tx, set_on_invoice(tx, invoice, offer))
        tx.invoices.save(invoice)
    return record_invoice(tx, "invoice.created", with_totals(tx, invoice))


def _revision(tx: Tx, data: InvoiceInput) -> dict[str, Any]:
    """A draft revising a finalized invoice: its copy, changed by what `data` gives."""
    source = revisions.original(tx, data.from_invoice)
    if data.customer not in (None, source.customer):
        raise InvalidRequest(
            f"Invalid customer: a revision is for {source.customer}, as {source.id} is",
            param="customer",
        )
    customer = _customer_of(tx, source)
    draft = revisions.draft_of(tx, source)
    draft = replace(
        draft,
        metadata=merged(draft.metadata, parse_pairs(data.metadata)),
        description=draft.description if data.description is None else data.description or None,
        chosen_finalization=details.finalizes(data, tx.now),
        **details.fields(tx, data, customer, created=False),
        default_tax_rates=given_rates(
            tx, data.default_tax_rates, draft.default_tax_rates, "default_tax_rates"
        ),
    )
    if data.auto_advance is not None:
        draft = replace(draft, auto_advance=data.auto_advance)
    invoice = open_draft(tx, draft)
    revisions.copy_lines(tx, source, invoice)
    if data.coupon is not None or data.promotion_code is not None:
        invoice = set_on_invoice(tx, invoice, Offer(data.coupon, data.promotion_code))
    return record_invoice(tx, "invoice.created", with_totals(tx, invoice))


def open_draft(tx: Tx, invoice: Invoice) -> Invoice:
    """Store a new draft, due to finalize an hour after its `invoice.created` webhooks
    are delivered (an hour after creation when no endpoint takes them)."""
    delivered = None if has_subscribers(tx, "invoice.created") else tx.now
    invoice = replace(
        invoice,
        webhooks_delivered_at=delivered,
        finalizes_at=finalizes_at(invoice.created, delivered, invoice.chosen_finalization),
    )
    tx.invoices.add(invoice)
    return invoice


def _subscription(tx: Tx, subscription_id: str | None, customer_id: str) -> Any:
    """`subscription` on a new invoice: one of the customer's subscriptions."""
    if subscription_id is None:
        return None
    sub = found(tx, "subscription", subscription_id, tx.subscriptions.get, param="subscription")
    if sub.customer != customer_id:
        raise InvalidRequest(
            f"Invalid subscription: {sub.id} is not a subscription of {customer_id}",
            param="subscription",
        )
    return sub


def gather_pending(
    tx: Tx, invoice: Invoice, *, room: int = MAX_ITEMS, of_subscription: bool = False
) -> int:
    """Put the customer's pending items (a subscription's invoice: its own too; with
    `of_subscription`, its own only) on the draft, oldest first, as many as fit; how
    many there were."""
    if of_subscription:
        pending = [
            item
            for item in tx.invoice_items.pending_of(str(invoice.subscription))
            if item.currency == invoice.currency
        ][:room]
    else:
        pending = tx.invoice_items.pending(
            invoice.customer, invoice.currency, room, subscription=invoice.subscription
        )
    for item in pending:
        tx.invoice_items.save(replace(item, invoice=invoice.id, line_id=new_id("line_item")))
    tx.invoices.save(with_totals(tx, invoice))
    return len(pending)


# What may still change once an invoice has left draft (facts §4.1, Editing): what it
# prints is issued; how an open one is paid may still change.
_EDITABLE = {
    "open": {"description", "metadata", "auto_advance", *details.PAYMENT},
    "uncollectible": {"description", "metadata"},
    "paid": {"metadata"},
    "void": {"metadata"},
}


def update(ledger: Ledger, invoice_id: str, data: InvoiceInput) -> dict[str, Any]:
    """Drafts change freely; finalized invoices only where Stripe allows it."""
    limits.text("invoice", "description", data.description)
    changes = parse_pairs(data.metadata)
    details.check(data)
    if (
        data.customer
        or data.currency
        or data.pending_items
        or data.promotion_code
        or data.subscription
        or data.from_invoice is not None
    ):
        raise InvalidRequest(
            "Invalid invoice: customer, currency, pending items, promotion code, subscription "
            "and from_invoice are set at creation",
            param="invoice",
        )
    given = {name for name, value in data.params().items() if value not in (None, ())}
    with ledger.write() as tx:
        invoice = find_invoice(tx, invoice_id)
        if invoice.status != "draft":
            locked = sorted(given - _EDITABLE[invoice.status])
            if locked:
                raise InvalidRequest(
                    f"Invalid {locked[0]}: {invoice.id} is {invoice.status}; finalized "
                    f"invoices can change only {', '.join(sorted(_EDITABLE[invoice.status]))}",
                    param=locked[0],
                    code="invoice_not_editable",
                )
        before = invoice_object(tx, invoice)
        changed = replace(
            invoice,
            description=invoice.description
            if data.description is None
            else (data.description or None),
            metadata=merged(invoice.metadata, changes),
            auto_advance=invoice.auto_advance if data.auto_advance is None else data.auto_advance,
            **details.fields(tx, data, _customer_of(tx, invoice), created=False),
            default_tax_rates=given_rates(
                tx, data.default_tax_rates, invoice.default_tax_rates, "default_tax_rates"
            ),
        )
        # auto_advance turned off stops the retries; turned back on, resumes them
        changed = resumed(tx, invoice, unscheduled(changed))
        if data.coupon is not None:  # a draft's own discount (others apply when it has none)
            changed = with_totals(tx, _own_discount(tx, changed, data.coupon))
        if data.automatically_finalizes_at is not None:
            chosen = details.finalizes(data, tx.now)
            changed = replace(
                changed,
                chosen_finalization=chosen,
                finalizes_at=finalizes_at(invoice.created, invoice.webhooks_delivered_at, chosen),
            )
        if given & {"collection_method", "days_until_due", "due_date"}:
            method = data.collection_method or invoice.collection_method
            keep = data.collection_method in (None, invoice.collection_method)
            days, due = due_terms(
                method,
                data.days_until_due
                if data.days_until_due is not None
                else (invoice.days_until_due if keep and data.due_date is None else None),
                data.due_date,
                invoice.created,
            )
            changed = replace(changed, collection_method=method, days_until_due=days, due_date=due)
        if changed.default_tax_rates != invoice.default_tax_rates:
            changed = with_totals(tx, changed)
        tx.invoices.save(changed)
        if changed == invoice:
            return before
        return record_invoice(tx, "invoice.updated", changed, before)


def _own_discount(tx: Tx, invoice: Invoice, coupon: str) -> Invoice:
    """A draft's own discount replaced by one of `coupon` (its old one ends)."""
    own = tx.discounts.of_invoice(invoice.id)
    if own is not None and own.ended_at is None:
        tx.discounts.save(replace(own, ended_at=tx.now))
    return set_on_invoice(tx, invoice, Offer(coupon=coupon))


def _customer_of(tx: Tx, invoice: Invoice) -> Customer:
    customer = tx.customers.get(invoice.customer)
    assert customer is not None, invoice.customer
    return customer


def delete(ledger: Ledger, invoice_id: str) -> dict[str, Any]:
    """Delete a draft; its items go back to pending for the customer's next invoice. A
    subscription's invoice is voided instead (facts §9.9): deleting it would leave a
    period billed by nothing."""
    with ledger.write() as tx:
        invoice = find_invoice(tx, invoice_id)
        require_status(invoice, ("draft",), "delete")
        if invoice.subscription is not None:
            raise InvalidRequest(
                f"Invalid invoice: {invoice.id} belongs to {invoice.subscription}; a "
                "subscription's invoice cannot be deleted: finalize it, then `invoices void` it",
                param="invoice",
            )
        final = record_invoice(tx, "invoice.deleted", invoice)
        for item in tx.invoice_items.on_invoice(invoice.id):
            tx.invoice_items.save(
                replace(item, invoice=None, line_id=None, discount_amount=0, tax_amounts=[])
            )
        own = tx.discounts.of_invoice(invoice.id)
        if own is not None:
            tx.discounts.save(replace(own, ended_at=tx.now))
        tx.invoices.delete(invoice.id)
        return objects.deleted("invoice", str(final["id"]))


def show(ledger: Ledger, invoice_id: str) -> dict[str, Any]:
    with ledger.read() as tx:
        return invoice_object(tx, find_invoice(tx, invoice_id))


def list_invoices(
    ledger: Ledger,
    request: PageRequest,
    *,
    customer: str | None = None,
    status: str | None = None,
    collection_method: str | None = None,
    subscription: str | None = None,
    due: Range | None = None,
) -> Page:
    if status is not None:
        check_choice(status, STATUSES, "status")
    if collection_method is not None:
        check_choice(collection_method, COLLECTION_METHODS, "collection_method")
    with ledger.read() as tx:
        invoices, has_more = tx.invoices.page(
            request,
            due=due,
            customer=customer,
            status=status,
            collection_method=collection_method,
            subscription=subscription,
        )
        return Page("/v1/invoices", [invoice_object(tx, i) for i in invoices], has_more)


def lines(ledger: Ledger, invoice_id: str, request: PageRequest) -> Page:
    with ledger.read() as tx:
        invoice = find_invoice(tx, invoice_id)
        items, has_more = tx.invoice_items.lines(invoice.id, request)
        data = line_objects(tx, items, discount=invoice.discount)
    return Page(f"/v1/invoices/{invoice_id}/lines", data, has_more)
