"""The simulated 3-D Secure page (complete or fail, like Stripe's test page), under an
invoice's hosted page or on its own for other intents. Every rule is
`services/payments/confirmation.py`'s; this reads the form and says where to go next."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from billcli.errors import InvalidRequest, LinkExpired
from billcli.services.invoicing import hosted as hosted_invoices
from billcli.services.payments import confirmation
from billcli.web.security import form_text, same

if TYPE_CHECKING:
    from billcli.web.app import Portal
    from billcli.web.invoice_pages import InvoicePages

# What the page says after the answer (any other outcome is a failure).
_ANSWERS = {
    "succeeded": "You may return to the site you came from.",
    "failed": "The bank did not confirm it; nothing was paid or saved.",
    "expired": "The checkout session expired before you confirmed; nothing was paid.",
}


class AuthenticationPages:
    def __init__(self, portal: Portal, invoices: InvoicePages):
        self.portal = portal
        self.invoices = invoices

    async def show(self, request: Request) -> Response:
        action, page = request.path_params["action"], request.path_params.get("secret")
        try:
            challenge = await self.portal.call(confirmation.challenge, action, page)
        except LinkExpired as error:
            return self.portal.expired(error)
        return self.portal.page(
            "authenticate.html",
            challenge=challenge,
            csrf=self.portal.tokens.for_page(action),
            action=request.url.path,
        )

    async def answer(self, request: Request) -> Response:
        action, page = request.path_params["action"], request.path_params.get("secret")
        form = await request.form()
        token, result = form_text(form.get("csrf")), form.get("result")
        if not same(self.portal.tokens.for_page(action), token):
            return self.portal.form_expired()
        if result not in ("complete", "fail"):
            return self.portal.form_expired()
        answered = partial(
            confirmation.authenticate, succeeded=result == "complete", page_secret=page
        )
        try:
            outcome, next_url = await self.portal.call(answered, action)
        except LinkExpired as error:
            return self.portal.expired(error)
        if page is not None:
            return await self._back_to_invoice(page, outcome)
        succeeded = outcome == "succeeded"
        return self.portal.page(
            "authenticated.html",
            title="Authentication complete" if succeeded else "Authentication failed",
            message=_ANSWERS.get(outcome, _ANSWERS["failed"]),
            next_url=next_url,
        )

    async def _back_to_invoice(self, page: str, outcome: str) -> Response:
        """The invoice's page: paid, or showing why not."""
        if outcome == "succeeded":
            return RedirectResponse(f"/i/{page}?paid=1", status_code=303)
        document = await self.portal.call(hosted_invoices.page, page)
        message = (
            "Authentication failed: the payment was not made. Try again or pay another way."
            if outcome == "failed"
            else outcome
        )
        return self.invoices.render(
            page, document, status=402, error=InvalidRequest(message, param="payment_method")
        )
