"""The portal's subscription pages: cancel, keep, pause, and a change confirmed after its
preview. Every rule is `services.portal_subscriptions`'; this only reads forms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from billcli.errors import BillingError, LinkExpired
from billcli.services import portal_sessions, portal_subscriptions
from billcli.web.security import COOKIE

if TYPE_CHECKING:
    from billcli.web.app import Portal


class SubscriptionPages:
    def __init__(self, portal: Portal):
        self.portal = portal

    async def cancel(self, request: Request) -> Response:
        sub = request.path_params["sub"]
        return await self.portal.portal_post(
            request, "canceled", portal_subscriptions.cancel, lambda form: (sub, form)
        )

    async def keep(self, request: Request) -> Response:
        sub = request.path_params["sub"]
        return await self.portal.portal_post(
            request, "kept", portal_subscriptions.keep, lambda form: (sub, form)
        )

    async def pause(self, request: Request) -> Response:
        sub = request.path_params["sub"]
        return await self.portal.portal_post(
            request, "paused", portal_subscriptions.pause, lambda form: (sub, form)
        )

    async def change(self, request: Request) -> Response:
        """GET: the invoice the change would bring, to confirm; POST: make it."""
        sub = request.path_params["sub"]
        if request.method == "POST":
            return await self.portal.portal_post(
                request, "changed", portal_subscriptions.change, lambda form: (sub, form)
            )
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
