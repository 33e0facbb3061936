"""`billcli portal`: portal configurations, session links, and the web server behind them."""

from typing import Any

from billcli.cli.running import input_of, open_ledger, print_list
from billcli.render.output import emit_object

TITLE = "Portal configuration"


def create_configuration(*, ledger: str | None, as_json: bool, **options: Any) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.portal import configurations as portal_configurations

    with open_ledger(ledger) as book:
        created = portal_configurations.create(
            book, input_of(portal_configurations.ConfigurationInput, options)
        )
        emit_object(created, as_json=as_json, title=TITLE)


def update_configuration(
    *, configuration: str, ledger: str | None, as_json: bool, **options: Any
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.portal import configurations as portal_configurations

    with open_ledger(ledger) as book:
        updated = portal_configurations.update(
            book, configuration, input_of(portal_configurations.ConfigurationInput, options)
        )
        emit_object(updated, as_json=as_json, title=TITLE)


def list_configurations(
    *, active: bool | None, default: bool, ledger: str | None, **listing: Any
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.portal import configurations as portal_configurations

    with open_ledger(ledger, reads_only=True) as book:
        print_list(
            lambda request: portal_configurations.list_configurations(
                book, request, active=active, is_default=True if default else None
            ),
            "billing_portal.configuration",
            **listing,
        )


def show_configuration(*, configuration: str, ledger: str | None, as_json: bool) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.portal import configurations as portal_configurations

    with open_ledger(ledger, reads_only=True) as book:
        shown = portal_configurations.show(book, configuration)
        emit_object(shown, as_json=as_json, title=TITLE)


def create_session(
    *,
    customer: str,
    configuration: str | None,
    return_url: str | None,
    locale: str | None,
    flow: str | None,
    flow_subscription: str | None,
    flow_price: str | None,
    after_completion: str | None,
    after_completion_url: str | None,
    after_completion_message: str | None,
    ledger: str | None,
    as_json: bool,
) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.portal import sessions as portal_sessions
    from billcli.services.portal.flows import FlowInput

    flow_data = None
    if flow is not None:
        flow_data = FlowInput(
            flow,
            flow_subscription,
            flow_price,
            after_completion,
            after_completion_url,
            after_completion_message,
        )
    with open_ledger(ledger) as book:
        result = portal_sessions.create(
            book,
            customer,
            configuration=configuration,
            return_url=return_url,
            locale=locale,
            flow=flow_data,
        )
    emit_object(result, as_json=as_json, title="Portal session")


def serve(*, host: str, port: int, ledger: str | None) -> None:
    # startup: the fast path imports a group's bodies; each command loads only what it uses
    from billcli.services.ledger import settings
    from billcli.web.server import run

    with open_ledger(ledger) as book:
        path = book.path
        public_url = settings.get(book, "public_url")["public_url"]
    run(path, host=host, port=port, public_url=public_url)
