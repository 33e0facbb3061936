"""`billcli portal`: portal configurations, session links, and the web server behind them."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import portal as body
from billcli.cli.options import (
    All,
    Csv,
    EndingBefore,
    Json,
    LedgerPath,
    Limit,
    Metadata,
    StartingAfter,
)
from billcli.core.portal import (
    AFTER_COMPLETION,
    ALLOWED_UPDATES,
    CANCEL_MODES,
    CANCEL_PRORATIONS,
    CANCELLATION_REASONS,
    FLOWS,
    LOCALES,
    PRORATION_BEHAVIORS,
    SUBSCRIPTION_UPDATES,
)

app = typer.Typer(
    help="The customer portal: configurations, session links, and `portal serve`.",
    no_args_is_help=True,
)
configurations = typer.Typer(
    help="What customers may do in the portal; the first one is the default.",
    no_args_is_help=True,
)
sessions = typer.Typer(help="Short-lived portal links for one customer.", no_args_is_help=True)
app.add_typer(configurations, name="configurations")
app.add_typer(sessions, name="sessions")

TITLE = "Portal configuration"
ConfigurationId = Annotated[
    str,
    typer.Argument(
        help="Portal configuration id (bpc_…).",
        show_default=False,
        autocompletion=completers.portal_configurations,
    ),
]
Headline = Annotated[
    str | None, typer.Option("--headline", help="Message shown at the top of the portal.")
]
PrivacyUrl = Annotated[
    str | None, typer.Option("--privacy-policy-url", help="Link to your privacy policy.")
]
TermsUrl = Annotated[
    str | None, typer.Option("--terms-of-service-url", help="Link to your terms of service.")
]
ReturnUrl = Annotated[
    str | None,
    typer.Option("--default-return-url", help="Where the portal's return link goes."),
]
InvoiceHistory = Annotated[
    bool | None,
    typer.Option("--invoice-history/--no-invoice-history", help="List the customer's invoices."),
]
CustomerUpdate = Annotated[
    str | None,
    typer.Option(
        "--customer-update",
        help="Fields the customer may change, e.g. email,name; '' turns it off.",
        metavar="FIELD,...",
        autocompletion=completers.comma_list(ALLOWED_UPDATES),
    ),
]
PaymentMethodUpdate = Annotated[
    bool | None,
    typer.Option(
        "--payment-method-update/--no-payment-method-update",
        help="Let the customer change their card.",
    ),
]
SubscriptionCancel = Annotated[
    bool | None,
    typer.Option(
        "--subscription-cancel/--no-subscription-cancel",
        help="Let customers cancel their subscriptions.",
    ),
]
CancellationMode = Annotated[
    str | None,
    typer.Option(
        "--cancellation-mode",
        help="at_period_end or immediately.",
        autocompletion=completers.one_of(CANCEL_MODES),
    ),
]
CancellationReasons = Annotated[
    str | None,
    typer.Option(
        "--cancellation-reasons",
        help="Reasons offered on cancellation, e.g. too_expensive,unused.",
        metavar="REASON,...",
        autocompletion=completers.comma_list(CANCELLATION_REASONS),
    ),
]
CancellationProration = Annotated[
    str | None,
    typer.Option(
        "--cancellation-proration",
        help="none, or create_prorations (credit the unused time; with immediately).",
        autocompletion=completers.one_of(CANCEL_PRORATIONS),
    ),
]
SubscriptionPause = Annotated[
    bool | None,
    typer.Option(
        "--subscription-pause/--no-subscription-pause",
        help="Let customers pause and resume collection.",
    ),
]
SubscriptionUpdate = Annotated[
    bool | None,
    typer.Option(
        "--subscription-update/--no-subscription-update",
        help="Let customers change price or quantity (among --subscription-update-product).",
    ),
]
SubscriptionUpdateAllows = Annotated[
    str | None,
    typer.Option(
        "--subscription-update-allows",
        help="What a subscription change may touch: price,promotion_code,quantity.",
        metavar="FIELD,...",
        autocompletion=completers.comma_list(SUBSCRIPTION_UPDATES),
    ),
]
SubscriptionUpdateProducts = Annotated[
    list[str] | None,
    typer.Option(
        "--subscription-update-product",
        help="PROD=PRICE[,PRICE...]: prices a customer may switch to; repeat per product.",
        metavar="PROD=PRICE,...",
    ),
]
SubscriptionProration = Annotated[
    str | None,
    typer.Option(
        "--subscription-proration",
        help="Proration on subscription changes.",
        autocompletion=completers.one_of(PRORATION_BEHAVIORS),
    ),
]
LoginPage = Annotated[
    bool | None,
    typer.Option(
        "--login-page/--no-login-page",
        help="A shareable page where customers ask for a portal link by email.",
    ),
]
Default = Annotated[bool, typer.Option("--default", help="Make this the default configuration.")]


@configurations.command("create")
def create_configuration(
    headline: Headline = None,
    privacy_policy_url: PrivacyUrl = None,
    terms_of_service_url: TermsUrl = None,
    default_return_url: ReturnUrl = None,
    invoice_history: InvoiceHistory = None,
    customer_update: CustomerUpdate = None,
    payment_method_update: PaymentMethodUpdate = None,
    subscription_cancel: SubscriptionCancel = None,
    cancellation_mode: CancellationMode = None,
    cancellation_reasons: CancellationReasons = None,
    cancellation_proration: CancellationProration = None,
    subscription_pause: SubscriptionPause = None,
    subscription_update: SubscriptionUpdate = None,
    subscription_update_allows: SubscriptionUpdateAllows = None,
    subscription_proration: SubscriptionProration = None,
    subscription_update_products: SubscriptionUpdateProducts = None,
    login_page: LoginPage = None,
    default: Default = False,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a portal configuration.

    Without feature options the portal shows invoice history, lets the customer change
    their card, and edit their email and name. Example:

    \b
    billcli portal configurations create --headline "Acme billing" \\
        --default-return-url https://acme.test/account \\
        --customer-update email,name,phone
    """
    body.create_configuration(**locals())


@configurations.command("update")
def update_configuration(
    configuration: ConfigurationId,
    headline: Headline = None,
    privacy_policy_url: PrivacyUrl = None,
    terms_of_service_url: TermsUrl = None,
    default_return_url: ReturnUrl = None,
    invoice_history: InvoiceHistory = None,
    customer_update: CustomerUpdate = None,
    payment_method_update: PaymentMethodUpdate = None,
    subscription_cancel: SubscriptionCancel = None,
    cancellation_mode: CancellationMode = None,
    cancellation_reasons: CancellationReasons = None,
    cancellation_proration: CancellationProration = None,
    subscription_pause: SubscriptionPause = None,
    subscription_update: SubscriptionUpdate = None,
    subscription_update_allows: SubscriptionUpdateAllows = None,
    subscription_proration: SubscriptionProration = None,
    subscription_update_products: SubscriptionUpdateProducts = None,
    login_page: LoginPage = None,
    active: Annotated[
        bool | None,
        typer.Option(
            "--active/--inactive",
            help="Inactive configurations start no sessions; the default stays active.",
        ),
    ] = None,
    default: Default = False,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Change a portal configuration; options left out keep their value."""
    body.update_configuration(**locals())


@configurations.command("list")
def list_configurations(
    active: Annotated[
        bool | None, typer.Option("--active/--inactive", help="Only active, or only inactive.")
    ] = None,
    default: Annotated[bool, typer.Option("--default", help="Only the default.")] = False,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List portal configurations, newest first."""
    body.list_configurations(**locals())


@configurations.command("show")
def show_configuration(
    configuration: ConfigurationId, ledger: LedgerPath = None, as_json: Json = False
) -> None:
    """Show a portal configuration and every feature it enables."""
    body.show_configuration(**locals())


@sessions.command("create")
def create_session(
    customer: Annotated[
        str,
        typer.Option(
            "--customer",
            help="The customer the link is for (cus_…).",
            show_default=False,
            shell_complete=completers.customers,
        ),
    ],
    configuration: Annotated[
        str | None,
        typer.Option(
            "--configuration",
            help="An active configuration [default: the default one].",
            show_default=False,
            autocompletion=completers.portal_configurations,
        ),
    ] = None,
    return_url: Annotated[
        str | None,
        typer.Option(
            "--return-url", help="The portal's return link [default: the configuration's]."
        ),
    ] = None,
    locale: Annotated[
        str | None,
        typer.Option(
            "--locale",
            help="Language tag of the portal, e.g. en, fr, auto.",
            autocompletion=completers.one_of(LOCALES),
        ),
    ] = None,
    flow: Annotated[
        str | None,
        typer.Option(
            "--flow",
            help="Deep-link into one flow: payment_method_update, subscription_cancel, "
            "subscription_update or subscription_update_confirm.",
            autocompletion=completers.one_of(FLOWS),
        ),
    ] = None,
    flow_subscription: Annotated[
        str | None,
        typer.Option(
            "--flow-subscription",
            help="The subscription a subscription flow is for.",
            autocompletion=completers.subscriptions,
        ),
    ] = None,
    flow_price: Annotated[
        str | None,
        typer.Option("--flow-price", help="subscription_update_confirm: the new PRICE[:QUANTITY]."),
    ] = None,
    after_completion: Annotated[
        str | None,
        typer.Option(
            "--after-completion",
            help="After the flow: portal_homepage (default), redirect or hosted_confirmation.",
            autocompletion=completers.one_of(AFTER_COMPLETION),
        ),
    ] = None,
    after_completion_url: Annotated[
        str | None, typer.Option("--after-completion-url", help="Where a redirect goes.")
    ] = None,
    after_completion_message: Annotated[
        str | None,
        typer.Option("--after-completion-message", help="A hosted confirmation's message."),
    ] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a portal link for one customer: open it within 5 minutes, once.

    Example: billcli portal sessions create --customer cus_… --json | jq -r .url
    """
    body.create_session(**locals())


@app.command("serve")
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback unless you say so).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=1, max=65535)] = 4242,
    ledger: LedgerPath = None,
) -> None:
    """Serve the customer portal, hosted invoice pages and invoice PDFs for this ledger.

    Links printed by billcli use the ledger's public_url setting
    (billcli ledger config public_url); keep it pointing at this server.
    """
    body.serve(**locals())
