"""Webhook endpoints and signed delivery: the rules, with no network in sight.

Facts §5: the signature is HMAC-SHA256 over "{t}.{body}" with the endpoint secret,
sent as `Stripe-Signature: t=…,v1=…`; test mode retries a failed delivery three times
over a few hours. Facts §4.2: a draft waits for its `invoice.created` deliveries,
then finalizes an hour after the last one ended, and never later than 72 hours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from billcli.core.ledger import Problem
from billcli.core.urls import http_url
from billcli.errors import InvalidRequest

if TYPE_CHECKING:
    from billcli.core.records.webhooks import WebhookDelivery

_API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$")


def check_api_version(value: str) -> str:
    """An API version as Stripe names them (`2023-08-16`, `2025-03-31.basil`)."""
    if not _API_VERSION.match(value):
        raise InvalidRequest(
            f"Invalid api_version: '{value}' is not an API version (such as 2025-03-31.basil)",
            param="api_version",
        )
    return value


EVENT_TYPES = (
    "billing.meter.created",
    "billing.meter.deactivated",
    "billing.meter.reactivated",
    "billing.meter.updated",
    "billing_portal.configuration.created",
    "billing_portal.configuration.updated",
    "billing_portal.session.created",
    "charge.failed",
    "charge.refund.updated",
    "charge.refunded",
    "charge.succeeded",
    "charge.updated",
    "checkout.session.completed",
    "checkout.session.expired",
    "coupon.created",
    "coupon.deleted",
    "coupon.updated",
    "credit_note.created",
    "credit_note.updated",
    "credit_note.voided",
    "customer.created",
    "customer.deleted",
    "customer.discount.created",
    "customer.discount.deleted",
    "customer.discount.updated",
    "customer.source.created",
    "customer.source.deleted",
    "customer.source.updated",
    "customer.subscription.created",
    "customer.subscription.deleted",
    "customer.subscription.paused",
    "customer.subscription.resumed",
    "customer.subscription.trial_will_end",
    "customer.subscription.updated",
    "customer.tax_id.created",
    "customer.tax_id.deleted",
    "customer.updated",
    "invoice.created",
    "invoice.deleted",
    "invoice.finalization_failed",
    "invoice.finalized",
    "invoice.marked_uncollectible",
    "invoice.paid",
    "invoice.payment_action_required",
    "invoice.payment_failed",
    "invoice.payment_succeeded",
    "invoice.sent",
    "invoice.upcoming",
    "invoice.updated",
    "invoice.voided",
    "invoice_payment.paid",
    "invoiceitem.created",
    "invoiceitem.deleted",
    "payment_intent.canceled",
    "payment_intent.created",
    "payment_intent.payment_failed",
    "payment_intent.requires_action",
    "payment_intent.succeeded",
    "payment_method.attached",
    "payment_method.detached",
    "payment_method.updated",
    "plan.created",
    "plan.deleted",
    "plan.updated",
    "price.created",
    "price.deleted",
    "price.updated",
    "product.created",
    "product.deleted",
    "product.updated",
    "promotion_code.created",
    "promotion_code.updated",
    "refund.created",
    "refund.updated",
    "setup_intent.canceled",
    "setup_intent.created",
    "setup_intent.requires_action",
    "setup_intent.setup_failed",
    "setup_intent.succeeded",
    "subscription_schedule.aborted",
    "subscription_schedule.canceled",
    "subscription_schedule.completed",
    "subscription_schedule.created",
    "subscription_schedule.expiring",
    "subscription_schedule.released",
    "subscription_schedule.updated",
    "tax_rate.created",
    "tax_rate.updated",
    "v1.billing.meter.error_report_triggered",
    "v1.billing.meter.no_meter_found",
)
ALL_EVENTS = "*"

# billcli's published schedule, after the first attempt: three retries over three hours.
RETRY_OFFSETS_S = (10 * 60, 60 * 60, 3 * 60 * 60)
MAX_ATTEMPTS = len(RETRY_OFFSETS_S) + 1
ROTATION_OVERLAP_S = 24 * 60 * 60
EXCERPT_BYTES = 1024
DEFAULT_TIMEOUT_S = 10
DEFAULT_CONCURRENCY = 8


def new_secret() -> str:
    # startup: hashing and randomness load on use: reads start faster without them
    import secrets

    return "whsec_" + secrets.token_urlsafe(32)


def check_url(value: str) -> str:
    """An absolute http(s) URL: billcli posts to nothing else (no file:, no ftp:)."""
    http_url(value, "url", max_length=2048)
    parts = urlsplit(value)
    if parts.username or parts.password:
        raise InvalidRequest("Invalid url: credentials do not belong in the URL", param="url")
    return value


def parse_events(value: str) -> list[str]:
    """`*`, or a comma-separated list of known event types, in the order given."""
    given = list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))
    if not given:
        raise InvalidRequest("Invalid enabled_events: name at least one type, or *",
                             param="enabled_events")  # fmt: skip
    if given == [ALL_EVENTS]:
        return given
    for name in given:
        if name not in EVENT_TYPES:
            raise InvalidRequest(
                f"Invalid enabled_events: '{name}' is not an event type billcli sends "
                "(see `billcli webhooks create --help`)",
                param="enabled_events",
            )
    return given


def subscribed(enabled_events: list[str], event_type: str) -> bool:
    return ALL_EVENTS in enabled_events or event_type in enabled_events


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    # startup: signing loads only when something is sent
    import hashlib
    import hmac

    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secrets_: list[str], timestamp: int, body: bytes) -> str:
    """`t=…,v1=…` with one v1 per live secret (two while a secret is being rotated)."""
    parts = [f"t={timestamp}"] + [f"v1={signature(s, timestamp, body)}" for s in secrets_]
    return ",".join(parts)


def next_delivery_at(first_attempt: int, attempts_made: int, last_attempt: int) -> int | None:
    """When to try again after `attempts_made` failures, the last at `last_attempt`;
    None once retries are spent. On schedule, the offset from the first attempt; an
    attempt made late (its endpoint was disabled meanwhile) is followed after the gap
    the schedule puts there, never at once: retries back off, they do not burst."""
    if attempts_made >= MAX_ATTEMPTS:
        return None
    due = RETRY_OFFSETS_S[attempts_made - 1]
    gap = due - (RETRY_OFFSETS_S[attempts_made - 2] if attempts_made > 1 else 0)
    return max(first_attempt + due, last_attempt + gap)


def delivery_problems(
    deliveries: Iterable[WebhookDelivery], attempts: dict[tuple[str, str], tuple[int, int]]
) -> list[Problem]:
    """What `ledger check` finds wrong with deliveries and their recorded attempts."""
    problems = []
    for d in deliveries:
        made, succeeded = attempts.get((d.event, d.endpoint), (0, 0))
        name = f"{d.event}→{d.endpoint}"
        if made != d.attempts:
            problems.append(Problem(name, f"{d.attempts} attempts counted, {made} recorded"))
        if d.state == "succeeded" and succeeded != 1:
            problems.append(Problem(name, f"succeeded, with {succeeded} successful attempts"))
        if d.state == "pending" and (d.next_attempt_at is None or succeeded):
            problems.append(Problem(name, "pending without a next attempt, or after a success"))
        if d.state != "pending" and d.finished_at is None:
            problems.append(Problem(name, f"{d.state} without a finish time"))
        if d.attempts > MAX_ATTEMPTS:
            problems.append(Problem(name, f"{d.attempts} attempts (at most {MAX_ATTEMPTS})"))
    return problems
