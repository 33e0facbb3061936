"""`billcli subscriptions`: recurring billing that `invoices tick` renews."""

from typing import Annotated, Any

import typer

from billcli.cli import completers
from billcli.cli.bodies import subscriptions as body
from billcli.cli.change_options import (
    AddInvoiceItems,
    BillingThreshold,
    DefaultPaymentMethod,
    Description,
    MissingPaymentMethod,
    PaymentBehavior,
    PendingInterval,
    ProrationBehavior,
    takes_a_change,
)
from billcli.cli.options import (
    All,
    ClockFilter,
    Coupon,
    Csv,
    CustomerFilter,
    DefaultTaxRates,
    EndingBefore,
    IdempotencyKey,
    ItemTaxRates,
    Json,
    LedgerPath,
    Limit,
    Metadata,
    PromotionCode,
    StartingAfter,
    TrialDays,
    TrialEnd,
    declare_search,
)
from billcli.core.limits import ENUMS
from billcli.core.subscriptions import LIST_STATUSES

CANCELLATION_FEEDBACK = ENUMS["cancellation_feedback"]

app = typer.Typer(
    help="Subscriptions: recurring prices that `invoices tick` renews and invoices.",
    no_args_is_help=True,
)

SubscriptionId = Annotated[
    str,
    typer.Argument(
        help="Subscription id (sub_…).",
        show_default=False,
        autocompletion=completers.subscriptions,
    ),
]
Prices = Annotated[
    list[str] | None,
    typer.Option(
        "--price",
        help="PRICE[:QUANTITY]; repeat it for several items (one currency and interval).",
        metavar="PRICE[:QTY]",
        autocompletion=completers.recurring_prices,
    ),
]
CancelAt = Annotated[
    str | None, typer.Option("--cancel-at", help="End it at this time (ISO 8601 or unix).")
]


@app.command(
    "create",
    epilog=(
        "Examples: billcli subscriptions create --customer cus_… --price price_…:3 · "
        "billcli subscriptions create --customer cus_… --price price_… --trial-days 14"
    ),
)
def create(
    customer: Annotated[
        str,
        typer.Option(
            "--customer",
            help="Customer id (cus_…).",
            show_default=False,
            shell_complete=completers.customers,
        ),
    ],
    price: Prices = None,
    trial_days: TrialDays = None,
    trial_end: TrialEnd = None,
    collection_method: Annotated[
        str | None,
        typer.Option(
            "--collection-method",
            help="charge_automatically (default) or send_invoice.",
            autocompletion=completers.collection_methods,
        ),
    ] = None,
    days_until_due: Annotated[
        int | None, typer.Option("--days-until-due", help="send_invoice: days to pay.")
    ] = None,
    payment_behavior: PaymentBehavior = None,
    billing_cycle_anchor: Annotated[
        str | None,
        typer.Option(
            "--billing-cycle-anchor",
            help="First full period starts at this time (the stub before it is prorated).",
        ),
    ] = None,
    backdate_start_date: Annotated[
        str | None,
        typer.Option("--backdate-start-date", help="Start it in the past (billed from then)."),
    ] = None,
    proration_behavior: ProrationBehavior = None,
    default_payment_method: DefaultPaymentMethod = None,
    cancel_at_period_end: Annotated[
        bool, typer.Option("--cancel-at-period-end", help="End it when the first period ends.")
    ] = False,
    cancel_at: CancelAt = None,
    description: Description = None,
    billing_threshold: BillingThreshold = None,
    coupon: Coupon = None,
    promotion_code: PromotionCode = None,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency",
            help="Bill in this currency: each price's own, or one of its currency options.",
            autocompletion=completers.currencies,
        ),
    ] = None,
    trial_from_plan: Annotated[
        bool, typer.Option("--trial-from-plan", help="The trial its price sets (its trial days).")
    ] = False,
    missing_payment_method: MissingPaymentMethod = None,
    pending_invoice_item_interval: PendingInterval = None,
    add_invoice_item: AddInvoiceItems = None,
    default_tax_rates: DefaultTaxRates = None,
    item_tax_rates: ItemTaxRates = None,
    metadata: Metadata = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Subscribe a customer to recurring prices; the first invoice is made at once.

    With charge_automatically the first invoice is finalized and charged now (a decline
    leaves the subscription incomplete, or with error_if_incomplete exits 4 and writes
    nothing); with send_invoice it is active at once and the invoice goes out an hour later.
    """
    body.create(**locals())


@app.command("list")
def list_(
    customer: CustomerFilter = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="A status, all, or ended (canceled and incomplete_expired); default: all "
            "but canceled.",
            autocompletion=completers.one_of(LIST_STATUSES),
        ),
    ] = None,
    price: Annotated[
        str | None,
        typer.Option(
            "--price", help="Only those with this price.", autocompletion=completers.prices
        ),
    ] = None,
    test_clock: ClockFilter = None,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List subscriptions, newest first (as in Stripe, those of customers on test clocks
    only with --customer or --clock)."""
    body.list_(**locals())


@app.command("show")
def show(subscription: SubscriptionId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show a subscription: its items, period, and the next invoice's date and amount."""
    body.show(**locals())


@app.command("update")
@takes_a_change
def update(
    subscription: SubscriptionId, ledger: LedgerPath = None, as_json: Json = False, **change: Any
) -> None:
    """Change items and quantities (prorated to the second), cancellation, trial, pause."""
    body.update(subscription=subscription, ledger=ledger, as_json=as_json, **change)


@app.command("cancel")
def cancel(
    subscription: SubscriptionId,
    invoice_now: Annotated[
        bool, typer.Option("--invoice-now", help="Invoice pending prorations now.")
    ] = False,
    prorate: Annotated[
        bool, typer.Option("--prorate", help="Credit the unused time of the period.")
    ] = False,
    feedback: Annotated[
        str | None,
        typer.Option(
            "--feedback",
            help="Why the customer leaves: too_expensive, missing_features, unused, other…",
            autocompletion=completers.one_of(CANCELLATION_FEEDBACK),
        ),
    ] = None,
    comment: Annotated[
        str | None, typer.Option("--comment", help="The customer's own words on leaving.")
    ] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Cancel now; collection stops on its unpaid invoices."""
    body.cancel(**locals())


@app.command("resume")
def resume(
    subscription: SubscriptionId,
    billing_cycle_anchor: Annotated[
        str | None,
        typer.Option(
            "--billing-cycle-anchor",
            help="now (default: a new period from now) or unchanged (the period around now).",
            autocompletion=completers.one_of(("now", "unchanged")),
        ),
    ] = None,
    proration_behavior: ProrationBehavior = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Resume a paused subscription (its trial ended without a payment method): it is
    invoiced and charged at once, and active again once paid."""
    body.resume(**locals())


declare_search(app, __name__, "subscription", "status:'past_due'", "canceled_at>1700000000")
