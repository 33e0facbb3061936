"""`billcli customers`: the people and companies that are billed."""

from pathlib import Path
from typing import Annotated

import typer

from billcli.cli import completers, tax_ids
from billcli.cli.bodies import customers as body
from billcli.cli.options import (
    All,
    Coupon,
    Csv,
    EndingBefore,
    IdempotencyKey,
    Json,
    LedgerPath,
    Limit,
    Metadata,
    PromotionCode,
    RemoveDiscount,
    StartingAfter,
    amount_help,
    declare_search,
)

app = typer.Typer(help="Create, list, show, update and delete customers.", no_args_is_help=True)
app.add_typer(tax_ids.app, name="tax-ids")

CustomerId = Annotated[
    str,
    typer.Argument(
        help="Customer id (cus_…); TAB completes ids, names and emails.",
        show_default=False,
        shell_complete=completers.customers,
    ),
]
Name = Annotated[str | None, typer.Option("--name", help="Full name or business name.")]
Email = Annotated[str | None, typer.Option("--email", help="Email address.")]
Description = Annotated[str | None, typer.Option("--description", help="Internal note.")]
Phone = Annotated[str | None, typer.Option("--phone", help="Phone number.")]
Currency = Annotated[
    str | None,
    typer.Option(
        "--currency",
        help="Currency of the credit balance (ISO code).",
        autocompletion=completers.currencies,
    ),
]
Balance = Annotated[
    str | None,
    typer.Option(
        "--balance", help=amount_help("The balance: negative is credit, positive is owed.")
    ),
]
InvoicePrefix = Annotated[
    str | None, typer.Option("--invoice-prefix", help="3–12 uppercase letters or digits.")
]
PaymentMethod = Annotated[
    str | None,
    typer.Option(
        "--payment-method",
        help="Test payment method to attach, e.g. pm_card_visa.",
        autocompletion=completers.new_cards,
    ),
]

Clock = Annotated[
    str | None,
    typer.Option(
        "--clock",
        help="Put it on this test clock, for good: it lives in the clock's time.",
        autocompletion=completers.test_clocks,
    ),
]

DefaultPaymentMethod = Annotated[
    str | None,
    typer.Option(
        "--default-payment-method",
        help="Make one of the customer's pm_ ids (or a test card, attached now) their default.",
        autocompletion=completers.default_payment_methods,
    ),
]
Address = Annotated[
    list[str] | None,
    typer.Option(
        "--address",
        help="Postal address, KEY=VALUE (line1, line2, city, state, postal_code, country); "
        "repeat it; replaces the address held ('' clears it).",
        metavar="KEY=VALUE",
    ),
]
Shipping = Annotated[
    list[str] | None,
    typer.Option(
        "--shipping",
        help="Shipping details, KEY=VALUE (name and line1 at least; phone and the address "
        "keys); repeat it; replaces the details held ('' clears them).",
        metavar="KEY=VALUE",
    ),
]
PreferredLocale = Annotated[
    list[str] | None,
    typer.Option(
        "--preferred-locale",
        help="A preferred language (en, fr-FR), most preferred first; repeat it; "
        "replaces the list ('' clears it).",
    ),
]
TaxExempt = Annotated[
    str | None,
    typer.Option(
        "--tax-exempt",
        help="none, exempt or reverse (invoices then say 'Reverse charge').",
        autocompletion=completers.one_of(("none", "exempt", "reverse")),
    ),
]
InvoiceFooter = Annotated[
    str | None,
    typer.Option("--invoice-footer", help="Footer printed on this customer's invoices."),
]
InvoiceCustomField = Annotated[
    list[str] | None,
    typer.Option(
        "--invoice-custom-field",
        help="NAME=VALUE printed on this customer's invoices (at most 4); repeat it; "
        "replaces the list ('' clears it).",
        metavar="NAME=VALUE",
    ),
]
NextInvoiceSequence = Annotated[
    int | None,
    typer.Option("--next-invoice-sequence", help="The number of this customer's next invoice."),
]


@app.command(
    "create",
    epilog=(
        "Example: billcli customers create --name 'Ada Lovelace' --email "
        "ada@example.com --payment-method pm_card_visa --balance -5.00"
    ),
)
def create(
    name: Name = None,
    email: Email = None,
    description: Description = None,
    phone: Phone = None,
    currency: Currency = None,
    balance: Balance = None,
    invoice_prefix: InvoicePrefix = None,
    payment_method: PaymentMethod = None,
    coupon: Coupon = None,
    promotion_code: PromotionCode = None,
    address: Address = None,
    shipping: Shipping = None,
    preferred_locales: PreferredLocale = None,
    tax_exempt: TaxExempt = None,
    invoice_footer: InvoiceFooter = None,
    invoice_custom_fields: InvoiceCustomField = None,
    next_invoice_sequence: NextInvoiceSequence = None,
    test_clock: Clock = None,
    metadata: Metadata = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a customer (an `initial` balance transaction when --balance is given)."""
    body.create(**locals())


@app.command("list")
def list_(
    email: Annotated[str | None, typer.Option("--email", help="Only this exact email.")] = None,
    test_clock: Annotated[
        str | None,
        typer.Option(
            "--clock",
            help="This test clock's customers (without it, those on no test clock).",
            autocompletion=completers.test_clocks,
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
    """List customers, newest first (deleted ones are left out, and, as in Stripe, those
    on test clocks unless --clock names one)."""
    body.list_(**locals())


@app.command("show")
def show(customer: CustomerId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show one customer and their credit balance."""
    body.show(**locals())


@app.command("update")
def update(
    customer: CustomerId,
    name: Name = None,
    email: Email = None,
    description: Description = None,
    phone: Phone = None,
    currency: Currency = None,
    balance: Balance = None,
    invoice_prefix: InvoicePrefix = None,
    payment_method: PaymentMethod = None,
    default_payment_method: DefaultPaymentMethod = None,
    coupon: Coupon = None,
    promotion_code: PromotionCode = None,
    remove_discount: RemoveDiscount = False,
    address: Address = None,
    shipping: Shipping = None,
    preferred_locales: PreferredLocale = None,
    tax_exempt: TaxExempt = None,
    invoice_footer: InvoiceFooter = None,
    invoice_custom_fields: InvoiceCustomField = None,
    next_invoice_sequence: NextInvoiceSequence = None,
    test_clock: Annotated[
        str | None,
        typer.Option(
            "--clock",
            help="Refused: as in Stripe, a customer goes on a test clock only when created.",
            autocompletion=completers.test_clocks,
        ),
    ] = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Update a customer; an empty value ("") clears a field."""
    body.update(**locals())


@app.command("delete")
def delete(customer: CustomerId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Delete a customer: hidden from lists, its history kept in the ledger."""
    body.delete(**locals())


@app.command(
    "import", epilog="Example: billcli customers import customers.csv --json > created.jsonl"
)
def import_(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV with a header row, or JSON Lines.", show_default=False, dir_okay=False
        ),
    ],
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create customers from a file in one transaction, or none (errors name the rows).

    Columns: the create options (name, email, description, phone, currency, balance,
    invoice_prefix, payment_method, clock: one test clock per file), metadata as a JSON
    object, and idempotency_key.
    Prints the ids in file order; with --json, the customers as JSON Lines.
    """
    body.import_(**locals())


declare_search(
    app,
    __name__,
    "customer",
    "name~'love'",
    "email:'ada@example.com'",
    "metadata['plan']:'pro' AND created>1700000000",
)
