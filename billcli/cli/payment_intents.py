"""`billcli payment-intents`: payments, an invoice's (one each) or made directly."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import payment_intents as body
from billcli.cli.options import (
    All,
    Csv,
    CustomerFilter,
    EndingBefore,
    Json,
    LedgerPath,
    Limit,
    Metadata,
    StartingAfter,
    amount_help,
    declare_search,
)
from billcli.core.intents import CANCELLATION_REASONS, CAPTURE_METHODS, PAYMENT_STATUSES

app = typer.Typer(
    help=(
        "Payment intents: every invoice's payment goes through one; create, confirm, "
        "capture, cancel, search."
    ),
    no_args_is_help=True,
)

IntentId = Annotated[
    str,
    typer.Argument(
        help="Payment intent id (pi_…).",
        show_default=False,
        autocompletion=completers.payment_intents(),
    ),
]
PaymentMethod = Annotated[
    str | None,
    typer.Option(
        "--payment-method",
        help="A test token (pm_card_visa…) or a pm_ id.",
        autocompletion=completers.payment_methods,
    ),
]
OffSession = Annotated[
    bool,
    typer.Option(
        "--off-session",
        help="The customer is away: a card that needs them declines (authentication_required).",
    ),
]
ReturnUrl = Annotated[
    str | None,
    typer.Option("--return-url", help="Where the authentication page sends the customer after."),
]


@app.command(
    "create",
    epilog=(
        "Example: billcli payment-intents create --amount 2000 --currency usd "
        "--payment-method pm_card_visa --confirm"
    ),
)
def create(
    amount: Annotated[
        str,
        typer.Option("--amount", help=amount_help("The amount to collect."), show_default=False),
    ],
    currency: Annotated[
        str,
        typer.Option(
            "--currency", help="ISO code.", show_default=False, autocompletion=completers.currencies
        ),
    ],
    customer: Annotated[
        str | None,
        typer.Option(
            "--customer", help="The customer paying.", shell_complete=completers.customers
        ),
    ] = None,
    payment_method: PaymentMethod = None,
    confirm: Annotated[bool, typer.Option("--confirm", help="Confirm it at once.")] = False,
    off_session: OffSession = False,
    description: Annotated[str | None, typer.Option("--description", help="A note.")] = None,
    return_url: ReturnUrl = None,
    capture_method: Annotated[
        str | None,
        typer.Option(
            "--capture-method",
            help=(
                "manual: confirming only authorizes (requires_capture) and `capture` takes "
                "the money, within 7 days; automatic (the default) or automatic_async: at once."
            ),
            autocompletion=completers.one_of(CAPTURE_METHODS),
        ),
    ] = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a payment intent; with --confirm, pay it at once (a decline exits 4), or
    with --capture-method manual authorize it for a later capture."""
    body.create(**locals())


@app.command("confirm")
def confirm(
    payment_intent: Annotated[
        str,
        typer.Argument(
            help="Payment intent id (pi_…).",
            show_default=False,
            autocompletion=completers.payment_intents(
                "requires_payment_method", "requires_confirmation", "requires_action"
            ),
        ),
    ],
    payment_method: PaymentMethod = None,
    off_session: OffSession = False,
    return_url: ReturnUrl = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Confirm (pay) an intent; an invoice's pays its invoice. A decline exits 4 with
    the attempt recorded; a card that needs 3-D Secure leaves it requires_action."""
    body.confirm(**locals())


@app.command(
    "capture",
    epilog="Example: billcli payment-intents capture pi_… --amount 1500",
)
def capture(
    payment_intent: Annotated[
        str,
        typer.Argument(
            help="Payment intent id (pi_…), requires_capture.",
            show_default=False,
            autocompletion=completers.payment_intents("requires_capture"),
        ),
    ],
    amount: Annotated[
        str | None,
        typer.Option(
            "--amount",
            help=amount_help(
                "What to capture (default: all it holds); the rest of the hold is released."
            ),
        ),
    ] = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Capture an authorized intent (capture method manual): it succeeds with what was
    captured. An intent not requires_capture exits 1."""
    body.capture(**locals())


@app.command("cancel")
def cancel(
    payment_intent: IntentId,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help=", ".join(CANCELLATION_REASONS) + ".",
            autocompletion=completers.one_of(CANCELLATION_REASONS),
        ),
    ] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Cancel an intent that has not succeeded (an invoice's is canceled by voiding it);
    an authorization not captured is released."""
    body.cancel(**locals())


@app.command("list")
def list_(
    customer: CustomerFilter = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="Only intents in this status.",
            autocompletion=completers.one_of(PAYMENT_STATUSES),
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
    """List payment intents, newest first."""
    body.list_(**locals())


@app.command("show")
def show(payment_intent: IntentId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show a payment intent: its status, latest charge, last error, next action."""
    body.show(**locals())


declare_search(
    app,
    __name__,
    "payment_intent",
    "status:'requires_action'",
    "amount>5000 AND currency:'usd'",
)
