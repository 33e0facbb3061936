"""`billcli tax-rates`: the tax rates invoices, their lines and subscriptions take."""

from typing import Any

from billcli.cli.running import input_of, open_ledger, print_list
from billcli.render.output import emit_object


def create(
    *, idempotency_key: str | None, ledger: str | None, as_json: bool, **options: Any
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.taxes import rates

    with open_ledger(ledger) as book:
        created = rates.create(
            book, input_of(rates.TaxRateInput, options), idempotency_key=idempotency_key
        )
        emit_object(created, as_json=as_json, title="Tax rate created")


def list_(
    *, active: bool | None, inclusive: bool | None, ledger: str | None, **listing: Any
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.taxes import rates

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: rates.list_rates(book, request, active=active, inclusive=inclusive),
            "tax_rate",
            **listing,
        )


def show(*, tax_rate: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.taxes import rates

    with open_ledger(ledger, reads_only=True) as book:
        emit_object(rates.show(book, tax_rate), as_json=as_json, title="Tax rate")


def update(*, tax_rate: str, ledger: str | None, as_json: bool, **options: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.taxes import rates

    with open_ledger(ledger) as book:
        updated = rates.update(book, tax_rate, input_of(rates.TaxRateInput, options))
        emit_object(updated, as_json=as_json, title="Tax rate updated")
