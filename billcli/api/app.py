"""The API as an ASGI app: authentication, parameters, idempotency, versions, errors.

Every route calls the same services as the CLI and prints the same serializers; this
module only speaks HTTP as Stripe does. A write runs in one `BEGIN IMMEDIATE`
transaction with its idempotency key (the services join it), so a retried request, or
two racing with one key, writes once. Every answer is JSON, errors in Stripe's shape
with the status its libraries pick their exception class by.

A write whose lock is free runs in the event loop itself; anything else (a read, a
write that would wait for the lock, a route that opens its own transactions) runs in
a worker thread. Writes take turns at the one write lock, so a thread buys a write no
parallelism, and its hop (a queue, two wake-ups, the loop's self-pipe) cost more than
the whole `Customer.create` it carried: 0.3 ms of 0.6 (bench/results.md, "The HTTP
API"). A write that would wait is never waited for in the loop, so the loop stalls no
longer than one short transaction.
"""

from __future__ import annotations

import base64
import json
import secrets
import sys
import threading
import traceback
from contextlib import suppress
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from billcli.api import payment_versions, versions
from billcli.api.expand import expand
from billcli.api.forms import parse
from billcli.api.handlers import Route, counted
from billcli.api.includes import without
from billcli.api.params import Params
from billcli.api.router import Router, json_body
from billcli.api.routes import (
    account,
    catalog,
    checkout,
    clocks,
    credit_notes,
    customers,
    discounts,
    invoicing,
    meters,
    payment_intents,
    payments,
    plans,
    portal,
    schedules,
    sources,
    subscriptions,
    tax_ids,
    taxes,
    webhooks,
)
from billcli.errors import (
    BillingError,
    CardDeclined,
    IdempotencyConflict,
    InvalidRequest,
    LedgerUnusable,
    NotFound,
)
from billcli.services.ledger.api_keys import valid
from billcli.services.ledger.idempotency import keyed, remember, replay
from billcli.services.meters import streams
from billcli.services.payments import invoice_payments
from billcli.store.dialect import WriteLockTaken
from billcli.store.ledger import Ledger
from billcli.store.paths import Address

MAX_BODY = 1 << 20  # 1 MiB
IDEMPOTENCY_COMMAND = "api"


def routes() -> list[Route]:
    domains = (customers, invoicing, catalog, plans, subscriptions, discounts, credit_notes)
    money = (payments, sources, payment_intents, checkout)
    rest = (webhooks, portal, clocks, taxes, tax_ids, meters, schedules, account)
    return [route for domain in (*domains, *money, *rest) for route in domain.ROUTES]


def _error(status: int, body: dict[str, Any], version: str, request_id: str) -> Response:
    return _json(status, body, version, request_id)


def _json(status: int, body: Any, version: str, request_id: str, **headers: str) -> Response:
    return Response(
        json_body(body),
        status_code=status,
        media_type="application/json",
        headers={"Request-Id": request_id, "Stripe-Version": version, **headers},
    )


def status_of(error: BillingError) -> int:
    """Stripe's HTTP status for an error (the libraries choose the exception by it)."""
    if error.http_status is not None:
        return error.http_status
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, CardDeclined):
        return 402
    if isinstance(error, IdempotencyConflict | InvalidRequest):
        return 400
    if isinstance(error, LedgerUnusable) and "locked" in error.message:
        return 409
    return 500


def _request_id() -> str:

    return "req_" + secrets.token_urlsafe(10).replace("-", "x").replace("_", "y")


def _key_of(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.startswith("Bearer "):
        return header[7:].strip()
    if header.startswith("Basic "):
        try:
            user = base64.b64decode(header[6:]).decode().split(":", 1)[0]
        except (ValueError, UnicodeDecodeError):
            return None
        return user or None
    return None


def _unauthorized(presented: str | None) -> dict[str, Any]:
    if not presented:
        message = (
            "You did not provide an API key. You need to provide your API key in the "
            "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
            "YOUR_SECRET_KEY'). `billcli api key` shows this ledger's."
        )
    else:
        message = f"Invalid API Key provided: {presented[:8]}{'*' * 8}{presented[-4:]}"
    return {"error": {"message": message, "type": "invalid_request_error"}}


class Api:
    """The routes bound to one ledger file. Each worker thread keeps its own connection
    (opening one costs a millisecond, and closing the last one checkpoints the WAL).
    The server's thread pool retires idle threads: their connections are closed when
    the next thread opens one, and every connection when the server stops, so none
    waits for the garbage collector to let go of the file."""

    def __init__(self, ledger_path: Address, durability: str):
        self.ledger_path = ledger_path
        self.durability = durability
        self._held: dict[threading.Thread, Ledger] = {}
        self._holding = threading.Lock()

    def _ledger(self) -> Ledger:
        me = threading.current_thread()
        held = self._held.get(me)
        if held is None:
            held = Ledger(self.ledger_path, durability=self.durability)
            with self._holding:
                retired = [t for t in self._held if not t.is_alive()]
                for thread in retired:
                    self._held.pop(thread).close()
                self._held[me] = held
        return held

    def _drop(self) -> None:
        """Forget this thread's connection after an error that may have spoiled it."""
        with self._holding:
            held = self._held.pop(threading.current_thread(), None)
        if held is not None:
            held.close()

    def close(self) -> None:
        """Close every thread's connection (the server is stopping)."""
        with self._holding:
            held, self._held = list(self._held.values()), {}
        for ledger in held:
            ledger.close()

    def endpoint(self, route: Route) -> Any:
        async def answer(request: Request) -> Response:
            request_id = _request_id()
            version = versions.resolve(request.headers.get("stripe-version"))
            try:
                body = await request.body()
            except ClientDisconnect:  # nothing was read, so nothing is written
                return Response(status_code=499)
            if len(body) > MAX_BODY:
                return _error(
                    413,
                    {
                        "error": {
                            "type": "invalid_request_error",
                            "message": f"Request bodies are limited to {MAX_BODY:,} bytes",
                        }
                    },
                    version,
                    request_id,
                )
            try:
                values = _values(route, request, body)
            except (UnicodeDecodeError, BillingError) as error:
                failed = (
                    error
                    if isinstance(error, BillingError)
                    else InvalidRequest("Invalid request body: not UTF-8 form data")
                )
                return _error(400, failed.to_stripe(), version, request_id)
            key = request.headers.get("idempotency-key")
            asked = (
                route,
                values,
                dict(request.path_params),
                _key_of(request),
                key if route.writes else None,
                version,
            )
            outcome = None
            if route.writes and not route.own_transactions:  # here, if its lock is free
                with suppress(WriteLockTaken):
                    outcome = self.run(*asked, waiting=False, request_id=request_id)
            if outcome is None:
                outcome = await run_in_threadpool(self.run, *asked, request_id=request_id)
            status, shown, replayed = outcome
            if status == 200:
                status = route.status
            extra = {"Idempotent-Replayed": "true"} if replayed else {}
            if key and route.writes:
                extra["Idempotency-Key"] = key
            return _json(status, shown, version, request_id, **extra)

        return answer

    def run(
        self,
        route: Route,
        values: dict[str, Any],
        path: dict[str, str],
        presented: str | None,
        idempotency_key: str | None,
        version: str = versions.BASE,
        *,
        waiting: bool = True,
        request_id: str | None = None,
    ) -> tuple[int, Any, bool]:
        """(status, body, replayed) of one request. A card error whose attempt was
        recorded (a decline, a payment waiting for authentication) commits what it
        recorded before it is answered. Not `waiting`, a write whose lock is taken
        raises `WriteLockTaken`, nothing done. Its events name `request_id`."""
        try:
            ledger = self._ledger()
            if route.own_transactions:
                if not self._authorized(ledger, presented, route):
                    return 401, _unauthorized(presented), False
                return 200, self._answer(ledger, route, values, path, version), False
            # A meter event session's token is not an API key: checked on its own.
            if route.auth != "key" and not self._authorized(ledger, presented, route):
                return 401, _unauthorized(presented), False
            # The key is checked in the request's own transaction: one BEGIN a request.
            with ledger.request(writes=route.writes, waiting=waiting, request_id=request_id) as tx:
                if route.auth == "key" and not (presented and valid(tx, presented)):
                    return 401, _unauthorized(presented), False
                if not route.writes:
                    return 200, self._answer(ledger, route, values, path, version), False
                try:
                    if idempotency_key is None:
                        return 200, self._answer(ledger, route, values, path, version), False
                    return self._once(ledger, tx, route, values, path, idempotency_key, version)
                except CardDeclined as declined:
                    if not declined.recorded:
                        raise
                    return 402, declined.to_stripe(), False
        except LedgerUnusable as error:
            self._drop()
            return status_of(error), error.to_stripe(), False
        except BillingError as error:
            return status_of(error), error.to_stripe(), False
        except WriteLockTaken:
            raise
        except Exception:  # the server answers, and keeps serving
            self._drop()
            traceback.print_exc(file=sys.stderr)
            return (
                500,
                {
                    "error": {
                        "type": "api_error",
                        "message": "An unexpected error occurred in billcli; "
                        "the request changed nothing.",
                    }
                },
                False,
            )

    def _authorized(self, ledger: Ledger, presented: str | None, route: Route) -> bool:
        if not presented:
            return False
        if route.auth == "meter_session":
            return streams.valid_session(ledger, presented)
        with ledger.read() as tx:
            return valid(tx, presented)

    def _answer(
        self,
        ledger: Ledger,
        route: Route,
        values: dict[str, Any],
        path: dict[str, str],
        version: str,
    ) -> Any:
        params = Params(values, version=version)
        found = counted(route.handler(ledger, params, **path), params.tally)

        def shaped(value: Any) -> Any:
            """An object as the version asked for shows it, without what is only
            included when expanded."""
            plain = without(value)
            context: dict[str, Any] = {"invoice": path.get("invoice")}
            if version >= versions.BASIL:
                context["intents"] = self.intents_shown(ledger, plain)
            return versions.render(plain, version, context)

        return expand(ledger, shaped(found), params.texts("expand"), shaped, version)

    def intents_shown(self, ledger: Ledger, answer: Any) -> dict[str, Any]:
        """The intents of the invoices in an answer, for the versions that show an
        invoice's `payments` and `confirmation_secret`."""
        found = payment_versions.invoice_intents(answer)
        return invoice_payments.of_invoices(ledger, found) if found else {}

    def _once(
        self,
        ledger: Ledger,
        tx: Any,
        route: Route,
        values: dict[str, Any],
        path: dict[str, str],
        key: str,
        version: str,
    ) -> tuple[int, Any, bool]:
        """Answer once per key: a replay returns the first answer (a recorded card error
        too, so a retried payment is not attempted twice); other parameters or another
        endpoint with the same key are an `idempotency_error` (HTTP 400)."""

        request = {"endpoint": f"{route.method} {route.path}", "path": path, "params": values}
        try:
            stored = replay(tx, IDEMPOTENCY_COMMAND, key, request)
        except IdempotencyConflict:
            raise IdempotencyConflict(
                "Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. Try using a key other than '{key}' if you meant to "
                "execute a different request.",
                param="idempotency_key",
            ) from None
        if stored is not None:
            return (402 if "error" in stored else 200), stored, True
        try:
            answer = keyed(tx, key, lambda: self._answer(ledger, route, values, path, version))
        except CardDeclined as declined:
            if declined.recorded:
                remember(tx, IDEMPOTENCY_COMMAND, key, request, declined.to_stripe())
            raise
        remember(tx, IDEMPOTENCY_COMMAND, key, request, answer)
        return 200, answer, False


def _values(route: Route, request: Request, body: bytes) -> dict[str, Any]:
    """A request's parameters: its query (GET, and a DELETE without a body), its form
    body, or (the v2 API) its JSON body, an object."""
    if route.body == "json" and route.method != "GET":
        if not body.strip():
            return {}
        try:
            values = json.loads(body)
        except ValueError:
            raise InvalidRequest("Invalid request body: not JSON") from None
        if not isinstance(values, dict):
            raise InvalidRequest("Invalid request body: a JSON object is expected")
        return values
    text = request.url.query if route.method == "GET" else body.decode()
    if route.method == "DELETE" and not text:
        text = request.url.query
    return parse(text)


def _unknown_route(request: Request, status: int) -> Response:
    version = versions.resolve(request.headers.get("stripe-version"))
    if status == 405:
        message = (
            f"The {request.method} method is not allowed on {request.url.path}; see "
            "https://stripe.com/docs/api for the methods each path takes."
        )
    else:
        message = (
            f"Unrecognized request URL ({request.method}: {request.url.path}). Please "
            "see https://stripe.com/docs or we can help at https://support.stripe.com/."
        )
    return _error(
        status,
        {"error": {"type": "invalid_request_error", "message": message}},
        version,
        _request_id(),
    )


def create_api(ledger_path: Address, *, durability: str = "full") -> Router:
    api = Api(ledger_path, durability)
    table = [(found.method, found.path, api.endpoint(found)) for found in routes()]
    return Router(table, _unknown_route, on_shutdown=api.close)
