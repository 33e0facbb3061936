"""`billcli checkout`: Checkout Sessions and the hosted page `portal serve` shows."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import checkout as body
from billcli.cli.options import (
    All,
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
)
from billcli.core.checkout import CUSTOMER_CREATIONS, METHOD_COLLECTIONS, MODES, STATUSES
from billcli.core.checkout_page import ADDRESS_COLLECTIONS, LOCALES

app = typer.Typer(
    help="Checkout Sessions: a hosted page where a customer pays or subscribes.",
    no_args_is_help=True,
)
sessions = typer.Typer(
    help="Create, list, show and expire Checkout Sessions.", no_args_is_help=True
)
app.add_typer(sessions, name="sessions")

SessionId = Annotated[
    str,
    typer.Argument(
        help="Checkout Session id (cs_test_…).",
        show_default=False,
        autocompletion=completers.checkout_sessions,
    ),
]


@sessions.command(
    "create",
    epilog=(
        "Examples: billcli checkout sessions create --mode subscription --price price_… "
        "--success-url 'https://example.com/done?session={CHECKOUT_SESSION_ID}' · "
        "billcli checkout sessions create --mode payment --price price_…:2 --customer cus_…"
    ),
)
def create(
    mode: Annotated[
        str,
        typer.Option(
            "--mode",
            help="subscription, payment or setup.",
            show_default=False,
            autocompletion=completers.one_of(MODES),
        ),
    ],
    price: Annotated[
        list[str] | None,
        typer.Option(
            "--price",
            help="PRICE[:QUANTITY], one line item; repeat it (one currency).",
            metavar="PRICE[:QTY]",
            autocompletion=completers.prices,
        ),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency",
            help="Bill in this currency: the prices' options in it (default: the "
            "customer's when every price has one, else the prices' own).",
            autocompletion=completers.currencies,
        ),
    ] = None,
    success_url: Annotated[
        str | None,
        typer.Option(
            "--success-url",
            help="Where the customer goes once done; {CHECKOUT_SESSION_ID} becomes the id.",
        ),
    ] = None,
    cancel_url: Annotated[
        str | None, typer.Option("--cancel-url", help="Where the page's Back link goes.")
    ] = None,
    customer: Annotated[
        str | None,
        typer.Option(
            "--customer",
            help="An existing customer (otherwise one is made as the mode says).",
            shell_complete=completers.customers,
        ),
    ] = None,
    customer_email: Annotated[
        str | None, typer.Option("--customer-email", help="Prefill the email (new customer).")
    ] = None,
    customer_creation: Annotated[
        str | None,
        typer.Option(
            "--customer-creation",
            help="payment and setup modes: always or if_required (default).",
            autocompletion=completers.one_of(CUSTOMER_CREATIONS),
        ),
    ] = None,
    coupon: Coupon = None,
    promotion_code: PromotionCode = None,
    allow_promotion_codes: Annotated[
        bool | None,
        typer.Option(
            "--allow-promotion-codes/--no-promotion-codes",
            help="Let the customer enter a promotion code (not with --coupon).",
            show_default=False,
        ),
    ] = None,
    payment_method_collection: Annotated[
        str | None,
        typer.Option(
            "--payment-method-collection",
            help="subscription mode: always (default) or if_required (no card when $0).",
            autocompletion=completers.one_of(METHOD_COLLECTIONS),
        ),
    ] = None,
    trial_days: TrialDays = None,
    trial_end: TrialEnd = None,
    subscription_description: Annotated[
        str | None,
        typer.Option("--subscription-description", help="subscription mode: its description."),
    ] = None,
    default_tax_rate: DefaultTaxRates = None,
    item_tax_rate: ItemTaxRates = None,
    locale: Annotated[
        str | None,
        typer.Option(
            "--locale",
            help="The page's language (auto: English); a new customer's preferred locale.",
            autocompletion=completers.one_of(LOCALES),
        ),
    ] = None,
    billing_address_collection: Annotated[
        str | None,
        typer.Option(
            "--billing-address-collection",
            help="required: the page asks for the billing address (auto: only if needed).",
            autocompletion=completers.one_of(ADDRESS_COLLECTIONS),
        ),
    ] = None,
    phone_number_collection: Annotated[
        bool,
        typer.Option("--phone-number-collection", help="The page asks for a phone number."),
    ] = False,
    consent_terms_of_service: Annotated[
        bool,
        typer.Option(
            "--consent-terms-of-service",
            help="The page asks the customer to accept the terms of service.",
        ),
    ] = False,
    invoice_creation: Annotated[
        bool,
        typer.Option(
            "--invoice-creation",
            help="payment mode: once paid, make the customer a paid invoice of it.",
        ),
    ] = False,
    invoice_description: Annotated[
        str | None,
        typer.Option("--invoice-description", help="With --invoice-creation: its description."),
    ] = None,
    invoice_footer: Annotated[
        str | None,
        typer.Option("--invoice-footer", help="With --invoice-creation: its footer."),
    ] = None,
    invoice_metadata: Annotated[
        list[str] | None,
        typer.Option(
            "--invoice-metadata",
            help="With --invoice-creation: KEY=VALUE on the invoice; repeat it.",
            metavar="KEY=VALUE",
        ),
    ] = None,
    invoice_custom_field: Annotated[
        list[str] | None,
        typer.Option(
            "--invoice-custom-field",
            help="With --invoice-creation: NAME=VALUE printed on it (at most 4); repeat it.",
            metavar="NAME=VALUE",
        ),
    ] = None,
    expires_at: Annotated[
        str | None,
        typer.Option("--expires-at", help="30 minutes to 24 hours away (default 24 hours)."),
    ] = None,
    client_reference_id: Annotated[
        str | None,
        typer.Option("--client-reference-id", help="Your own reference for this session."),
    ] = None,
    metadata: Metadata = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a Checkout Session; its url is the hosted page (`portal serve`)."""
    body.create(**locals())


@sessions.command("list")
def list_(
    customer: CustomerFilter = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="open, complete or expired.",
            autocompletion=completers.one_of(STATUSES),
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
    """List Checkout Sessions, newest first."""
    body.list_(**locals())


@sessions.command("show")
def show(session: SessionId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show a Checkout Session with its line items."""
    body.show(**locals())


@sessions.command("expire")
def expire(session: SessionId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Expire an open session: its page stops working, nothing can be paid on it."""
    body.expire(**locals())


@app.command("open")
def open_(
    session: SessionId,
    ledger: LedgerPath = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print {id, url} as JSON.")] = False,
) -> None:
    """Print the hosted page's URL of an open session (serve it with `portal serve`)."""
    body.open_(**locals())
