"""`billcli setup-intents`: saving a card for later payments."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import setup_intents as body
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
)

app = typer.Typer(
    help="Setup intents: save a card for later (cards that need 3-D Secure wait for it).",
    no_args_is_help=True,
)

SetupIntentId = Annotated[
    str,
    typer.Argument(
        help="Setup intent id (seti_…).",
        show_default=False,
        autocompletion=completers.setup_intents,
    ),
]
PaymentMethod = Annotated[
    str | None,
    typer.Option(
        "--payment-method",
        help="A test token (pm_card_visa…) or a pm_ id.",
        autocompletion=completers.default_payment_methods,
    ),
]
ReturnUrl = Annotated[
    str | None,
    typer.Option("--return-url", help="Where the authentication page sends the customer after."),
]


@app.command(
    "create",
    epilog=(
        "Example: billcli setup-intents create --customer cus_… --payment-method "
        "pm_card_authenticationRequiredOnSetup --confirm"
    ),
)
def create(
    customer: Annotated[
        str | None,
        typer.Option(
            "--customer",
            help="Attach the card to this customer once saved.",
            shell_complete=completers.customers,
        ),
    ] = None,
    payment_method: PaymentMethod = None,
    usage: Annotated[
        str | None,
        typer.Option(
            "--usage",
            help="off_session (default: payments without the customer) or on_session.",
            autocompletion=completers.one_of(("off_session", "on_session")),
        ),
    ] = None,
    confirm: Annotated[bool, typer.Option("--confirm", help="Confirm it at once.")] = False,
    description: Annotated[str | None, typer.Option("--description", help="A note.")] = None,
    return_url: ReturnUrl = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a SetupIntent; with --confirm, try to save its card at once."""
    body.create(**locals())


@app.command("confirm")
def confirm(
    setup_intent: SetupIntentId,
    payment_method: PaymentMethod = None,
    return_url: ReturnUrl = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Try to save the card: succeeded, declined (exit 4), or requires_action (the
    customer authenticates at its next_action URL)."""
    body.confirm(**locals())


@app.command("cancel")
def cancel(
    setup_intent: SetupIntentId,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="abandoned, duplicate or requested_by_customer.",
            autocompletion=completers.one_of(("abandoned", "duplicate", "requested_by_customer")),
        ),
    ] = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Cancel a SetupIntent that has not succeeded."""
    body.cancel(**locals())


@app.command("list")
def list_(
    customer: CustomerFilter = None,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List setup intents, newest first."""
    body.list_(**locals())


@app.command("show")
def show(setup_intent: SetupIntentId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show a setup intent."""
    body.show(**locals())
