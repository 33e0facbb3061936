"""The request log both servers write (`portal serve`, `api serve`): method, path, status
and time of each request, with the secret segment of a session, login, invoice or
authentication URL masked, since those URLs are credentials (uvicorn's own access log
would print them)."""

from __future__ import annotations

import re
import sys
import time
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

_SECRET_PATHS = re.compile(r"^/(p/session|p/login|i)/[^/]+")
_CHALLENGES = re.compile(r"/authenticate/[^/]+")


def masked(path: str) -> str:
    """`path` with the secret segment of a session, login, invoice or authentication URL
    hidden."""
    path = _CHALLENGES.sub("/authenticate/…", path)
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
