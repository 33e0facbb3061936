"""`billcli subscription-schedules`: a subscription's planned changes, phase by phase."""

from pathlib import Path
from typing import Annotated

import typer

from billcli.cli import completers
from billcli.cli.bodies import subscription_schedules as body
from billcli.cli.options import (
    All,
    Csv,
    CustomerFilter,
    EndingBefore,
    IdempotencyKey,
    Json,
    LedgerPath,
    Limit,
    Metadata,
    StartingAfter,
)
from billcli.core.schedules import END_BEHAVIORS, PRORATION_BEHAVIORS

app = typer.Typer(
    help="Subscription schedules: phases the clock moves a subscription through.",
    no_args_is_help=True,
)

ScheduleId = Annotated[
    str,
    typer.Argument(
        help="Subscription schedule id (sub_sched_…).",
        show_default=False,
        autocompletion=completers.subscription_schedules,
    ),
]
Phases = Annotated[
    list[str] | None,
    typer.Option(
        "--phase",
        help="One phase, in order: 'PRICE[:QTY],… iterations=N' (or end=TIME); also "
        "proration=, coupon=, collection=, trial_end=, start= (an update's first phase).",
        metavar="PHASE",
    ),
]
FromFile = Annotated[
    Path | None,
    typer.Option(
        "--from-file",
        help="A JSON file with Stripe's fields (customer, start_date, end_behavior, phases).",
        dir_okay=False,
        exists=True,
    ),
]
EndBehavior = Annotated[
    str | None,
    typer.Option(
        "--end-behavior",
        help="After the last phase: release (default: the subscription goes on) or cancel.",
        autocompletion=completers.one_of(END_BEHAVIORS),
    ),
]


@app.command(
    "create",
    epilog=(
        "Example: billcli subscription-schedules create --customer cus_… "
        "--phase 'price_basic iterations=3' --phase 'price_pro:2 iterations=12'"
    ),
)
def create(
    customer: Annotated[
        str | None,
        typer.Option(
            "--customer", help="Customer id (cus_…).", shell_complete=completers.customers
        ),
    ] = None,
    phase: Phases = None,
    start_date: Annotated[
        str | None,
        typer.Option("--start-date", help="now (default), a past time, or a future one."),
    ] = None,
    end_behavior: EndBehavior = None,
    from_subscription: Annotated[
        str | None,
        typer.Option(
            "--from-subscription",
            help="Manage this subscription with a schedule (its current period, renewing).",
            autocompletion=completers.subscriptions,
        ),
    ] = None,
    from_file: FromFile = None,
    metadata: Metadata = None,
    idempotency_key: IdempotencyKey = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Create a schedule: its subscription starts at --start-date and moves through the
    phases as the ledger clock reaches each one."""
    body.create(**locals())


@app.command("update")
def update(
    schedule: ScheduleId,
    phase: Phases = None,
    end_behavior: EndBehavior = None,
    proration_behavior: Annotated[
        str | None,
        typer.Option(
            "--proration-behavior",
            help="How a change to the current phase is prorated (create_prorations).",
            autocompletion=completers.one_of(PRORATION_BEHAVIORS),
        ),
    ] = None,
    from_file: FromFile = None,
    metadata: Metadata = None,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Replace the current and future phases (the current one first, its start kept)."""
    body.update(**locals())


@app.command("cancel")
def cancel(
    schedule: ScheduleId,
    invoice_now: Annotated[
        bool,
        typer.Option("--invoice-now/--no-invoice-now", help="Invoice what is pending at once."),
    ] = True,
    prorate: Annotated[
        bool, typer.Option("--prorate/--no-prorate", help="Credit the unused time.")
    ] = True,
    ledger: LedgerPath = None,
    as_json: Json = False,
) -> None:
    """Cancel the schedule and its subscription now."""
    body.cancel(**locals())


@app.command("release")
def release(schedule: ScheduleId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Stop the schedule; its subscription goes on as it is."""
    body.release(**locals())


@app.command("show")
def show(schedule: ScheduleId, ledger: LedgerPath = None, as_json: Json = False) -> None:
    """Show a schedule and its phases."""
    body.show(**locals())


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
    """List schedules, newest first."""
    body.list_(**locals())
