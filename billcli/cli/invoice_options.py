"""What `invoices create` and `update` say beside their money and terms: the footer,
custom fields, date of issue and default payment method (and, at creation, a
subscription's pending items or the invoice a draft revises)."""

from typing import Annotated

import typer

from billcli.cli import completers

Footer = Annotated[str | None, typer.Option("--footer", help="Printed at the foot of the invoice.")]
CustomFields = Annotated[
    list[str] | None,
    typer.Option(
        "--custom-field",
        help="NAME=VALUE printed on the invoice (at most 4; default: the customer's); "
        "repeat it; replaces the list ('' clears it).",
        metavar="NAME=VALUE",
    ),
]
EffectiveAt = Annotated[
    str | None,
    typer.Option("--effective-at", help="The date of issue it prints, if not its finalization's."),
]
DefaultPaymentMethod = Annotated[
    str | None,
    typer.Option(
        "--default-payment-method",
        help="Charge this card (one of the customer's pm_ ids, or a test card attached "
        "now) instead of the customer's default.",
        autocompletion=completers.default_payment_methods,
    ),
]
Subscription = Annotated[
    str | None,
    typer.Option(
        "--subscription",
        help="Invoice this subscription's pending items now (its prorations, added items).",
        autocompletion=completers.subscriptions,
    ),
]
FromInvoice = Annotated[
    str | None,
    typer.Option(
        "--from-invoice",
        help="Revise this open or uncollectible invoice: a draft copy that, once finalized, "
        "voids it.",
        autocompletion=completers.invoices("open", "uncollectible"),
    ),
]
