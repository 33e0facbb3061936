"""The options of a subscription change, declared once: `subscriptions update` makes the
change and `invoices upcoming` previews it (`takes_a_change` gives each command all of
them), so each option reads the same in both and every change that can be made can be
previewed."""

import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from billcli.cli import completers
from billcli.cli.options import (
    Coupon,
    DefaultTaxRates,
    ItemTaxRates,
    Metadata,
    PromotionCode,
    RemoveDiscount,
    amount_help,
)
from billcli.core.subscriptions import PAYMENT_BEHAVIORS
from billcli.services.subscriptions.creation import PRORATION_BEHAVIORS

AddPrices = Annotated[
    list[str] | None,
    typer.Option(
        "--price",
        help="Add an item: PRICE[:QUANTITY]; repeat it.",
        metavar="PRICE[:QTY]",
        autocompletion=completers.recurring_prices,
    ),
]
ChangeItems = Annotated[
    list[str] | None,
    typer.Option(
        "--item",
        help="Change an item: SI=PRICE[:QUANTITY] or SI=:QUANTITY; repeat it.",
        metavar="SI=PRICE[:QTY]",
    ),
]
RemoveItems = Annotated[
    list[str] | None, typer.Option("--remove-item", help="Remove an item (si_…); repeat it.")
]
Quantity = Annotated[
    int | None, typer.Option("--quantity", help="New quantity of a single-item subscription.")
]
ProrationBehavior = Annotated[
    str | None,
    typer.Option(
        "--proration-behavior",
        help="create_prorations (default), always_invoice or none.",
        autocompletion=completers.one_of(PRORATION_BEHAVIORS),
    ),
]
ProrationDate = Annotated[
    str | None,
    typer.Option(
        "--proration-date",
        help="Prorate as of this time, inside the period (the preview's and the update's "
        "agree when they are given the same one).",
    ),
]
BillingCycleAnchor = Annotated[
    str | None,
    typer.Option("--billing-cycle-anchor", help="now (a new period starts now) or unchanged."),
]
CancelAtPeriodEnd = Annotated[
    bool | None,
    typer.Option(
        "--cancel-at-period-end/--no-cancel-at-period-end",
        help="End it at the period end, or take that back.",
    ),
]
CancelAtChange = Annotated[
    str | None, typer.Option("--cancel-at", help="End it at this time; '' clears it.")
]
TrialEndChange = Annotated[
    str | None, typer.Option("--trial-end", help="End (or set) the trial: a time, or now.")
]
PauseCollection = Annotated[
    str | None,
    typer.Option(
        "--pause-collection",
        help="keep_as_draft, mark_uncollectible or void: what renewals do while paused.",
        autocompletion=completers.one_of(("keep_as_draft", "mark_uncollectible", "void")),
    ),
]
ResumesAt = Annotated[
    str | None, typer.Option("--resumes-at", help="When a paused collection resumes.")
]
ResumeCollection = Annotated[
    bool, typer.Option("--resume-collection", help="End a paused collection now.")
]
PaymentBehavior = Annotated[
    str | None,
    typer.Option(
        "--payment-behavior",
        help="allow_incomplete (default), default_incomplete or error_if_incomplete.",
        autocompletion=completers.one_of(PAYMENT_BEHAVIORS),
    ),
]
DefaultPaymentMethod = Annotated[
    str | None,
    typer.Option(
        "--default-payment-method",
        help="A test card to attach (pm_card_visa…) or one of the customer's pm_ ids.",
        autocompletion=completers.default_payment_methods,
    ),
]
Description = Annotated[str | None, typer.Option("--description", help="Shown to the customer.")]
BillingThreshold = Annotated[
    str | None,
    typer.Option(
        "--billing-threshold",
        help=amount_help(
            "Invoice at once when the accrued usage reaches this amount (billing_thresholds"
            "[amount_gte]); '' removes it."
        ),
    ),
]


MissingPaymentMethod = Annotated[
    str | None,
    typer.Option(
        "--missing-payment-method",
        help="When a trial ends without a payment method: create_invoice (default), pause "
        "or cancel.",
        autocompletion=completers.one_of(("create_invoice", "pause", "cancel")),
    ),
]
PendingInterval = Annotated[
    str | None,
    typer.Option(
        "--pending-invoice-item-interval",
        help="Invoice its pending items every INTERVAL[:COUNT] (day, week, month, year; at "
        "most a year); '' stops it.",
        metavar="INTERVAL[:COUNT]",
    ),
]
AddInvoiceItems = Annotated[
    list[str] | None,
    typer.Option(
        "--add-invoice-item",
        help="A one-time PRICE[:QUANTITY] its next invoice adds; repeat it.",
        metavar="PRICE[:QTY]",
        autocompletion=completers.one_time_prices,
    ),
]
CollectionMethodChange = Annotated[
    str | None,
    typer.Option(
        "--collection-method",
        help="How its next invoices are collected: charge_automatically or send_invoice.",
        autocompletion=completers.collection_methods,
    ),
]
DaysUntilDueChange = Annotated[
    int | None, typer.Option("--days-until-due", help="send_invoice: days to pay.")
]
# Every option of a change, in the order `--help` shows them: (name, type, default).
CHANGE = (
    ("price", AddPrices, None),
    ("item", ChangeItems, None),
    ("remove_item", RemoveItems, None),
    ("quantity", Quantity, None),
    ("proration_behavior", ProrationBehavior, None),
    ("proration_date", ProrationDate, None),
    ("billing_cycle_anchor", BillingCycleAnchor, None),
    ("cancel_at_period_end", CancelAtPeriodEnd, None),
    ("cancel_at", CancelAtChange, None),
    ("trial_end", TrialEndChange, None),
    ("pause_collection", PauseCollection, None),
    ("resumes_at", ResumesAt, None),
    ("resume_collection", ResumeCollection, False),
    ("payment_behavior", PaymentBehavior, None),
    ("default_payment_method", DefaultPaymentMethod, None),
    ("description", Description, None),
    ("billing_threshold", BillingThreshold, None),
    ("coupon", Coupon, None),
    ("promotion_code", PromotionCode, None),
    ("remove_discount", RemoveDiscount, False),
    ("collection_method", CollectionMethodChange, None),
    ("days_until_due", DaysUntilDueChange, None),
    ("missing_payment_method", MissingPaymentMethod, None),
    ("pending_invoice_item_interval", PendingInterval, None),
    ("add_invoice_item", AddInvoiceItems, None),
    ("default_tax_rates", DefaultTaxRates, None),
    ("item_tax_rates", ItemTaxRates, None),
    ("metadata", Metadata, None),
)
F = TypeVar("F", bound=Callable[..., Any])


def takes_a_change(command: F) -> F:
    """Give a command (which takes them as `**change`) every option of a change, after
    its own and before `--ledger` and `--json`: Typer reads the signature set here."""
    own = [p for p in inspect.signature(command).parameters.values() if p.kind != p.VAR_KEYWORD]
    last = {"ledger", "as_json"}
    change = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind)
        for name, kind, default in CHANGE
    ]
    head = [p.replace(kind=p.KEYWORD_ONLY) for p in own if p.name not in last]
    tail = [p.replace(kind=p.KEYWORD_ONLY) for p in own if p.name in last]
    command.__signature__ = inspect.Signature([*head, *change, *tail])  # type: ignore[attr-defined]
    return command
