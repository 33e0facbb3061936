"""`portal serve`: uvicorn in front of the portal app, with request logs that keep secrets.

uvicorn's own access log would print session and invoice URLs, which are credentials;
this log prints each request with those path segments masked.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from billcli.web.app import create_app
from billcli.web.security import bound_hosts

_SECRET_PATHS = re.compile(r"^/(p/session|p/login|i)/[^/]+")


def masked(path: str) -> str:
    """`path` with the secret segment of a session, login or invoice URL hidden."""
    return _SECRET_PATHS.sub(lambda m: f"/{m.group(1)}/…", path)


class RequestLog:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def sending(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, sending)
        took = (time.perf_counter() - started) * 1000
        sys.stderr.write(f"{scope['method']} {masked(scope['path'])} {status} {took:.1f} ms\n")


def public_url_warning(public_url: str, host: str, port: int) -> str | None:
    """A hint when the links billcli prints would not reach this server."""
    if urlsplit(public_url).netloc.lower() in bound_hosts(host, port):
        return None
    return (
        f"note: links point to {public_url} (the ledger's public_url); if that is not a "
        f"proxy in front of this server, run `billcli ledger config public_url "
        f"http://{host}:{port}`"
    )


def run(ledger_path: Path, *, host: str, port: int, public_url: str) -> None:
    import uvicorn

    app = RequestLog(create_app(ledger_path, bound=bound_hosts(host, port)))
    sys.stderr.write(
        f"billcli portal serving {ledger_path} on http://{host}:{port} (Ctrl-C stops it)\n"
    )
    warning = public_url_warning(public_url, host, port)
    if warning:
        sys.stderr.write(warning + "\n")
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning")
