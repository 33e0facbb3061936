"""`billcli plans`: recurring prices in the older shape."""

from typing import Any

from billcli.cli.amounts import check as check_amounts
from billcli.cli.running import input_of, open_ledger, print_list
from billcli.render.output import emit_object


def create(
    *, idempotency_key: str | None, ledger: str | None, as_json: bool, **options: Any
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.catalog import plans

    check_amounts(options)
    with open_ledger(ledger) as book:
        created = plans.create(
            book, input_of(plans.PlanInput, options), idempotency_key=idempotency_key
        )
        emit_object(created, as_json=as_json, title="Plan created")


def list_(*, product: str | None, active: bool | None, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.catalog import plans

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: plans.list_plans(book, request, product=product, active=active),
            "plan",
            **listing,
        )


def show(*, plan: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.catalog import plans

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(plans.show(book, plan), as_json=as_json, title="Plan")
