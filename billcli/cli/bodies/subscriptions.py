"""`billcli subscriptions`: recurring billing that the ledger clock renews."""

from typing import Any

from billcli.cli.amounts import check as check_amounts
from billcli.cli.running import input_of, open_ledger, print_list, print_search
from billcli.render.output import emit_object

# Options given as times (ISO 8601 or unix seconds), read into unix seconds; `now` (a
# trial ending now) and "" (clearing cancel_at) are kept as they are.
_TIMES = (
    "trial_end",
    "billing_cycle_anchor",
    "backdate_start_date",
    "cancel_at",
    "proration_date",
    "resumes_at",
)


def _instants(options: dict[str, Any], *, keep: tuple[str, ...] = ()) -> dict[str, Any]:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.core.dates import parse_instant

    return {
        name: parse_instant(value, param=name)
        if name in _TIMES and name not in keep and value not in (None, "now", "")
        else value
        for name, value in options.items()
    }


def _settings(options: dict[str, Any]) -> Any:
    """The settings options (popped from `options`) as the services read them."""
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.invoicing.items import ItemInput
    from billcli.services.subscriptions.creation import parse_item
    from billcli.services.subscriptions.settings import SubscriptionSettings

    missing = options.pop("missing_payment_method", None)
    interval = options.pop("pending_invoice_item_interval", None)
    added = []
    for n, spec in enumerate(options.pop("add_invoice_item", None) or ()):
        price, quantity = parse_item(spec, f"add_invoice_items[{n}]")
        added.append(ItemInput(price=price, quantity=quantity))
    unit, _, count = (interval or "").partition(":")
    return SubscriptionSettings(
        trial_settings=None
        if missing is None
        else {"end_behavior": {"missing_payment_method": missing}},
        pending_invoice_item_interval=None
        if interval is None
        else ""
        if interval == ""
        else {"interval": unit, "interval_count": count or "1"},
        add_invoice_items=tuple(added),
    )


def create(
    *,
    price: list[str] | None,
    idempotency_key: str | None,
    ledger: str | None,
    as_json: bool,
    **options: Any,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.subscriptions import creation as subscriptions

    check_amounts(options)
    settings = _settings(options)
    data = input_of(
        subscriptions.SubscriptionInput,
        _instants(options) | {"prices": price, "settings": settings},
    )
    with open_ledger(ledger) as book:
        created = subscriptions.create(book, data, idempotency_key=idempotency_key)
        emit_object(created, as_json=as_json, title="Subscription created")


def list_(
    *,
    customer: str | None,
    status: str | None,
    price: str | None,
    test_clock: str | None,
    ledger: str | None,
    **listing: Any,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.subscriptions import creation as subscriptions

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: subscriptions.list_subscriptions(
                book, request, customer=customer, status=status, price=price, test_clock=test_clock
            ),
            "subscription",
            **listing,
        )


def show(*, subscription: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.subscriptions import creation as subscriptions

    with open_ledger(ledger, reads_only=True) as book:
        shown = subscriptions.show(book, subscription)
        if not as_json:
            # startup: the fast path imports a group's bodies; each command loads only what it uses
            from billcli.services.subscriptions.upcoming import next_invoice

            shown["upcoming"] = next_invoice(book, subscription)
        emit_object(shown, as_json=as_json, title="Subscription")


def change_of(
    *,
    price: list[str] | None,
    item: list[str] | None,
    remove_item: list[str] | None,
    **options: Any,
) -> Any:
    """The `ChangeInput` of a change's options (`subscriptions update` makes it,
    `invoices upcoming` previews it)."""
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.subscriptions.proposals import ChangeInput

    settings = _settings(options)
    changes = _instants(options, keep=("billing_cycle_anchor",)) | {
        "prices": price,
        "items": item,
        "remove_items": remove_item,
        "settings": settings,
    }
    return input_of(ChangeInput, changes)


def update(*, subscription: str, ledger: str | None, as_json: bool, **options: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.subscriptions import changes as subscription_changes

    check_amounts(options)
    data = change_of(**options)
    with open_ledger(ledger) as book:
        updated = subscription_changes.update(book, subscription, data)
        emit_object(updated, as_json=as_json, title="Subscription updated")


def cancel(
    *,
    subscription: str,
    invoice_now: bool,
    prorate: bool,
    feedback: str | None,
    comment: str | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.subscriptions import changes as subscription_changes

    with open_ledger(ledger) as book:
        canceled = subscription_changes.cancel(
            book,
            subscription,
            invoice_now=invoice_now,
            prorate=prorate,
            feedback=feedback,
            comment=comment,
        )
        emit_object(canceled, as_json=as_json, title="Subscription canceled")


def resume(
    *,
    subscription: str,
    billing_cycle_anchor: str | None,
    proration_behavior: str | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.subscriptions import pauses

    with open_ledger(ledger) as book:
        resumed = pauses.resume(
            book,
            subscription,
            billing_cycle_anchor=billing_cycle_anchor,
            proration_behavior=proration_behavior,
        )
        emit_object(resumed, as_json=as_json, title="Subscription resumed")


def search(*, query: str, **options: Any) -> None:
    print_search("subscription", query, **options)
