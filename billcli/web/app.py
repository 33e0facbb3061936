"""The Starlette application: the customer portal, hosted invoice pages, invoice PDFs.

Each request opens the ledger, does one service call in a worker thread (SQLite may
wait on a busy lock), and closes it; the pages are Jinja2 templates with autoescaping,
so every value a customer or operator typed is shown as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from billcli.core.dates import utc_date, utc_text
from billcli.core.payments import TEST_CARDS
from billcli.core.portal import COOKIE_LIFETIME
from billcli.errors import BillingError, CardDeclined, LinkExpired
from billcli.render import invoice_print, text
from billcli.services.ledger import settings
from billcli.services.portal import sessions as portal_sessions
from billcli.store.ledger import Ledger
from billcli.store.paths import Address
from billcli.web.authentication_pages import AuthenticationPages
from billcli.web.checkout_pages import CheckoutPages
from billcli.web.invoice_pages import InvoicePages
from billcli.web.security import COOKIE, HEADERS, Tokens, allowed_hosts, form_text, same
from billcli.web.subscription_pages import SubscriptionPages

T = TypeVar("T")
STATIC = Path(__file__).parent / "static"
NOTICES = {
    "details": "Your details were saved.",
    "card": "Your card was saved.",
    "canceled": "Your subscription was canceled.",
    "cancels": "Your subscription will be canceled at the end of its current period, on the "
    "date below; until then it goes on.",
    "kept": "Your subscription will go on.",
    "changed": "Your subscription was changed.",
    "paused": "Payments on your subscription are paused.",
    "card_failed": "Your card was not saved: the authentication failed.",
}


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("billcli.web", "templates"),
        autoescape=select_autoescape(default=True),
    )
    env.filters["money"] = text.money
    env.filters["price"] = text.price_words
    env.filters["date"] = lambda t: utc_date(t) if t else ""
    env.filters["when"] = lambda t: utc_text(t) if t else ""
    env.globals["cards"] = _distinct_cards()
    env.globals["invoice_lines"] = text.invoice_lines
    env.globals["invoice_totals"] = text.invoice_totals
    env.globals["past_due"] = text.past_due
    env.globals["printed"] = invoice_print
    return env


def _distinct_cards() -> list[Any]:
    """The test cards a form offers, one per label a person reads (brand, last four,
    decline): Stripe's older short names (`pm_card_chargeDeclined`) decline exactly as
    their successors and would show twice."""
    seen: dict[tuple[str, str, str | None], Any] = {}
    for card in TEST_CARDS.values():
        seen.setdefault((card.brand, card.last4, card.decline_code or card.code), card)
    return list(seen.values())


class Portal:
    """The pages of one ledger, for the hosts it may be reached at."""

    def __init__(self, ledger_path: Address, bound: set[str]):
        self.ledger_path = ledger_path
        self.bound = bound
        self.tokens = Tokens()
        self.env = _environment()

    def call(self, fn: Callable[..., T], *args: Any) -> Awaitable[T]:
        """Run `fn(ledger, *args)` on a fresh connection in a worker thread."""

        def work() -> T:
            with Ledger(self.ledger_path) as ledger:
                return fn(ledger, *args)

        return run_in_threadpool(work)

    def page(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(**values)
        return HTMLResponse(html, status_code=status)

    def expired(self, error: LinkExpired) -> HTMLResponse:
        return self.page(
            "message.html",
            404,
            title="Link expired",
            message=error.message,
            return_url=error.return_url,
        )

    def form_expired(self) -> HTMLResponse:
        """A form whose CSRF token does not match the cookie or page it claims to be from."""
        return self.page(
            "message.html",
            403,
            title="Form expired",
            message="This form has expired. Reload the page and try again.",
            return_url=None,
        )

    def https(self, request: Request) -> bool:
        return request.url.scheme == "https"

    # -- the portal --------------------------------------------------------------------

    async def open_session(self, request: Request) -> Response:
        """Trade the one-time URL for a cookie, then move on to the portal itself.

        The move is a same-site page, not a redirect: a SameSite=Strict cookie set on a
        navigation that began on another site (a webmail link) is not sent on a
        redirect, but it is on the next navigation this page starts.
        """
        try:
            cookie = await self.call(portal_sessions.visit, request.path_params["secret"])
        except LinkExpired as error:
            return self.expired(error)
        response = self.page("opening.html")
        response.set_cookie(
            COOKIE,
            cookie,
            max_age=COOKIE_LIFETIME,
            path="/p",
            httponly=True,
            samesite="strict",
            secure=self.https(request),
        )
        return response

    async def portal(self, request: Request) -> Response:
        cookie = request.cookies.get(COOKIE)
        try:
            view = await self.call(portal_sessions.portal, cookie)
        except LinkExpired as error:
            return self.expired(error)
        confirm = (view.flow or {}).get("subscription_update_confirm")
        if confirm and view.subscriptions and _not_yet(view.subscriptions[0], confirm):
            (item,) = confirm["items"]
            version = view.subscriptions[0]["version"]
            return RedirectResponse(
                f"/p/portal/subscriptions/{confirm['subscription']}/change?price={item['price']}"
                f"&quantity={item['quantity']}&version={version}",
                status_code=303,
            )
        return self.portal_page(view, str(cookie), notice=request.query_params.get("done"))

    def portal_page(
        self,
        view: portal_sessions.PortalPage,
        cookie: str,
        *,
        status: int = 200,
        notice: str | None = None,
        error: BillingError | None = None,
        form: dict[str, str] | None = None,
    ) -> HTMLResponse:
        return self.page(
            "portal.html",
            status,
            view=view,
            csrf=self.tokens.for_cookie(cookie),
            notice=NOTICES.get(notice or ""),
            error=error,
            form=form or {},
        )

    async def portal_post(
        self,
        request: Request,
        done: str | Callable[[Any], str],
        change: Callable[..., Any],
        arguments: Callable[[dict[str, str]], tuple[Any, ...]],
    ) -> Response:
        """A portal form: its CSRF token checked, the change made, then where it leads
        (`done` names the notice to show, or makes its name from what the change returned)."""
        cookie = request.cookies.get(COOKIE)
        form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
        if cookie is None or not same(self.tokens.for_cookie(cookie), form.pop("csrf", None)):
            return self.form_expired()
        try:
            made = await self.call(change, cookie, *arguments(form))
            flow = await self.call(portal_sessions.flow_of, cookie)
        except LinkExpired as error:
            return self.expired(error)
        except BillingError as error:
            view = await self.call(portal_sessions.portal, cookie)
            status = 402 if isinstance(error, CardDeclined) else 400
            return self.portal_page(view, cookie, status=status, error=error, form=form)
        return self.completed(flow, done(made) if callable(done) else done)

    def completed(self, flow: dict[str, Any] | None, done: str) -> Response:
        """After a change: the portal, or where the session's flow says (facts §7)."""
        after = (flow or {}).get("after_completion") or {"type": "portal_homepage"}
        if after["type"] == "redirect":
            return RedirectResponse(after["redirect"]["return_url"], status_code=303)
        if after["type"] == "hosted_confirmation":
            message = (after["hosted_confirmation"] or {}).get("custom_message")
            return self.page("message.html", title="Done", return_url=None,
                             message=message or NOTICES.get(done, "Done."))  # fmt: skip
        return RedirectResponse(f"/p/portal?done={done}", status_code=303)

    async def update_details(self, request: Request) -> Response:
        return await self.portal_post(
            request, "details", portal_sessions.update_customer, lambda form: (form,)
        )

    async def update_card(self, request: Request) -> Response:
        """Save a card through a SetupIntent; one that asks for authentication sends the
        customer to its challenge first (`setup_complete` brings them back)."""
        challenges: list[str] = []

        def change(ledger: Ledger, cookie: str, card: str) -> None:
            url = portal_sessions.change_payment_method(ledger, cookie, card)
            challenges.extend([url] if url else [])

        answer = await self.portal_post(
            request, "card", change, lambda form: (form.get("payment_method", ""),)
        )
        if challenges and answer.status_code == 303:
            return RedirectResponse(challenges[0], status_code=303)
        return answer

    async def setup_complete(self, request: Request) -> Response:
        cookie = request.cookies.get(COOKIE)
        try:
            saved = await self.call(
                portal_sessions.finish_setup, cookie, request.query_params.get("setup_intent", "")
            )
        except LinkExpired as error:
            return self.expired(error)
        except BillingError as error:
            view = await self.call(portal_sessions.portal, cookie)
            return self.portal_page(view, str(cookie), status=400, error=error)
        return RedirectResponse(f"/p/portal?done={'card' if saved else 'card_failed'}", 303)

    # -- login page --------------------------------------------------------------------

    async def login(self, request: Request) -> Response:
        secret = request.path_params["secret"]
        try:
            configuration = await self.call(portal_sessions.login_configuration, secret)
        except LinkExpired as error:
            return self.expired(error)
        if request.method == "GET":
            return self.page("login.html", configuration=configuration,
                             csrf=self.tokens.for_page(secret), error=None)  # fmt: skip
        form = await request.form()
        email = form.get("email")
        if not same(self.tokens.for_page(secret), form_text(form.get("csrf"))):
            return self.form_expired()
        try:
            await self.call(portal_sessions.email_login_link, secret, form_text(email) or "")
        except LinkExpired as error:
            return self.expired(error)
        except BillingError as error:
            return self.page("login.html", 400, configuration=configuration,
                             csrf=self.tokens.for_page(secret), error=error)  # fmt: skip
        return self.page("message.html", title="Check your email",
                         message="If that address belongs to a customer, a link to the portal "
                         "is on its way. It works once, within 5 minutes.",
                         return_url=None)  # fmt: skip

    async def home(self, request: Request) -> Response:
        return self.page("message.html", title="billcli portal",
                         message="Open the link you were given to see your billing details.",
                         return_url=None)  # fmt: skip


def _not_yet(subscription: dict[str, Any], confirm: dict[str, Any]) -> bool:
    """Whether a subscription is not yet what its update_confirm flow proposes."""
    (item,) = confirm["items"]
    current = subscription["items"]["data"][0]
    return (current["price"]["id"], current["quantity"]) != (item["price"], item["quantity"])


class Guard:
    """Refuse foreign Host headers; put the security headers on every answer."""

    def __init__(self, app: ASGIApp, portal: Portal):
        self.app = app
        self.portal = portal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
        public_url = await self.portal.call(_public_url)
        if host not in allowed_hosts(public_url, self.portal.bound):
            refusal = PlainTextResponse("Invalid Host header", status_code=400)
            await refusal(scope, receive, partial(_secured, send))
            return
        await self.app(scope, receive, partial(_secured, send))


def _public_url(ledger: Ledger) -> str:
    with ledger.read() as tx:
        return settings.value(tx, "public_url")


async def _secured(send: Send, message: dict[str, Any]) -> None:
    if message["type"] == "http.response.start":
        headers = list(message.get("headers", []))
        headers += [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]
        message = {**message, "headers": headers}
    await send(message)


def create_app(ledger_path: Address, *, bound: set[str]) -> ASGIApp:
    """The ASGI app serving `ledger_path`, answering the public URL's host and `bound`."""
    portal = Portal(ledger_path, bound)
    plans = SubscriptionPages(portal)
    invoices = InvoicePages(portal)
    challenges = AuthenticationPages(portal, invoices)
    checkout = CheckoutPages(portal)
    routes = [
        Route("/", portal.home),
        Route("/p/session/{secret}", portal.open_session),
        Route("/p/portal", portal.portal),
        Route("/p/portal/details", portal.update_details, methods=["POST"]),
        Route("/p/portal/payment-method", portal.update_card, methods=["POST"]),
        Route("/p/portal/setup-complete", portal.setup_complete),
        Route("/p/portal/subscriptions/{sub}/cancel", plans.cancel, methods=["POST"]),
        Route("/p/portal/subscriptions/{sub}/keep", plans.keep, methods=["POST"]),
        Route("/p/portal/subscriptions/{sub}/pause", plans.pause, methods=["POST"]),
        Route("/p/portal/subscriptions/{sub}/change", plans.change, methods=["GET", "POST"]),
        Route("/p/login/{secret}", portal.login, methods=["GET", "POST"]),
        Route("/i/{secret}", invoices.show),
        Route("/i/{secret}/pay", invoices.pay, methods=["POST"]),
        Route("/i/{secret}/pdf", invoices.pdf),
        Route("/i/{secret}/authenticate/{action}", challenges.show),
        Route("/i/{secret}/authenticate/{action}", challenges.answer, methods=["POST"]),
        Route("/authenticate/{action}", challenges.show),
        Route("/authenticate/{action}", challenges.answer, methods=["POST"]),
        Route("/i/{secret}/credit_notes/{credit_note}/pdf", invoices.credit_note_pdf),
        Route("/c/{secret}", checkout.show),
        Route("/c/{secret}/pay", checkout.pay, methods=["POST"]),
        Route("/c/{secret}/promotion_code", checkout.promotion_code, methods=["POST"]),
        Route("/c/{secret}/quantity", checkout.quantity, methods=["POST"]),
        Route("/c/{secret}/return", checkout.returned),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    return Guard(Starlette(routes=routes), portal)
