"""Finding the route of a request in one dictionary lookup, as an ASGI app.

Starlette's router tries every route's pattern in turn: with the API's 150 routes, that
scan cost a request more than the ledger work of a retrieve. Routes here are bucketed by
their number of path segments and their resource (`/v1/customers/…`), and matched
segment by segment (`{name}` takes any one segment), so a request compares a handful of
strings. Unknown paths answer 404 and
known paths with another method 405, both as Stripe's error object.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

Endpoint = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class _Pattern:
    method: str
    parts: tuple[str, ...]  # a segment, or a `{name}` that takes one
    endpoint: Endpoint

    def match(self, segments: list[str]) -> dict[str, str] | None:
        found = {}
        for part, segment in zip(self.parts, segments, strict=True):
            if part.startswith("{"):
                if not segment:
                    return None
                found[part[1:-1]] = segment
            elif part != segment:
                return None
        return found


class Router:
    """The API's routes, and what answers when none matches (`refused(request, status)`)."""

    def __init__(
        self,
        routes: list[tuple[str, str, Endpoint]],
        refused: Callable[[Request, int], Response],
        on_shutdown: Callable[[], None],
    ):
        self.buckets: dict[tuple[int, str], list[_Pattern]] = {}
        for method, path, endpoint in routes:
            parts = tuple(path.strip("/").split("/"))
            pattern = _Pattern(method, parts, endpoint)
            self.buckets.setdefault(_bucket(parts), []).append(pattern)
        self.refused = refused
        self.on_shutdown = on_shutdown

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send, self.on_shutdown)
            return
        if scope["type"] != "http":
            return
        segments = scope["path"].strip("/").split("/")
        known_path = False
        for pattern in self.buckets.get(_bucket(segments), ()):
            params = pattern.match(segments)
            if params is None:
                continue
            known_path = True
            if pattern.method == scope["method"]:
                scope["path_params"] = params
                response = await pattern.endpoint(Request(scope, receive))
                await response(scope, receive, send)
                return
        response = self.refused(Request(scope, receive), 405 if known_path else 404)
        await response(scope, receive, send)


def _bucket(parts: tuple[str, ...] | list[str]) -> tuple[int, str]:
    """How many segments, and the resource (`customers` in `/v1/customers/…`)."""
    return len(parts), parts[1] if len(parts) > 1 else ""


async def _lifespan(receive: Receive, send: Send, on_shutdown: Callable[[], None]) -> None:
    """Nothing to start (every connection is opened by the thread that uses it); at the
    end, `on_shutdown` closes them."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            on_shutdown()
            await send({"type": "lifespan.shutdown.complete"})
            return


def json_body(body: Any) -> bytes:
    """An answer's JSON. Compact, so the C encoder writes it (`indent` made every answer
    go through the pure-Python one, a fifth of a retrieve's time)."""
    return (json.dumps(body) + "\n").encode()
