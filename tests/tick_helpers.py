"""Building ledgers full of due work quickly, for tick tests (repositories, one transaction)."""

from pathlib import Path

from billcli.core.ids import new_id
from billcli.core.records import Customer, PaymentMethod
from billcli.core.records.invoices import Invoice, InvoiceItem
from billcli.core.webhooks import finalizes_at
from billcli.store.ledger import Ledger


def seed_due_invoices(
    path: Path, count: int, *, created: int, card: str = "pm_card_visa", per_customer: int = 10
) -> list[str]:
    """`count` auto-advancing drafts of 1,000 usd, `per_customer` for each customer."""
    ids = []
    with Ledger(path) as ledger, ledger.write() as tx:
        customer = None
        for n in range(count):
            if n % per_customer == 0:
                customer = Customer(
                    id=new_id("customer"),
                    created=created,
                    currency="usd",
                    invoice_prefix=f"T{n:07d}",
                    email=f"c{n}@example.com",
                )
                tx.customers.add(customer)
                method = PaymentMethod(
                    new_id("payment_method"), customer.id, created, card, "visa", "4242"
                )
                tx.payment_methods.add(method)
                customer = Customer(**{**vars(customer), "default_payment_method": method.id})
                tx.customers.save(customer)
            assert customer is not None
            invoice = Invoice(
                id=new_id("invoice"),
                customer=customer.id,
                created=created,
                currency="usd",
                subtotal=1000,
                total=1000,
                amount_due=1000,
                webhooks_delivered_at=created,
                finalizes_at=finalizes_at(created, created),
            )
            tx.invoices.add(invoice)
            tx.invoice_items.add(
                InvoiceItem(
                    new_id("invoiceitem"),
                    customer.id,
                    created,
                    1000,
                    "usd",
                    invoice=invoice.id,
                    line_id=new_id("line_item"),
                )
            )
            ids.append(invoice.id)
    return ids


def event_counts(path: Path) -> dict[tuple[str, str], int]:
    """How many events of each type each object has."""
    import sqlite3

    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT json_extract(object, '$.id'), type, count(*) FROM events GROUP BY 1, 2"
    )
    counts = {(obj, kind): n for obj, kind, n in rows}
    conn.close()
    return counts
