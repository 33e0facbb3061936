"""The demo story: a newcomer sees the main job working in one command."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from billcli.core.pagination import PageRequest
from billcli.errors import InvalidRequest
from billcli.services.catalog import prices, products
from billcli.services.catalog.price_making import PriceInput
from billcli.services.catalog.products import ProductInput
from billcli.services.clock import tick
from billcli.services.customers import balance, customers
from billcli.services.customers.balance import AdjustmentInput
from billcli.services.customers.customers import CustomerInput
from billcli.services.invoicing import invoices
from billcli.services.invoicing import items as invoice_items
from billcli.services.invoicing.invoices import InvoiceInput
from billcli.services.invoicing.items import ItemInput
from billcli.services.ledger import info as ledger_service
from billcli.services.ledger import outbox
from billcli.services.portal import configurations as portal_configurations
from billcli.services.portal import sessions as portal_sessions
from billcli.services.portal.configurations import ConfigurationInput
from billcli.services.queries import check as checks
from billcli.services.subscriptions import creation as subscriptions
from billcli.services.subscriptions.creation import SubscriptionInput
from billcli.store.ledger import Ledger


@dataclass
class Scene:
    """One scene of the story: what happened, and the objects it produced."""

    title: str
    objects: list[dict[str, Any]] = field(default_factory=list)


def _invoices(ledger: Ledger, ada: str, grace: str, yuki: str) -> list[Scene]:
    """One invoice each: paid by card, emailed with terms, declined."""
    invoice_items.create(
        ledger,
        ItemInput(
            ada, unit_amount="4000", quantity=3, description="Analytical Engine, monthly rental"
        ),
    )
    invoice_items.create(ledger, ItemInput(grace, amount="40.00", description="Compiler workshop"))
    invoice_items.create(ledger, ItemInput(yuki, amount="5000", description="Ruby hosting"))
    drafts = [
        invoices.create(ledger, InvoiceInput(ada, pending_items="include")),
        invoices.create(
            ledger,
            InvoiceInput(
                grace, collection_method="send_invoice", days_until_due=14, pending_items="include"
            ),
        ),
        invoices.create(ledger, InvoiceInput(yuki, pending_items="include")),
    ]
    steps = [
        Scene(
            "Three draft invoices from pending items; each finalizes by itself an "
            "hour after creation",
            drafts,
        )
    ]
    first = tick.tick(ledger, by="1h")
    shown = [invoices.show(ledger, d["id"]) for d in drafts]
    steps.append(
        Scene(
            f"invoices tick --by 1h: {_summary(first)}",
            shown,
        )
    )
    steps.append(
        Scene(
            "The outbox: the email Grace would receive",
            outbox.list_emails(ledger, PageRequest()).data,
        )
    )
    later = tick.tick(ledger, by="2w")
    steps.append(
        Scene(
            f"invoices tick --by 2w: {_summary(later)}",
            [invoices.show(ledger, drafts[2]["id"])],
        )
    )
    return steps


def _subscriptions(ledger: Ledger, ada: str, grace: str, yuki: str) -> list[Scene]:
    """A product with a monthly price per currency; Ada pays now and renews, Grace and
    Yukihiro start trials, and Yukihiro's declining card ends his after the trial."""
    product = products.create(ledger, ProductInput(name="Engine time", id="engine-time"))
    monthly = {
        currency: prices.create(
            ledger,
            PriceInput(
                product="engine-time",
                currency=currency,
                unit_amount=amount,
                recurring_interval="month",
                nickname=f"Monthly ({currency})",
            ),
        )
        for currency, amount in (("usd", "30.00"), ("eur", "25.00"), ("jpy", "4000"))
    }
    started = [
        subscriptions.create(ledger, SubscriptionInput(ada, (monthly["usd"]["id"],))),
        subscriptions.create(
            ledger, SubscriptionInput(grace, (monthly["eur"]["id"],), trial_days=14)
        ),
        subscriptions.create(
            ledger, SubscriptionInput(yuki, (monthly["jpy"]["id"],), trial_days=3)
        ),
    ]
    steps = [
        Scene("A product…", [product]),
        Scene("…with a monthly price in each customer's currency", list(monthly.values())),
        Scene(
            "Ada subscribes and pays at once; Grace and Yukihiro start 14- and 3-day trials",
            started,
        ),
    ]
    later = tick.tick(ledger, by="1490h")
    steps.append(
        Scene(
            f"invoices tick --by 1490h (62 days): {_summary(later)}. Ada renewed twice; Grace "
            "has no card, so her first paid period is past_due; Yukihiro's card declined "
            "every retry, so dunning canceled him",
            [subscriptions.show(ledger, s["id"]) for s in started],
        )
    )
    ada_invoices = invoices.list_invoices(ledger, PageRequest(), customer=ada).data
    steps.append(Scene("Ada's invoices: her first and two renewals", ada_invoices[:3]))
    return steps


def _summary(report: tick.TickReport) -> str:
    return ", ".join(
        f"{sum(c for c, _ in per.values())} {name.replace('_', ' ')}"
        for name, per in report.totals.items()
    )


def is_empty(ledger: Ledger) -> bool:
    counts = ledger_service.info(ledger)["counts"]
    return not any(counts.values())


def run(ledger: Ledger, *, force: bool = False) -> list[Scene]:
    """Write the story into `ledger`; a non-empty ledger needs `force`."""
    if not force and not is_empty(ledger):
        raise InvalidRequest(
            f"Invalid ledger: {ledger.path} already holds data; pass --force to add the demo "
            "story to it",
            param="ledger",
        )
    ada = customers.create(
        ledger,
        CustomerInput(
            name="Ada Lovelace",
            email="ada@example.com",
            currency="usd",
            payment_method="pm_card_visa",
            metadata=("plan=analytical",),
        ),
    )
    grace = customers.create(
        ledger,
        CustomerInput(
            name="Grace Hopper",
            email="grace@example.com",
            currency="eur",
            balance="-15.00",
            invoice_prefix="COBOL",
        ),
    )
    yuki = customers.create(
        ledger,
        CustomerInput(
            name="Yukihiro Matsumoto",
            email="matz@example.com",
            currency="jpy",
            payment_method="pm_card_chargeCustomerFail",
        ),
    )
    steps = [
        Scene(
            "Three customers: usd with a Visa card, eur with €15 of credit, jpy "
            "with a card that declines",
            [ada, grace, yuki],
        )
    ]
    credit = balance.create(
        ledger, AdjustmentInput(ada["id"], "-500", description="Goodwill credit for the outage")
    )
    debit = balance.create(
        ledger,
        AdjustmentInput(yuki["id"], "300", description="Setup fee carried to the next invoice"),
    )
    steps.append(
        Scene("A credit of $5.00 for Ada and a debit of ¥300 for Yukihiro", [credit, debit])
    )
    steps += _invoices(ledger, ada["id"], grace["id"], yuki["id"])
    steps += _subscriptions(ledger, ada["id"], grace["id"], yuki["id"])
    configuration = portal_configurations.create(
        ledger,
        ConfigurationInput(
            headline="Analytical Engines Ltd",
            default_return_url="https://engines.example/account",
            customer_update="email,name,phone",
        ),
    )
    session = portal_sessions.create(ledger, ada["id"])
    steps.append(
        Scene(
            "A portal configuration, and a link to Ada's portal: run `billcli portal serve "
            "--ledger …` and open it within 5 minutes",
            [configuration],
        )
    )
    steps.append(Scene("Ada's portal session", [session]))
    page = balance.list_transactions(ledger, ada["id"], PageRequest())
    steps.append(Scene("Ada's balance transactions: her credit went to her invoice", page.data))
    steps.append(
        Scene("Customers now", [customers.show(ledger, c["id"]) for c in (ada, grace, yuki)])
    )
    problems = checks.check(ledger)
    steps.append(
        Scene("ledger check: " + ("consistent" if not problems else f"{len(problems)} problem(s)"))
    )
    return steps
