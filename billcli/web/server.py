"""`portal serve`: uvicorn in front of the portal app, with the request log that keeps
secrets (`billcli.request_log`)."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

from billcli.request_log import RequestLog
from billcli.store.paths import Address
from billcli.web.app import create_app
from billcli.web.security import bound_hosts


def public_url_warning(public_url: str, host: str, port: int) -> str | None:
    """A hint when the links billcli prints would not reach this server."""
    if urlsplit(public_url).netloc.lower() in bound_hosts(host, port):
        return None
    return (
        f"note: links point to {public_url} (the ledger's public_url); if that is not a "
        f"proxy in front of this server, run `billcli ledger config public_url "
        f"http://{host}:{port}`"
    )


def run(ledger_path: Address, *, host: str, port: int, public_url: str) -> None:
    # startup: uvicorn loads when the server starts, not when its helpers are read
    import uvicorn

    app = RequestLog(create_app(ledger_path, bound=bound_hosts(host, port)))
    sys.stderr.write(
        f"billcli portal serving {ledger_path} on http://{host}:{port} (Ctrl-C stops it)\n"
    )
    warning = public_url_warning(public_url, host, port)
    if warning:
        sys.stderr.write(warning + "\n")
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning")
