"""`billcli invoices`: invoices through their whole life, their lines and the outbox."""

from pathlib import Path
from typing import Annotated, Any

import typer

from billcli.cli import completers, invoice_items
from billcli.cli.bodies import invoices as body
from billcli.cli.change_options import takes_a_change
from billcli.cli.invoice_options import (
    CustomFields,
    DefaultPaymentMethod,
    EffectiveAt,
    Footer,
    FromInvoice,
    Subscription,
)
from billcli.cli.options import (
    All,
    Coupon,
    Csv,
    CustomerFilter,
    DefaultTaxRates,
    EndingBefore,
    IdempotencyKey,
    InvoiceFilter,
    Json,
    LedgerPath,
    Limit,
    Metadata,
    PromotionCode,
    StartingAfter,
    declare_search,
)
from billcli.services.clock import tick as tick_service

app = typer.Typer(
    help="Invoices: create, finalize, pay, send, void; items and the outbox.", no_args_is_help=True
)
app.add_typer(invoice_items.app, name="items")


def _invoice_argument(*statuses: str) -> Any:
    """An invoice argument whose TAB completion offers invoices in these statuses."""
    accepted = f" ({' or '.join(statuses)})" if statuses else ""
    return typer.Argument(
        help=f"Invoice id (in_…){accepted}.",
        show_default=False,
        autocompletion=completers.invoices(*statuses),
    )


InvoiceId = Annotated[str, _invoice_argument()]
DraftId = Annotated[str, _invoice_argument("draft")]
PayableId = Annotated[str, _invoice_argument("open", "uncollectible")]
OpenId = Annotated[str, _invoice_argument("open")]
CustomerOption = Annotated[
    str,
    typer.Option(
        "--customer",
        help="Customer id (cus_…).",
        show_default=False,
        shell_complete=completers.customers,
    ),
]
CollectionMethod = Annotated[
    str | None,
    typer.Option(
        "--collection-method",
        help="charge_automatically (default) or send_invoice.",
        autocompletion=completers.collection_methods,
    ),
]
DaysUntilDue = Annotated[
    int | None, typer.Option("--days-until-due", help="send_invoice: days until due.")
]
DueDate = Annotated[
    str | None, typer.Option("--due-date", help="send_invoice: due time (ISO 8601 or unix).")
]
AutoAdvance = Annotated[
    bool | None,
    typer.Option(
        "--auto-advance/--no-auto-advance",
        help="Finalize and collect automatically (default on).",
        show_default=False,
    ),
]
Description = Annotated[str | None, typer.Option("--description", help="The invoice memo.")]


@app.command(
    "create",
    epilog=(
        "Example: billcli invoices create --customer cus_… --pending-items "
        "include --collection-method send_invoice --days-until-due 14"
    ),
)
def create(
    customer: CustomerOption,
    collection_method: CollectionMethod = None,
    days_until_due: DaysUntilDue = None,
    due_date: DueDate = None,
    auto_advance: AutoAdvance = None,
    pending_items: Annotated[
        str | None,
        typer.Option(
            "--pending-items",
            help="include, exclude (default) or include_and_require.",
            autocompletion=completers.pending_items,
        ),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency", help="Must be the customer's.", autocompletion=completers.currencies
        ),
    ] = None,
    description: Description = None,
    coupon: Coupon = None,
    promotion_code: PromotionCode = None,
    footer: Footer = None,
    custom_fields: CustomFields = None,
    effective_at: EffectiveAt = None,
    default_payment_method: DefaultPaymentMethod = None,
    subscription: Subscription = None,
    from_invoice: FromInvoice = None,
    default_tax_rates: DefaultTaxRates = None,
    metadata: Metadata = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a draft invoice (it finalizes by itself an hour later while auto-advancing)."""
    body.create(**locals())


@app.command("list")
def list_(
    customer: CustomerFilter = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="draft, open, paid, uncollectible or void.",
            autocompletion=completers.statuses,
        ),
    ] = None,
    collection_method: CollectionMethod = None,
    subscription: Annotated[
        str | None,
        typer.Option(
            "--subscription",
            help="Only this subscription's invoices.",
            autocompletion=completers.subscriptions,
        ),
    ] = None,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List invoices, newest first."""
    body.list_(**locals())


@app.command("show")
def show(invoice: InvoiceId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show an invoice with its lines and totals."""
    body.show(**locals())


@app.command("pdf")
def pdf(
    invoice: InvoiceId,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="File to write; - writes to stdout.", dir_okay=False),
    ],
    ledger: LedgerPath = None,
) -> None:
    """Write the invoice as a PDF: its number, lines, totals and status.

    Example: billcli invoices pdf in_… -o invoice.pdf
    """
    body.pdf(**locals())


@app.command("lines")
def lines(
    invoice: InvoiceId,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List an invoice's lines in the order they were added."""
    body.lines(**locals())


@app.command("update")
def update(
    invoice: InvoiceId,
    collection_method: CollectionMethod = None,
    days_until_due: DaysUntilDue = None,
    due_date: DueDate = None,
    auto_advance: AutoAdvance = None,
    description: Description = None,
    footer: Footer = None,
    custom_fields: CustomFields = None,
    effective_at: EffectiveAt = None,
    default_payment_method: DefaultPaymentMethod = None,
    default_tax_rates: DefaultTaxRates = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Update a draft freely; a finalized invoice only where Stripe allows."""
    body.update(**locals())


@app.command("delete")
def delete(invoice: DraftId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Delete a draft (its items go back to pending)."""
    body.delete(**locals())


@app.command("finalize")
def finalize(
    invoice: DraftId,
    auto_advance: AutoAdvance = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Finalize a draft: number it, apply the customer's balance, settle small amounts."""
    body.finalize(**locals())


@app.command(
    "pay",
    epilog=(
        "Example: billcli invoices pay in_… --payment-method "
        "pm_card_visa_chargeDeclined (exit 4: declined)"
    ),
)
def pay(
    invoice: PayableId,
    paid_out_of_band: Annotated[
        bool, typer.Option("--paid-out-of-band", help="Record a payment made elsewhere.")
    ] = False,
    payment_method: Annotated[
        str | None,
        typer.Option(
            "--payment-method",
            help="A test card (pm_card_visa…) or the customer's pm_ id.",
            autocompletion=completers.payment_methods,
        ),
    ] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Pay an open or uncollectible invoice (exit 4 when the card declines)."""
    body.pay(**locals())


@app.command("send")
def send(invoice: OpenId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Email an open invoice to the customer (into the outbox)."""
    body.send(**locals())


@app.command("void")
def void(invoice: PayableId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Void an open or uncollectible invoice; any balance it used is given back."""
    body.void(**locals())


@app.command("mark-uncollectible")
def mark_uncollectible(invoice: OpenId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Mark an open invoice uncollectible (it can still be paid or voided)."""
    body.mark_uncollectible(**locals())


@app.command(
    "tick",
    epilog=(
        "Examples: billcli invoices tick --by 1h · billcli invoices tick --to "
        "2030-01-01 --dry-run · billcli invoices tick (what is due now)"
    ),
)
def tick(
    by: Annotated[
        str | None, typer.Option("--by", help="Advance the clock by 90s, 15m, 1h, 3d, 2w…")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Advance the clock to a time (ISO 8601 or unix).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would happen; change nothing.")
    ] = False,
    max_steps: Annotated[
        int, typer.Option("--max-steps", help="Stop after this many steps (run again to go on).")
    ] = tick_service.DEFAULT_MAX_STEPS,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Advance the ledger clock and do what falls due: finalize, charge, retry, email.

    Without --by or --to it does what is due now. Each piece of work happens at its own
    instant, in time order, like a Stripe test clock.
    """
    body.tick(**locals())


@app.command(
    "upcoming",
    epilog=(
        "Example: billcli invoices upcoming --customer cus_… --item si_…=price_…:5 "
        "--proration-date 2026-12-10 (then the same update agrees to the cent)"
    ),
)
@takes_a_change
def upcoming(
    customer: CustomerOption,
    subscription: Annotated[
        str | None,
        typer.Option(
            "--subscription",
            help="Its subscription [default: the one that renews next].",
            autocompletion=completers.subscriptions,
        ),
    ] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
    **change: Any,
) -> None:
    """Preview the next invoice (Stripe's upcoming invoice): nothing is written.

    Every option of `subscriptions update` previews the invoice that change would bring
    (prorations included, or the invoice it makes at once), to the cent; exit 6 when
    there is nothing to preview.
    """
    body.upcoming(
        customer=customer, subscription=subscription, ledger=ledger, as_json=as_json, **change
    )


@app.command("outbox")
def outbox_(
    email: Annotated[str | None, typer.Argument(help="Show this email (em_…).")] = None,
    invoice: InvoiceFilter = None,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List the emails billcli wrote instead of sending, or show one."""
    body.outbox_(**locals())


declare_search(
    app, __name__, "invoice", "status:'open' AND total>50000", "customer:'cus_…' -status:'void'"
)
