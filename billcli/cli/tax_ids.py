"""`billcli customers tax-ids`: a customer's tax IDs (VAT numbers, EINs…)."""

from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.balance import CustomerId
from billcli.cli.bodies import tax_ids as body
from billcli.cli.options import All, Csv, EndingBefore, Json, LedgerPath, Limit, StartingAfter

app = typer.Typer(
    help="Add, list, show and delete a customer's tax IDs (printed on their invoices).",
    no_args_is_help=True,
)

TaxIdArgument = Annotated[
    str,
    typer.Argument(
        help="Tax ID id (txi_…) of that customer.",
        show_default=False,
        autocompletion=completers.tax_ids,
    ),
]


@app.command(
    "add",
    epilog=(
        "Example: billcli customers tax-ids add cus_… --type eu_vat --value DE123456789 "
        "(Stripe's test values: DE123456789 verifies, DE123456710 does not)"
    ),
)
def add(
    customer: CustomerId,
    type_: Annotated[
        str,
        typer.Option(
            "--type",
            help="Stripe's tax ID type: eu_vat, gb_vat, us_ein, au_abn, ca_bn, ch_vat, …",
            show_default=False,
            autocompletion=completers.tax_id_types,
        ),
    ],
    value: Annotated[
        str,
        typer.Option(
            "--value", help="The number, in its type's format (DE123456789).", show_default=False
        ),
    ],
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Add a tax ID to a customer (at most 25); its verification is settled at once."""
    body.add(**locals())


@app.command("list")
def list_(
    customer: CustomerId,
    limit: Limit = 10,
    starting_after: StartingAfter = None,
    ending_before: EndingBefore = None,
    all_: All = False,
    ledger: LedgerPath = None,
    as_json: Json = False,
    as_csv: Csv = False,
) -> None:
    """List a customer's tax IDs, newest first."""
    body.list_(**locals())


@app.command("show")
def show(
    customer: CustomerId, tax_id: TaxIdArgument, ledger: LedgerPath = None, as_json: Json = False
) -> None:
    """Show one of a customer's tax IDs."""
    body.show(**locals())


@app.command("delete")
def delete(
    customer: CustomerId, tax_id: TaxIdArgument, ledger: LedgerPath = None, as_json: Json = False
) -> None:
    """Delete a customer's tax ID (invoices already finalized keep it)."""
    body.delete(**locals())
