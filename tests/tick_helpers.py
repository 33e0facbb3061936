"""Building ledgers full of due work quickly, for tick tests (repositories, one transaction)."""

from pathlib import Path
from typing import Any

from billcli.core.ids import new_id
from billcli.core.invoicing import finalizes_at
from billcli.core.records import Customer
from billcli.core.records.invoices import Invoice, InvoiceItem
from billcli.core.records.payments import PaymentMethod
from billcli.store.ledger import Ledger
from tests.conftest import raw_connection


def seed_due_invoices(
    path: Path, count: int, *, created: int, card: str = "pm_card_visa", per_customer: int = 10
) -> list[str]:
    """`count` auto-advancing drafts of 1,000 usd, `per_customer` for each customer."""
    ids = []
    with Ledger(path) as ledger, ledger.write() as tx:
        customer = ""
        for n in range(count):
            if n % per_customer == 0:
                customer = _card_customer(tx, f"T{n:07d}", f"c{n}@example.com", created, card)
            invoice = Invoice(
                id=new_id("invoice"),
                customer=customer,
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
                    customer,
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
    conn = raw_connection(path)
    rows = conn.execute(
        "SELECT json_extract(object, '$.id'), type, count(*) FROM events GROUP BY 1, 2"
    )
    counts = {(obj, kind): n for obj, kind, n in rows}
    conn.close()
    return counts


def seed_subscriptions(
    path: Path, count: int, *, start: int, per_customer: int = 1, clock: str | None = None
) -> list[str]:
    """`count` active monthly subscriptions of 10.00 usd (`per_customer` to a customer),
    their anchors spread over the 20 days before `start`: each renews once between
    `start` + 8 days and `start` + 31 days, and not again before `start` + 36 days.
    With `clock`, the customers live on that test clock (`seed_clock` makes it)."""
    from billcli.core.records.catalog import Price, Product

    ids = []
    with Ledger(path) as ledger, ledger.write() as tx:
        product = tx.products.get("plan")
        if product is None:
            tx.products.add(Product("plan", start, start, "Plan"))
        price = Price(
            new_id("price"),
            "plan",
            start,
            "usd",
            type="recurring",
            unit_amount=1000,
            interval="month",
        )
        tx.prices.add(price)
        customer = ""
        for n in range(count):
            if n % per_customer == 0:
                customer = _card_customer(
                    tx,
                    f"S{len(ids):07d}{(clock or '')[-4:].upper()}",
                    f"s{n}@example.com",
                    start,
                    clock=clock,
                )
            anchor = start - 20 * 86_400 + (n * 86_399) % (20 * 86_400)
            ids.append(_subscription(tx, customer, price.id, anchor, start))
    return ids


def seed_clock(path: Path, frozen_time: int, *, created: int = 0) -> str:
    """A test clock at `frozen_time` (created at `created` in ledger time)."""
    from billcli.core.records.clocks import TestClock
    from billcli.core.tick import CLOCK_RETENTION_S

    clock = TestClock(new_id("test_clock"), created, created + CLOCK_RETENTION_S, frozen_time)
    with Ledger(path) as ledger, ledger.write() as tx:
        tx.test_clocks.add(clock)
    return clock.id


def _card_customer(
    tx: Any,
    prefix: str,
    email: str,
    created: int,
    card: str = "pm_card_visa",
    *,
    clock: str | None = None,
) -> str:
    """A usd customer whose default payment method is `card`."""
    customer = Customer(
        id=new_id("customer"),
        created=created,
        currency="usd",
        invoice_prefix=prefix,
        email=email,
        test_clock=clock,
    )
    tx.customers.add(customer)
    method = PaymentMethod(new_id("payment_method"), customer.id, created, card, "visa", "4242")
    tx.payment_methods.add(method)
    tx.customers.save(Customer(**{**vars(customer), "default_payment_method": method.id}))
    return customer.id


def _subscription(tx: Any, customer: str, price: str, anchor: int, start: int) -> str:
    """An active monthly subscription anchored at `anchor`, in the period holding `start`."""
    from billcli.core.periods import period_at
    from billcli.core.records.subscriptions import Subscription, SubscriptionItem
    from billcli.core.subscriptions import next_action_at

    period_start, period_end = period_at(anchor, "month", 1, start)
    sub = Subscription(
        id=new_id("subscription"),
        customer=customer,
        created=anchor,
        currency="usd",
        interval="month",
        interval_count=1,
        status="active",
        start_date=anchor,
        billing_cycle_anchor=anchor,
        current_period_start=period_start,
        current_period_end=period_end,
    )
    sub = Subscription(
        **{**vars(sub), "next_action_at": next_action_at(sub, upcoming_days=3, overdue_at=None)}
    )
    tx.subscriptions.add(sub)
    tx.subscription_items.add(SubscriptionItem(new_id("subscription_item"), sub.id, anchor, price))
    tx.subscription_mrr.add(sub.id, customer, "usd", anchor, (1000, None, None, None))
    return sub.id


def renewals(path: Path) -> dict[str, list[tuple[int, str, int]]]:
    """Each subscription's renewal invoices: (period end, status, times paid)."""
    conn = raw_connection(path)
    rows = conn.execute(
        "SELECT i.subscription, i.period_end, i.status, (SELECT count(*) FROM events e "
        "WHERE e.type = 'invoice.paid' AND json_extract(e.object, '$.id') = i.id) "
        "FROM invoices i WHERE i.billing_reason = 'subscription_cycle' ORDER BY i.seq"
    ).fetchall()
    conn.close()
    found: dict[str, list[tuple[int, str, int]]] = {}
    for sub, period_end, status, paid in rows:
        found.setdefault(sub, []).append((period_end, status, paid))
    return found


def assert_each_renewed_once(path: Path, ids: list[str]) -> None:
    """Each subscription of `ids` has one renewal invoice, and it is paid."""
    found = renewals(path)
    for sub_id in ids:
        assert len(found.get(sub_id, [])) == 1, (sub_id, found.get(sub_id))
        ((_, status, paid),) = found[sub_id]
        assert (status, paid) == ("paid", 1), sub_id


def freeze_clock(ledger_path: Any, instant: int) -> None:
    """The ledger clock frozen at `instant`, written straight to the ledger (either
    engine), as a test's setup before the processes it starts."""
    conn = raw_connection(ledger_path)
    conn.execute(
        "INSERT INTO meta VALUES ('clock.frozen_at', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [str(instant)],
    )
    conn.commit()
    conn.close()
