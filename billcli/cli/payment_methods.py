"""`billcli payment-methods`: test cards made from Stripe's tokens, saved on customers."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import payment_methods as body
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

app = typer.Typer(
    help="Payment methods: test cards (pm_card_visa, tok_visa…) attached to customers.",
    no_args_is_help=True,
)

MethodId = Annotated[
    str,
    typer.Argument(
        help="Payment method id (pm_…).",
        show_default=False,
        autocompletion=completers.payment_methods,
    ),
]
Customer = Annotated[
    str | None,
    typer.Option("--customer", help="The customer (cus_…).", shell_complete=completers.customers),
]
Token = Annotated[
    str,
    typer.Option(
        "--token",
        help="A Stripe test token: pm_card_visa, tok_visa, pm_card_authenticationRequired…",
        show_default=False,
        autocompletion=completers.new_cards,
    ),
]
BillingName = Annotated[str | None, typer.Option("--billing-name", help="Cardholder's name.")]
BillingEmail = Annotated[
    str | None, typer.Option("--billing-email", help="Cardholder's email address.")
]


@app.command(
    "create",
    epilog="Example: billcli payment-methods create --token pm_card_visa --customer cus_…",
)
def create(
    token: Token,
    customer: Customer = None,
    billing_name: BillingName = None,
    billing_email: BillingEmail = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Make a payment method from a test token; with --customer, attach it to them.

    Each use of a token makes a new pm_… with the card's brand, last4, expiry and
    fingerprint. Decline cards can be made but not attached (card error, exit 4).
    """
    body.create(**locals())


@app.command("attach")
def attach(
    payment_method: MethodId,
    customer: Annotated[
        str,
        typer.Option(
            "--customer",
            help="The customer (cus_…).",
            show_default=False,
            shell_complete=completers.customers,
        ),
    ],
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Attach a payment method (or a test token, which makes one) to a customer.

    It does not become their default: `customers update CUS --default-payment-method PM`.
    """
    body.attach(**locals())


@app.command("detach")
def detach(payment_method: MethodId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Detach a payment method for good (a customer's default is cleared; a live
    subscription's default is refused)."""
    body.detach(**locals())


@app.command("update")
def update(
    payment_method: MethodId,
    billing_name: BillingName = None,
    billing_email: BillingEmail = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Change a saved payment method's billing details or metadata."""
    body.update(**locals())


@app.command("list")
def list_(
    customer: Customer = None,
    type_: Annotated[
        str | None,
        typer.Option(
            "--type",
            help="card (billcli's only type).",
            autocompletion=completers.one_of(("card",)),
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
    """List payment methods, newest first: a customer's saved cards, or every one."""
    body.list_(**locals())


@app.command("show")
def show(payment_method: MethodId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show a payment method and its card."""
    body.show(**locals())
