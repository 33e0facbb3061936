"""The Stripe-shaped `payment_method`, `payment_intent`, `charge`, `refund`,
`setup_intent` and `invoice_payment`, each built here and only here.

Shapes are API 2023-08-16 (every property its schema lists, null where it does not
apply; properties Stripe leaves out unless they apply, such as the other payment method
types, are left out); `api/versions.py` walks them to the current field set. Card
details come from the test card a method was made from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from billcli.core.intents import AUTHENTICATION_FAILED
from billcli.core.payments import (
    CHALLENGE,
    EXP_MONTH,
    EXP_YEAR,
    TEST_CARDS,
    decline_message,
    outcome,
    risk_score,
)

if TYPE_CHECKING:
    from billcli.core.records.payments import (
        Charge,
        PaymentIntent,
        PaymentMethod,
        Refund,
        SetupIntent,
    )

NO_ADDRESS = dict.fromkeys(("city", "country", "line1", "line2", "postal_code", "state"))


def billing_details(given: dict[str, Any] | None) -> dict[str, Any]:
    """`billing_details`: what was given, every field present."""
    given = given or {}
    return {
        "address": NO_ADDRESS | (given.get("address") or {}),
        "email": given.get("email"),
        "name": given.get("name"),
        "phone": given.get("phone"),
    }


def _card_basics(test_name: str) -> dict[str, Any]:
    card = TEST_CARDS[test_name]
    return {
        "brand": card.brand,
        "country": card.country,
        "exp_month": EXP_MONTH,
        "exp_year": EXP_YEAR,
        "fingerprint": card.fingerprint,
        "funding": card.funding,
        "last4": card.last4,
    }


def payment_method(pm: PaymentMethod) -> dict[str, Any]:
    """The `payment_method` object of a test card (`allow_redisplay`, newer than the 2023
    schema, shown when it was set)."""
    redisplay = (
        {} if pm.allow_redisplay == "unspecified" else {"allow_redisplay": pm.allow_redisplay}
    )
    return redisplay | {
        "id": pm.id,
        "object": "payment_method",
        "billing_details": billing_details(pm.billing_details),
        "card": {
            **_card_basics(pm.test_name),
            "checks": {
                "address_line1_check": None,
                "address_postal_code_check": None,
                "cvc_check": "pass",
            },
            "generated_from": None,
            "networks": {"available": [pm.brand], "preferred": None},
            "three_d_secure_usage": {"supported": True},
            "wallet": None,
        },
        "created": pm.created,
        "customer": pm.customer,
        "livemode": False,
        "metadata": dict(pm.metadata),
        "type": "card",
    }


def shipping(given: dict[str, Any] | None) -> dict[str, Any] | None:
    """`shipping`: where the goods a payment is for go, every field present."""
    if not given:
        return None
    fields = dict.fromkeys(("carrier", "phone", "tracking_number")) | given
    return fields | {"address": NO_ADDRESS | (given.get("address") or {})}


def next_action(url: str | None, return_url: str | None) -> dict[str, Any] | None:
    """What the customer must do while an intent waits: open its authentication page."""
    if url is None:
        return None
    return {"type": "redirect_to_url", "redirect_to_url": {"return_url": return_url, "url": url}}


def payment_error(
    kind: str, code: str, message: str, *, decline_code: str | None = None, **rest: Any
) -> dict[str, Any]:
    """`last_payment_error` / `last_setup_error`: the api_errors object of the last try
    (`payment_method` as an id here; the object is put in when shown)."""
    shown = {"type": kind, "code": code, "message": message, "decline_code": decline_code}
    shown["doc_url"] = "https://stripe.com/docs/error-codes/" + code.replace("_", "-")
    return {key: value for key, value in (shown | rest).items() if value is not None}


def authentication_failure(kind: str, payment_method: str) -> dict[str, Any]:
    """The last error of an intent whose customer failed the challenge (notes §7)."""
    name = "PaymentIntent" if kind == "payment_intent" else "SetupIntent"
    return payment_error(
        "invalid_request_error",
        f"{kind}_authentication_failure",
        AUTHENTICATION_FAILED.format(kind=name),
        payment_method=payment_method,
    )


def payment_intent(
    pi: PaymentIntent,
    *,
    action_url: str | None,
    last_error: dict[str, Any] | None,
) -> dict[str, Any]:
    """The `payment_intent` object (`last_error` with its payment method shown whole)."""
    return {
        "id": pi.id,
        "object": "payment_intent",
        "amount": pi.amount,
        "amount_capturable": pi.amount_capturable,
        "amount_details": {"tip": {}},
        "amount_received": pi.amount_received,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": pi.automatic_payment_methods,
        "canceled_at": pi.canceled_at,
        "cancellation_reason": pi.cancellation_reason,
        "capture_method": pi.capture_method,
        "client_secret": pi.client_secret,
        "confirmation_method": pi.confirmation_method,
        "created": pi.created,
        "currency": pi.currency,
        "customer": pi.customer,
        "description": pi.description,
        "invoice": pi.invoice,
        "last_payment_error": last_error,
        "latest_charge": pi.latest_charge,
        "livemode": False,
        "metadata": dict(pi.metadata),
        "next_action": next_action(action_url, pi.return_url)
        if pi.status == "requires_action"
        else None,
        "on_behalf_of": None,
        "payment_method": pi.payment_method,
        "payment_method_options": pi.payment_method_options or {},
        "payment_method_types": ["card"],
        "processing": None,
        "receipt_email": pi.receipt_email,
        "review": None,
        "setup_future_usage": pi.setup_future_usage,
        "shipping": shipping(pi.shipping),
        "statement_descriptor": pi.statement_descriptor,
        "statement_descriptor_suffix": pi.statement_descriptor_suffix,
        "status": pi.status,
        "transfer_data": None,
        "transfer_group": None,
    }


def three_d_secure(authenticated: bool) -> dict[str, Any] | None:
    """What a completed test challenge leaves on the charge (notes §3.1)."""
    if not authenticated:
        return None
    return {
        "authentication_flow": CHALLENGE,
        "result": "authenticated",
        "result_reason": None,
        "version": "2.2.0",
    }


def charge(
    ch: Charge,
    refunds: list[dict[str, Any]],
    *,
    more_refunds: bool = False,
    billing: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The `charge` object, with its refunds (the first page, newest first; `more_refunds`
    when older ones lie beyond it)."""
    succeeded = ch.status == "succeeded"
    card = TEST_CARDS[ch.test_name]
    return {
        "id": ch.id,
        "object": "charge",
        "amount": ch.amount,
        "amount_captured": ch.amount_captured,
        "amount_refunded": ch.amount_refunded,
        "application": None,
        "application_fee": None,
        "application_fee_amount": None,
        "balance_transaction": None,
        "billing_details": billing_details(billing),
        "calculated_statement_descriptor": None,
        "captured": ch.captured,
        "created": ch.created,
        "currency": ch.currency,
        "customer": ch.customer,
        "description": ch.description,
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": ch.failure_code,
        "failure_message": None if succeeded else failure_message(ch),
        "fraud_details": {},
        "invoice": ch.invoice,
        "livemode": False,
        "metadata": dict(ch.metadata),
        "on_behalf_of": None,
        "outcome": outcome(ch.failure_code, ch.decline_code, risk_score(card)),
        "paid": succeeded,
        "payment_intent": ch.payment_intent,
        "payment_method": ch.payment_method,
        "payment_method_details": {
            "card": {
                **_card_basics(ch.test_name),
                "checks": dict.fromkeys(
                    ("address_line1_check", "address_postal_code_check", "cvc_check")
                ),
                "installments": None,
                "mandate": None,
                "network": card.brand,
                "network_token": {"used": False},
                "three_d_secure": three_d_secure(ch.authenticated),
                "wallet": None,
                **({} if ch.capture_before is None else {"capture_before": ch.capture_before}),
            },
            "type": "card",
        },
        "receipt_email": ch.receipt_email,
        "receipt_number": None,
        "receipt_url": None,
        "refunded": ch.amount_refunded > 0 and ch.amount_refunded == ch.amount,
        "refunds": {
            "object": "list",
            "data": refunds,
            "has_more": more_refunds,
            "url": f"/v1/charges/{ch.id}/refunds",
        },
        "review": None,
        "shipping": shipping(ch.shipping),
        "source_transfer": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": ch.status,
        "transfer_data": None,
        "transfer_group": None,
    }


def failure_message(ch: Charge) -> str:
    return decline_message(ch.failure_code or "card_declined", ch.decline_code)


def refund(re: Refund) -> dict[str, Any]:
    """The `refund` object of a card refund (succeeded at once, as test cards are)."""
    return {
        "id": re.id,
        "object": "refund",
        "amount": re.amount,
        "balance_transaction": None,
        "charge": re.charge,
        "created": re.created,
        "currency": re.currency,
        "metadata": dict(re.metadata),
        "payment_intent": re.payment_intent,
        "reason": re.reason,
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": re.status,
        "transfer_reversal": None,
    }


def setup_intent(
    si: SetupIntent, *, action_url: str | None, last_error: dict[str, Any] | None
) -> dict[str, Any]:
    """The `setup_intent` object."""
    return {
        "id": si.id,
        "object": "setup_intent",
        "application": None,
        "automatic_payment_methods": si.automatic_payment_methods,
        "cancellation_reason": si.cancellation_reason,
        "client_secret": si.client_secret,
        "created": si.created,
        "customer": si.customer,
        "description": si.description,
        "flow_directions": None,
        "last_setup_error": last_error,
        "latest_attempt": None,
        "livemode": False,
        "mandate": None,
        "metadata": dict(si.metadata),
        "next_action": next_action(action_url, si.return_url)
        if si.status == "requires_action"
        else None,
        "on_behalf_of": None,
        "payment_method": si.payment_method,
        "payment_method_options": si.payment_method_options or {},
        "payment_method_types": ["card"],
        "single_use_mandate": None,
        "status": si.status,
        "usage": si.usage,
    }


def invoice_payment_id(intent_id: str) -> str:
    """The default InvoicePayment of an invoice's intent: one to one, so it shares the
    intent's id (`inpay_` + the same characters) and needs no row of its own."""
    return "inpay_" + intent_id.removeprefix("pi_")


def intent_of_invoice_payment(invoice_payment_id_: str) -> str:
    return "pi_" + invoice_payment_id_.removeprefix("inpay_")


def invoice_payment(invoice: str, intent: dict[str, Any], paid_at: int | None) -> dict[str, Any]:
    """The invoice's default `invoice_payment` (API 2025-03-31.basil on): open while the
    invoice waits, paid when its intent succeeded, canceled with the intent."""
    status = {"succeeded": "paid", "canceled": "canceled"}.get(intent["status"], "open")
    return {
        "id": invoice_payment_id(intent["id"]),
        "object": "invoice_payment",
        "amount_paid": intent["amount_received"] if status == "paid" else None,
        "amount_requested": intent["amount"],
        "created": intent["created"],
        "currency": intent["currency"],
        "invoice": invoice,
        "is_default": True,
        "livemode": False,
        "payment": {"payment_intent": intent["id"], "type": "payment_intent"},
        "status": status,
        "status_transitions": {
            "canceled_at": intent["canceled_at"],
            "paid_at": paid_at if status == "paid" else None,
        },
    }
