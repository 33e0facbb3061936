"""`billcli checkout`: Checkout Sessions and their hosted page's URL."""

import re
import sys
from collections.abc import Sequence
from typing import Any

from billcli.cli.running import open_ledger, print_list
from billcli.errors import InvalidRequest
from billcli.render.output import dump_json, emit_object


def create(
    *,
    price: list[str] | None,
    coupon: str | None,
    promotion_code: str | None,
    trial_days: int | None,
    trial_end: str | None,
    expires_at: str | None,
    default_tax_rate: list[str] | None,
    item_tax_rate: list[str] | None,
    locale: str | None,
    billing_address_collection: str | None,
    phone_number_collection: bool,
    consent_terms_of_service: bool,
    invoice_creation: bool,
    invoice_description: str | None,
    invoice_footer: str | None,
    invoice_metadata: list[str] | None,
    invoice_custom_field: list[str] | None,
    idempotency_key: str | None,
    ledger: str | None,
    as_json: bool,
    **options: Any,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core.checkout_page import PageInput
    from billcli.core.dates import parse_instant
    from billcli.services.checkout import sessions
    from billcli.services.subscriptions.creation import parse_item

    items = [
        (item, 1 if quantity is None else quantity)
        for n, spec in enumerate(price or ())
        for item, quantity in [parse_item(spec, f"line_items[{n}]")]
    ]
    own_rates = _item_rates(items, item_tax_rate or ())
    data = sessions.SessionInput(
        line_items=tuple(items),
        line_item_tax_rates=own_rates,
        default_tax_rates=tuple(default_tax_rate or ()),
        coupons=() if coupon is None else (coupon,),
        promotion_codes=() if promotion_code is None else (promotion_code,),
        trial_period_days=trial_days,
        trial_end=None if trial_end is None else parse_instant(trial_end, param="trial_end"),
        expires_at=None if expires_at is None else parse_instant(expires_at, param="expires_at"),
        metadata=tuple(options.pop("metadata") or ()),
        page=PageInput(
            locale=locale,
            billing_address_collection=billing_address_collection,
            phone_number_collection=phone_number_collection or None,
            terms_of_service="required" if consent_terms_of_service else None,
            invoice_creation=invoice_creation or None,
            invoice_data=_invoice_data(
                invoice_description, invoice_footer, invoice_metadata, invoice_custom_field
            ),
        ),
        **options,
    )
    with open_ledger(ledger) as book:
        try:
            made = sessions.create(book, data, idempotency_key=idempotency_key)
        except InvalidRequest as error:
            _as_option(error, items, own_rates)
            raise
        emit_object(made, as_json=as_json, title="Checkout Session created")


def _invoice_data(
    description: str | None,
    footer: str | None,
    metadata: list[str] | None,
    custom_fields: list[str] | None,
) -> Any:
    """`--invoice-…` options as `invoice_creation[invoice_data]` (None when none given:
    without --invoice-creation they are refused, naming `invoice_creation[enabled]`)."""
    # startup: the invoice data's rules load only for a session that gives some
    from billcli.core.checkout_invoice import PARAM, InvoiceData
    from billcli.core.invoice_settings import pairs

    if (description, footer, metadata, custom_fields) == (None, None, None, None):
        return None
    return InvoiceData(
        description=description,
        footer=footer,
        metadata=tuple(metadata or ()),
        custom_fields=pairs(custom_fields or (), f"{PARAM}[custom_fields]"),
    )


def _item_rates(items: list[tuple[str, int]], specs: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """`--item-tax-rate PRICE=TXR` as each line item's own rates (`line_items[n][tax_rates]`)."""
    # startup: the tax rules load only for a session that names rates
    from billcli.core.tax import item_rates

    wanted = item_rates(specs, "item_tax_rate", option="--item-tax-rate", item_words="a price id")
    for spec in specs:  # `ITEM=` unsets an item's rates elsewhere: a new session has none
        if spec.endswith("="):
            raise InvalidRequest(
                f"Invalid item_tax_rate: --item-tax-rate '{spec}' names no tax rate "
                "(PRICE=TXR: a price id, and a tax rate)",
                param="item_tax_rate",
            )
    prices = {price for price, _ in items}
    for price in wanted:
        if price not in prices:
            raise InvalidRequest(
                f"Invalid item_tax_rate: --item-tax-rate names {price}, none of the "
                "session's prices (give it with --price)",
                param="item_tax_rate",
            )
    return tuple(tuple(wanted.get(price, ())) for price, _ in items)


_ITEM_RATE = re.compile(r"line_items\[(\d+)\]\[tax_rates\]\[(\d+)\]")


def _as_option(
    error: InvalidRequest, items: list[tuple[str, int]], rates: tuple[tuple[str, ...], ...]
) -> None:
    """A line item's rate refused (one the ledger lacks, say) named as the option that
    gave it, `--item-tax-rate PRICE=TXR`, not as the API's `line_items[n][tax_rates][m]`."""
    found = _ITEM_RATE.fullmatch(error.param or "")
    if found is None:
        return
    n, m = int(found.group(1)), int(found.group(2))
    error.respelled("item_tax_rate")
    error.message = f"{error.message} (--item-tax-rate {items[n][0]}={rates[n][m]})"
    error.args = (error.message,)


def list_(*, customer: str | None, status: str | None, ledger: str | None, **listing: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.checkout import sessions

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: sessions.list_sessions(book, request, customer=customer, status=status),
            "checkout.session",
            **listing,
        )


def show(*, session: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.checkout import sessions

    with open_ledger(ledger, reads_only=True) as book:
        shown = sessions.show(book, session, with_items=True)
        emit_object(shown, as_json=as_json, title="Checkout Session")


def expire(*, session: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.checkout import sessions

    with open_ledger(ledger) as book:
        emit_object(
            sessions.expire(book, session), as_json=as_json, title="Checkout Session expired"
        )


def open_(*, session: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.checkout import sessions

    with open_ledger(ledger, reads_only=True) as book:
        url = sessions.page_of(book, session)
    sys.stdout.write((dump_json({"id": session, "url": url}) if as_json else url) + "\n")
