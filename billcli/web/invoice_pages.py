"""The hosted invoice page (a capability: its secret opens one invoice), its Pay
button, and the invoice and credit note PDFs beside it. Every rule is
`services/invoicing/hosted.py`'s; a card that asks for 3-D Secure sends the payer on to
its challenge (`authentication_pages.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from billcli.errors import BillingError, LinkExpired
from billcli.services.invoicing import hosted as hosted_invoices
from billcli.services.invoicing.payment import WAITING
from billcli.web.security import form_text, same

if TYPE_CHECKING:
    from billcli.web.app import Portal


class InvoicePages:
    def __init__(self, portal: Portal):
        self.portal = portal

    async def show(self, request: Request) -> Response:
        secret = request.path_params["secret"]
        try:
            document = await self.portal.call(hosted_invoices.page, secret)
        except LinkExpired as error:
            return self.portal.expired(error)
        return self.render(secret, document, paid=bool(request.query_params.get("paid")))

    def render(
        self,
        secret: str,
        document: hosted_invoices.InvoiceDocument,
        *,
        status: int = 200,
        paid: bool = False,
        error: BillingError | None = None,
    ) -> HTMLResponse:
        return self.portal.page(
            "invoice.html",
            status,
            document=document,
            invoice=document.invoice,
            csrf=self.portal.tokens.for_page(secret),
            pay_action=f"/i/{secret}/pay",
            paid=paid,
            error=error,
        )

    async def pay(self, request: Request) -> Response:
        secret = request.path_params["secret"]
        form = await request.form()
        if not same(self.portal.tokens.for_page(secret), form_text(form.get("csrf"))):
            return self.portal.form_expired()
        try:
            document, declined = await self.portal.call(
                hosted_invoices.pay, secret, form_text(form.get("payment_method"))
            )
        except LinkExpired as error:
            return self.portal.expired(error)
        except BillingError as error:
            document = await self.portal.call(hosted_invoices.page, secret)
            return self.render(secret, document, status=400, error=error)
        challenge = (document.intent or {}).get("next_action") or {}
        if declined is not None and declined.code == WAITING and challenge:
            return RedirectResponse(challenge["redirect_to_url"]["url"], status_code=303)
        if declined is not None:
            return self.render(secret, document, status=402, error=declined)
        return RedirectResponse(f"/i/{secret}?paid=1", status_code=303)

    async def pdf(self, request: Request) -> Response:
        # startup: fpdf2 loads only when a PDF is asked for
        from billcli.render.invoice_pdf import invoice_pdf

        try:
            document = await self.portal.call(hosted_invoices.page, request.path_params["secret"])
        except LinkExpired as error:
            return self.portal.expired(error)
        name = document.invoice.get("number") or document.invoice["id"]
        return _pdf_response(await run_in_threadpool(invoice_pdf, document), name)

    async def credit_note_pdf(self, request: Request) -> Response:
        # startup: fpdf2 loads only when a PDF is asked for
        from billcli.render.invoice_pdf import credit_note_pdf
        from billcli.services.invoicing.credit_notes import document_on_page

        secret, note = request.path_params["secret"], request.path_params["credit_note"]
        try:
            document = await self.portal.call(document_on_page, secret, note)
        except LinkExpired as error:
            return self.portal.expired(error)
        rendered = await run_in_threadpool(credit_note_pdf, document)
        return _pdf_response(rendered, document.credit_note["number"])


def _pdf_response(rendered: Any, name: str) -> Response:
    return Response(
        rendered.data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )
