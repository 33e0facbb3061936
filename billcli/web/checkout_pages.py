"""The hosted checkout page (a capability: its secret opens one open session), its Pay
button, and the way back from the bank's challenge. Every rule is
`services/checkout/completion.py`'s; this reads the form and says where to go next."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from billcli.errors import BillingError, LinkExpired
from billcli.services.checkout import completion, details, promotions, quantities
from billcli.web.security import form_text, same

if TYPE_CHECKING:
    from billcli.web.app import Portal


class CheckoutPages:
    def __init__(self, portal: Portal):
        self.portal = portal

    async def show(self, request: Request) -> Response:
        secret = request.path_params["secret"]
        return await self._render(secret)

    async def _render(
        self, secret: str, *, status: int = 200, error: BillingError | None = None
    ) -> Response:
        try:
            document = await self.portal.call(completion.page, secret)
        except LinkExpired as expired:
            return self.portal.expired(expired)
        return self.portal.page(
            "checkout.html",
            status,
            document=document,
            session=document.session,
            csrf=self.portal.tokens.for_page(secret),
            pay_action=f"/c/{secret}/pay",
            code_action=f"/c/{secret}/promotion_code",
            quantity_action=f"/c/{secret}/quantity",
            error=error,
            lang=document.lang,
        )

    async def pay(self, request: Request) -> Response:
        secret = request.path_params["secret"]
        form = await request.form()
        if not same(self.portal.tokens.for_page(secret), form_text(form.get("csrf"))):
            return self.portal.form_expired()
        card, email = form_text(form.get("payment_method")), form_text(form.get("email"))
        address = {
            key: value
            for key in ("line1", "city", "postal_code", "country")
            if (value := (form_text(form.get(f"address_{key}")) or "").strip())
        }
        collected = details.Collected(
            name=(form_text(form.get("name")) or "").strip() or None,
            address=address or None,
            phone=(form_text(form.get("phone")) or "").strip() or None,
            terms_accepted=form_text(form.get("terms_accepted")) == "accepted",
        )
        try:
            outcome = await self.portal.call(completion.pay, secret, card, email, collected)
        except LinkExpired as expired:
            return self.portal.expired(expired)
        except BillingError as error:
            return await self._render(secret, status=400, error=error)
        return await self._next(secret, outcome)

    async def promotion_code(self, request: Request) -> Response:
        """Apply the code typed (or, with `remove`, take it off), then show the page
        again: repriced, or with what was wrong and nothing changed."""
        form = await request.form()
        if form_text(form.get("remove")):
            return await self._change(request, form, promotions.remove)
        code = form_text(form.get("promotion_code"))
        return await self._change(request, form, promotions.apply, code)

    async def quantity(self, request: Request) -> Response:
        """Set an adjustable line item's quantity, then show the page again."""
        form = await request.form()
        item, typed = form_text(form.get("line_item")), form_text(form.get("quantity"))
        return await self._change(request, form, quantities.adjust, item, typed)

    async def _change(
        self, request: Request, form: Any, change: Callable[..., None], *args: Any
    ) -> Response:
        """A change of the open session from its page: repriced and shown again, or the
        page with what was wrong and nothing changed."""
        secret = request.path_params["secret"]
        if not same(self.portal.tokens.for_page(secret), form_text(form.get("csrf"))):
            return self.portal.form_expired()
        try:
            await self.portal.call(change, secret, *args)
        except LinkExpired as expired:
            return self.portal.expired(expired)
        except BillingError as error:
            return await self._render(secret, status=400, error=error)
        return RedirectResponse(f"/c/{secret}", status_code=303)

    async def returned(self, request: Request) -> Response:
        """Back from the 3-D Secure page."""
        secret = request.path_params["secret"]
        try:
            outcome = await self.portal.call(completion.returned, secret)
        except LinkExpired as expired:
            return self.portal.expired(expired)
        except BillingError as error:
            return await self._render(secret, status=402, error=error)
        return await self._next(secret, outcome)

    async def _next(self, secret: str, outcome: completion.Outcome) -> Response:
        if outcome.declined is not None:
            return await self._render(secret, status=402, error=outcome.declined)
        if not outcome.completed:
            return RedirectResponse(str(outcome.next_url), status_code=303)
        return self._thanks(outcome.next_url)

    def _thanks(self, success_url: str | None) -> HTMLResponse:
        """Complete: on to the success URL by a refresh, not a redirect of the form's
        answer, which the page's `form-action 'self'` would stop at another site."""
        return self.portal.page(
            "authenticated.html",
            title="Thank you",
            message="Your checkout is complete.",
            next_url=success_url,
        )
