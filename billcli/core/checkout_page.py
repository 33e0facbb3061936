"""What a Checkout Session's hosted page asks and says beyond its items: its language,
the address and phone it collects, its texts, the consent it asks for, what it may
change on an existing customer. Checked once, stored as given (the session's `page`),
and shown on the session in Stripe's shape. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from billcli.core import checkout_invoice
from billcli.core.checkout_invoice import InvoiceData
from billcli.core.invoicing import check_choice
from billcli.errors import InvalidRequest

LOCALES = (
    "auto", "bg", "cs", "da", "de", "el", "en", "en-GB", "es", "es-419", "et", "fi", "fil",
    "fr", "fr-CA", "hi-IN", "hr", "hu", "id", "it", "ja", "ko", "lt", "lv", "ms", "mt", "nb",
    "nl", "pl", "pt", "pt-BR", "ro", "ru", "sk", "sl", "sv", "th", "tr", "vi", "zh", "zh-HK",
    "zh-TW",
)  # fmt: skip
ADDRESS_COLLECTIONS = ("auto", "required")
SUBMIT_TYPES = ("auto", "book", "donate", "pay", "subscribe")
TEXTS = ("after_submit", "shipping_address", "submit", "terms_of_service_acceptance")
MAX_TEXT = 1200
UI_MODES = ("hosted", "hosted_page")  # Stripe's older and newer names of the one page
SUBMIT_LABELS = {"book": "Book", "donate": "Donate", "pay": "Pay", "subscribe": "Subscribe"}


@dataclass(frozen=True)
class PageInput:
    """The page's parameters as given (`custom_text`: name → message)."""

    locale: str | None = None
    billing_address_collection: str | None = None
    phone_number_collection: bool | None = None
    custom_text: tuple[tuple[str, str], ...] = ()
    submit_type: str | None = None
    recovery: bool | None = None  # after_expiration[recovery][enabled]
    recovery_promotion_codes: bool | None = None
    promotions_consent: str | None = None  # consent_collection[promotions]
    terms_of_service: str | None = None  # consent_collection[terms_of_service]
    reuse_agreement: str | None = None  # [payment_method_reuse_agreement][position]
    update_address: str | None = None  # customer_update[address]
    update_name: str | None = None  # customer_update[name]
    update_shipping: str | None = None  # customer_update[shipping]
    invoice_creation: bool | None = None  # invoice_creation[enabled]
    invoice_data: InvoiceData | None = None  # invoice_creation[invoice_data]
    ui_mode: str | None = None

    def checked(self, mode: str, *, customer: bool) -> dict[str, Any]:
        """The page's settings, stored as the session's `page`."""
        if self.locale is not None:
            check_choice(self.locale, LOCALES, "locale")
        if self.billing_address_collection is not None:
            check_choice(self.billing_address_collection, ADDRESS_COLLECTIONS,
                         "billing_address_collection")  # fmt: skip
        self._check_submit(mode)
        self._check_texts()
        self._check_consent()
        self._check_update(customer)
        if self.ui_mode is not None:
            check_choice(self.ui_mode, UI_MODES, "ui_mode")
        invoice = self._check_invoice(mode)
        return {k: v for k, v in vars(self).items() if v not in (None, ())} | {
            "custom_text": dict(self.custom_text),
            **invoice,
        }

    def _check_invoice(self, mode: str) -> dict[str, Any]:
        """`invoice_creation`: a `payment` session's post-payment invoice (a subscription's
        invoices are its own); `enabled` is required, as Stripe requires it."""
        if self.invoice_creation is None and self.invoice_data is not None:
            raise InvalidRequest.missing("invoice_creation[enabled]")
        if self.invoice_creation is not None and mode != "payment":
            raise InvalidRequest(
                "`invoice_creation` can only be used in `payment` mode (a subscription's "
                "invoices are its own).",
                param="invoice_creation",
            )
        if self.invoice_data is None:
            return {}
        return {"invoice_data": self.invoice_data.checked()}

    def _check_submit(self, mode: str) -> None:
        if self.submit_type is None:
            return
        check_choice(self.submit_type, SUBMIT_TYPES, "submit_type")
        if mode == "setup":
            raise InvalidRequest(
                "`submit_type` can only be used in `payment` and `subscription` mode.",
                param="submit_type",
            )

    def _check_texts(self) -> None:
        for name, message in self.custom_text:
            check_choice(name, TEXTS, f"custom_text[{name}]")
            if len(message) > MAX_TEXT:
                raise InvalidRequest(
                    f"Invalid custom_text[{name}][message]: at most {MAX_TEXT} characters",
                    param=f"custom_text[{name}][message]",
                )

    def _check_consent(self) -> None:
        if self.promotions_consent is not None:
            check_choice(self.promotions_consent, ("auto", "none"),
                         "consent_collection[promotions]")  # fmt: skip
        if self.terms_of_service is not None:
            check_choice(self.terms_of_service, ("none", "required"),
                         "consent_collection[terms_of_service]")  # fmt: skip
        if self.reuse_agreement is not None:
            where = "consent_collection[payment_method_reuse_agreement][position]"
            check_choice(self.reuse_agreement, ("auto", "hidden"), where)

    def _check_update(self, customer: bool) -> None:
        given = {"address": self.update_address, "name": self.update_name,
                 "shipping": self.update_shipping}  # fmt: skip
        for name, value in given.items():
            if value is not None:
                check_choice(value, ("auto", "never"), f"customer_update[{name}]")
                if not customer:
                    raise InvalidRequest(
                        "`customer_update` can only be used with `customer`.",
                        param=f"customer_update[{name}]",
                    )
        if self.update_shipping == "auto":
            raise InvalidRequest(
                "Cannot use customer_update[shipping]=auto: billcli's Checkout collects no "
                "shipping address",
                param="customer_update[shipping]",
            )


def shown(page: dict[str, Any]) -> dict[str, Any]:
    """The session's fields that carry the page's settings, in Stripe's shape
    (`customer_update` is not one: Stripe shows it nowhere; it decides what completing
    the session writes on the customer), and the consent the customer gave."""
    texts = page.get("custom_text") or {}
    recovery = page.get("recovery")
    consent = (page.get("promotions_consent"), page.get("terms_of_service"))
    reuse = page.get("reuse_agreement")
    return {
        "consent": page.get("consent"),
        "after_expiration": None if recovery is None else _recovery(page),
        "billing_address_collection": page.get("billing_address_collection"),
        "consent_collection": None
        if consent == (None, None) and reuse is None
        else {
            "payment_method_reuse_agreement": None if reuse is None else {"position": reuse},
            "promotions": consent[0],
            "terms_of_service": consent[1],
        },
        "custom_text": {
            name: None if name not in texts else {"message": texts[name]} for name in TEXTS
        },
        "invoice_creation": None
        if "invoice_creation" not in page
        else checkout_invoice.shown(page["invoice_creation"], page.get("invoice_data") or {}),
        "locale": page.get("locale"),
        "phone_number_collection": {"enabled": bool(page.get("phone_number_collection"))},
        "submit_type": page.get("submit_type"),
    }


def _recovery(page: dict[str, Any]) -> dict[str, Any]:
    return {
        "recovery": {
            "allow_promotion_codes": bool(page.get("recovery_promotion_codes")),
            "enabled": page["recovery"],
            "expires_at": None,
            "url": None,
        }
    }


def creates_invoice(page: dict[str, Any]) -> bool:
    """Whether completing the session makes a paid invoice (`invoice_creation[enabled]`)."""
    return bool(page.get("invoice_creation"))


def submit_label(page: dict[str, Any]) -> str | None:
    """The page's button, when `submit_type` names one (else the page's own wording)."""
    return SUBMIT_LABELS.get(page.get("submit_type") or "auto")


def language(page: dict[str, Any]) -> str:
    """The hosted page's `lang`: the session's locale; `auto` (or none) is English,
    billcli's pages having no other wording to follow the browser with."""
    locale = page.get("locale")
    return "en" if locale in (None, "auto") else str(locale)
