"""The portal's subscription pages: cancel, keep, pause, and a change confirmed after its
preview. Every rule is `services.portal_subscriptions`'; this only reads forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from billcli.errors import BillingError, LinkExpired
from billcli.services.portal import sessions as portal_sessions
from billcli.services.portal import subscriptions as portal_subscriptions
from billcli.web.security import COOKIE

if TYPE_CHECKING:
    from billcli.web.app import Portal


class SubscriptionPages:
    def __init__(self, portal: Portal):
        self.portal = portal

    async def _post(
        self, request: Request, done: str | Callable[[Any], str], change: Callable[..., Any]
    ) -> Response:
        """A form that changes the subscription its path names."""
        sub = request.path_params["sub"]
        return await self.portal.portal_post(request, done, change, lambda form: (sub, form))

    async def cancel(self, request: Request) -> Response:
        return await self._post(
            request,
            lambda ends_at: "canceled" if ends_at is None else "cancels",
            portal_subscriptions.cancel,
        )

    async def keep(self, request: Request) -> Response:
        return await self._post(request, "kept", portal_subscriptions.keep)

    async def pause(self, request: Request) -> Response:
        return await self._post(request, "paused", portal_subscriptions.pause)

    async def change(self, request: Request) -> Response:
        """GET: the invoice the change would bring, to confirm; POST: make it."""
        if request.method == "POST":
            return await self._post(request, "changed", portal_subscriptions.change)
        sub = request.path_params["sub"]
        cookie = request.cookies.get(COOKIE)
        asked = dict(request.query_params)
        try:
            shown = await self.portal.call(portal_subscriptions.preview_change, cookie, sub, asked)
        except LinkExpired as error:
            return self.portal.expired(error)
        except BillingError as error:
            view = await self.portal.call(portal_sessions.portal, cookie)
            return self.portal.portal_page(view, str(cookie), status=400, error=error)
        return self.portal.page(
            "change.html",
            csrf=self.portal.tokens.for_cookie(str(cookie)),
            action=f"/p/portal/subscriptions/{sub}/change",
            **shown,
        )
