"""Every event carries its object as it is once the change the event names is done.

One scenario drives every path that records events (explicit commands, `invoices
tick`, the portal's forms and the hosted invoice page), then walks the whole event log:
each event's snapshot must agree with its type, and the newest snapshot of each object
must be the object as the ledger shows it now.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from billcli.core.webhooks import EVENT_TYPES
from billcli.services.catalog import plans
from billcli.services.meters import streams
from billcli.services.payments import charges, refunds, sources
from billcli.services.payments.sources import CardDetails
from billcli.store.ledger import Ledger
from billcli.web.app import create_app
from tests.web.conftest import BASE, csrf

Check = Callable[[dict[str, Any], dict[str, Any] | None], None]


def _changed(obj: dict[str, Any], previous: dict[str, Any] | None) -> None:
    assert previous, "an update names what changed"
    for key, old in previous.items():
        assert obj[key] != old, f"{key} still holds its previous value {old!r}"


def _paid(obj: dict[str, Any], _: dict[str, Any] | None) -> None:
    assert obj["status"] == "paid" and obj["paid"] is True
    assert obj["amount_paid"] == obj["amount_due"] and obj["amount_remaining"] == 0
    assert obj["status_transitions"]["paid_at"] is not None


def _failed(obj: dict[str, Any], _: dict[str, Any] | None) -> None:
    assert obj["status"] in ("open", "uncollectible") and obj["attempted"] is True
    assert obj["attempt_count"] >= 1 and obj["amount_remaining"] > 0


def _finalized(obj: dict[str, Any], _: dict[str, Any] | None) -> None:
    assert obj["status"] != "draft" and obj["number"]
    assert obj["status_transitions"]["finalized_at"] is not None


def _status(*statuses: str, stamp: str | None = None) -> Check:
    def check(obj: dict[str, Any], _: dict[str, Any] | None) -> None:
        assert obj["status"] in statuses
        if stamp:
            assert obj["status_transitions"][stamp] is not None

    return check


def _kind(kind: str, **fields: Any) -> Check:
    def check(obj: dict[str, Any], _: dict[str, Any] | None) -> None:
        assert obj["object"] == kind
        for key, value in fields.items():
            assert obj[key] == value, key

    return check


def _ended(obj: dict[str, Any], _: dict[str, Any] | None) -> None:
    assert obj["status"] == "canceled" and obj["ended_at"] is not None


def _trial_ends_soon(obj: dict[str, Any], _: dict[str, Any] | None) -> None:
    assert obj["status"] == "trialing" and obj["trial_end"] is not None


def _preview(obj: dict[str, Any], _: dict[str, Any] | None) -> None:
    assert "id" not in obj and obj["billing_reason"] == "upcoming"


def _failed_to_finalize(obj: dict[str, Any], _: dict[str, Any] | None) -> None:
    assert obj["status"] == "draft" and obj["auto_advance"] is False
    assert obj["last_finalization_error"] is not None


def _fields(kind: str, **fields: Any) -> Check:
    """The object is of `kind` and each named field is truthy (True) or equal."""

    def check(obj: dict[str, Any], _: dict[str, Any] | None) -> None:
        assert obj["object"] == kind
        for key, value in fields.items():
            assert bool(obj[key]) if value is True else obj[key] == value, key

    return check


AGREES: dict[str, Check] = {
    "charge.failed": _fields("charge", status="failed", failure_code=True, paid=False),
    "charge.refund.updated": _changed,
    "charge.refunded": _fields("charge", status="succeeded", amount_refunded=True),
    "charge.succeeded": _fields("charge", status="succeeded", paid=True, failure_code=None),
    "charge.updated": _changed,
    "invoice.payment_action_required": _fields("invoice", status="open", attempted=True),
    "invoice_payment.paid": _fields("invoice_payment", status="paid", amount_paid=True),
    "payment_intent.canceled": _fields("payment_intent", status="canceled", canceled_at=True),
    "payment_intent.created": _fields("payment_intent", latest_charge=None, amount_received=0),
    "payment_intent.payment_failed": _fields(
        "payment_intent", status="requires_payment_method", last_payment_error=True
    ),
    "payment_intent.requires_action": _fields(
        "payment_intent", status="requires_action", next_action=True
    ),
    "payment_intent.succeeded": _fields("payment_intent", status="succeeded", latest_charge=True),
    "payment_method.attached": _fields("payment_method", customer=True),
    "payment_method.detached": _fields("payment_method", customer=None),
    "payment_method.updated": _changed,
    "refund.created": _fields("refund", status="succeeded", charge=True),
    "refund.updated": _changed,
    "setup_intent.canceled": _fields("setup_intent", status="canceled"),
    "setup_intent.created": _fields("setup_intent", latest_attempt=None),
    "setup_intent.requires_action": _fields(
        "setup_intent", status="requires_action", next_action=True
    ),
    "setup_intent.setup_failed": _fields(
        "setup_intent", status="requires_payment_method", last_setup_error=True
    ),
    "setup_intent.succeeded": _fields("setup_intent", status="succeeded", payment_method=True),
    "billing_portal.configuration.created": _kind("billing_portal.configuration"),
    "billing_portal.configuration.updated": _changed,
    "billing_portal.session.created": _kind("billing_portal.session"),
    "coupon.created": _kind("coupon"),
    "coupon.deleted": _kind("coupon"),
    "coupon.updated": _changed,
    "credit_note.created": _kind("credit_note", status="issued"),
    "credit_note.updated": _changed,
    "credit_note.voided": _kind("credit_note", status="void"),
    "customer.discount.created": _kind("discount"),
    "customer.discount.deleted": _kind("discount", deleted=True),
    "customer.discount.updated": _changed,
    "customer.created": _kind("customer"),
    "customer.deleted": _kind("customer"),
    "customer.subscription.created": _kind("subscription"),
    "customer.subscription.deleted": _ended,
    "customer.subscription.paused": _status("paused"),
    "customer.subscription.resumed": _status("active", "past_due"),
    "customer.subscription.trial_will_end": _trial_ends_soon,
    "customer.subscription.updated": _changed,
    "customer.updated": _changed,
    "invoice.created": _status("draft"),
    "invoice.deleted": _status("draft"),
    "invoice.finalization_failed": _failed_to_finalize,
    "invoice.finalized": _finalized,
    "invoice.marked_uncollectible": _status("uncollectible", stamp="marked_uncollectible_at"),
    "invoice.paid": _paid,
    "invoice.payment_failed": _failed,
    "invoice.payment_succeeded": _paid,
    "invoice.sent": _status("open"),
    "invoice.updated": _changed,
    "invoice.voided": _status("void", stamp="voided_at"),
    "invoice.upcoming": _preview,
    "invoiceitem.created": _kind("invoiceitem"),
    "invoiceitem.deleted": _kind("invoiceitem"),
    "price.created": _kind("price"),
    "price.updated": _changed,
    "product.created": _kind("product"),
    "product.deleted": _kind("product"),
    "product.updated": _changed,
    "checkout.session.completed": _fields("checkout.session", status="complete", url=None),
    "checkout.session.expired": _fields("checkout.session", status="expired", url=None),
    "subscription_schedule.created": _kind("subscription_schedule"),
    "subscription_schedule.updated": _kind("subscription_schedule"),
    "subscription_schedule.expiring": _fields("subscription_schedule", status="active"),
    "subscription_schedule.completed": _fields("subscription_schedule", status="completed"),
    "subscription_schedule.released": _fields("subscription_schedule", status="released"),
    "subscription_schedule.canceled": _fields("subscription_schedule", status="canceled"),
    "tax_rate.created": _kind("tax_rate"),
    "tax_rate.updated": _changed,
    "billing.meter.created": _kind("billing.meter", status="active"),
    "billing.meter.updated": _changed,
    "billing.meter.deactivated": _kind("billing.meter", status="inactive"),
    "billing.meter.reactivated": _kind("billing.meter", status="active"),
    "v1.billing.meter.no_meter_found": _kind("v1.billing.meter.error_report", meter=None),
    "v1.billing.meter.error_report_triggered": _fields("v1.billing.meter.error_report", meter=True),
    "customer.source.created": _fields("card", customer=True),
    "customer.source.deleted": _kind("card"),
    "customer.source.updated": _changed,
    "customer.tax_id.created": _fields("tax_id", customer=True, value="DE123456789"),
    "customer.tax_id.deleted": _fields("tax_id", customer=True),
    "plan.created": _kind("plan"),
    "plan.deleted": _kind("plan"),
    "plan.updated": _changed,
    "price.deleted": _kind("price"),
    "promotion_code.created": _kind("promotion_code", active=True),
    "promotion_code.updated": _changed,
}
# Types a webhook endpoint may subscribe to that the story does not reach: a schedule
# whose subscription dunning canceled (`tests/schedules/test_aborted_seams.py`).
NEVER_RECORDED: set[str] = {"subscription_schedule.aborted"}


@pytest.fixture
def story(ok: Callable[..., Any], billcli: Callable[..., Any], ledger_path: Path) -> None:
    """Every path that records an event, once."""
    ok("portal", "configurations", "create", "--headline", "Acme")
    ok("portal", "configurations", "create", "--headline", "Other", "--default")
    ada = ok("customers", "create", "--name", "Ada", "--email", "ada@example.com",
             "--payment-method", "pm_card_visa", "--balance", "-300")["id"]  # fmt: skip
    ok("customers", "update", ada, "--phone", "+1 555 0100")
    ok("balance", "create", ada, "--amount", "-200")
    vat = ok("customers", "tax-ids", "add", ada, "--type", "eu_vat", "--value", "DE123456789")
    ok("customers", "tax-ids", "delete", ada, vat["id"])
    item = ok("invoices", "items", "create", "--customer", ada, "--amount", "999")["id"]
    ok("invoices", "items", "delete", item)
    doomed = ok("invoices", "create", "--customer", ada)["id"]
    ok("invoices", "update", doomed, "--description", "changed")
    ok("invoices", "delete", doomed)
    # Explicit finalize and pay: credit first, then the card.
    ok("invoices", "items", "create", "--customer", ada, "--amount", "2500")
    manual = ok("invoices", "create", "--customer", ada, "--pending-items", "include",
                "--no-auto-advance")["id"]  # fmt: skip
    ok("invoices", "finalize", manual)
    assert (
        billcli("invoices", "pay", manual, "--payment-method", "pm_card_chargeDeclined").code == 4
    )
    ok("invoices", "pay", manual)
    # Credit covering everything: paid at finalization.
    ok("balance", "create", ada, "--amount", "-5000")
    ok("invoices", "items", "create", "--customer", ada, "--amount", "1000")
    covered = ok("invoices", "create", "--customer", ada, "--pending-items", "include")["id"]
    ok("invoices", "finalize", covered)
    # send_invoice: sent, voided, marked uncollectible.
    bob = ok("customers", "create", "--name", "Bob", "--email", "bob@example.com")["id"]
    for _ in range(2):
        ok("invoices", "items", "create", "--customer", bob, "--amount", "4000")
        sent = ok("invoices", "create", "--customer", bob, "--pending-items", "include",
                  "--collection-method", "send_invoice", "--days-until-due", "7")["id"]  # fmt: skip
        ok("invoices", "finalize", sent)
        ok("invoices", "send", sent)
    ok("invoices", "void", sent)
    ok("invoices", "mark-uncollectible", first_open(ok, bob))
    # The tick: automatic finalization, charges, retries, dunning, a failed finalization.
    carl = ok("customers", "create", "--name", "Carl", "--email", "carl@example.com",
              "--payment-method", "pm_card_chargeCustomerFail")["id"]  # fmt: skip
    ok("invoices", "items", "create", "--customer", carl, "--amount", "1500")
    ok("invoices", "create", "--customer", carl, "--pending-items", "include")
    mute = ok("customers", "create", "--name", "Mute")["id"]
    ok("invoices", "items", "create", "--customer", mute, "--amount", "1500")
    ok("invoices", "create", "--customer", mute, "--pending-items", "include",
       "--collection-method", "send_invoice")  # fmt: skip
    ok("invoices", "items", "create", "--customer", ada, "--amount", "7000")
    ok("invoices", "create", "--customer", ada, "--pending-items", "include")
    ok("invoices", "tick", "--by", "15d")
    # The portal and the hosted invoice page.
    client = TestClient(create_app(ledger_path, bound={"127.0.0.1:4242"}), base_url=BASE)
    url = ok("portal", "sessions", "create", "--customer", ada)["url"].removeprefix(BASE)
    client.get(url)
    page = client.get("/p/portal").text
    client.post("/p/portal/details", data={"csrf": csrf(page), "name": "Ada L."})
    client.post(
        "/p/portal/payment-method", data={"csrf": csrf(page), "payment_method": "pm_card_amex"}
    )
    ok("invoices", "items", "create", "--customer", bob, "--amount", "1200")
    hosted = ok("invoices", "create", "--customer", bob, "--pending-items", "include",
                "--collection-method", "send_invoice")["id"]  # fmt: skip
    page_url = ok("invoices", "finalize", hosted)["hosted_invoice_url"].removeprefix(BASE)
    html = client.get(page_url).text
    client.post(
        page_url + "/pay", data={"csrf": csrf(html), "payment_method": "pm_card_mastercard"}
    )
    assert ok("invoices", "show", hosted)["status"] == "paid"
    gone = ok("customers", "create", "--name", "Gone")["id"]
    ok("customers", "delete", gone)
    subscription_story(ok)
    adjustment_story(ok)
    meter_story(ok, ledger_path)
    checkout_story(ok, client)
    schedule_story(ok)
    payment_story(ok, billcli, client, ledger_path)
    older_api_story(ok, ledger_path)


def older_api_story(ok: Callable[..., Any], ledger_path: Path) -> None:
    """Promotion codes, plans and card sources: made, changed, removed."""
    promo = ok("promotion-codes", "create", "--coupon", "TEN", "--code", "WELCOME")["id"]
    ok("promotion-codes", "update", promo, "--no-active")
    ok("plans", "create", "--id", "old-gold", "--product-name", "Gold", "--currency", "usd",
       "--amount", "900", "--interval", "month")  # fmt: skip
    fay = ok("customers", "create", "--name", "Fay")["id"]
    with Ledger(ledger_path) as ledger:
        plans.delete(ledger, "old-gold")
        card = sources.attach(ledger, fay, "tok_visa")["id"]
        sources.update(ledger, fay, card, CardDetails(name="Fay Holder"))
        sources.delete(ledger, fay, card)


def payment_story(
    ok: Callable[..., Any], billcli: Callable[..., Any], client: TestClient, ledger_path: Path
) -> None:
    """Payment methods, setup and payment intents, 3-D Secure, charges and refunds."""
    eve = ok("customers", "create", "--name", "Eve", "--email", "eve@example.com")["id"]
    card = ok("payment-methods", "create", "--token", "pm_card_visa", "--customer", eve)["id"]
    ok("payment-methods", "update", card, "--metadata", "wallet=main")
    ok("payment-methods", "detach", card)
    setup = ok(
        "setup-intents",
        "create",
        "--customer",
        eve,
        "--payment-method",
        "pm_card_authenticationRequiredOnSetup",
        "--confirm",
    )
    challenge = setup["next_action"]["redirect_to_url"]["url"].removeprefix(BASE)
    client.post(challenge, data={"csrf": csrf(client.get(challenge).text), "result": "fail"})
    ok("setup-intents", "confirm", setup["id"], "--payment-method", "pm_card_visa")
    ok("setup-intents", "cancel", ok("setup-intents", "create", "--customer", eve)["id"])
    waiting = ok(
        "payment-intents",
        "create",
        "--amount",
        "1000",
        "--currency",
        "usd",
        "--payment-method",
        "pm_card_authenticationRequired",
        "--confirm",
    )
    ok("payment-intents", "cancel", waiting["id"])
    paid = ok(
        "payment-intents",
        "create",
        "--amount",
        "3000",
        "--currency",
        "usd",
        "--customer",
        eve,
        "--payment-method",
        "pm_card_visa",
        "--confirm",
    )
    refund = ok("refunds", "create", "--charge", paid["latest_charge"], "--amount", "500")
    with Ledger(ledger_path) as ledger:
        refunds.update(ledger, refund["id"], metadata=("reason=late",))
        charges.update(ledger, paid["latest_charge"], metadata=("order=7",))
    ok("invoices", "items", "create", "--customer", eve, "--amount", "2000")
    due = ok(
        "invoices", "create", "--customer", eve, "--pending-items", "include", "--no-auto-advance"
    )["id"]
    ok("invoices", "finalize", due)
    pay = ("invoices", "pay", due, "--payment-method", "pm_card_threeDSecure2Required")
    assert billcli(*pay).code == 4


def meter_story(ok: Callable[..., Any], ledger_path: Path) -> None:
    """A meter made, renamed, switched off and on; two stream events failing validation
    (the v2 stream reports them afterwards, one for a name no meter has)."""
    meter = ok("meters", "create", "--event-name", "api_calls", "--display-name", "API")["id"]
    ok("meters", "update", meter, "--display-name", "API calls")
    ok("meters", "deactivate", meter)
    ok("meters", "reactivate", meter)
    with Ledger(ledger_path) as ledger:
        streams.stream(
            ledger,
            [
                {"event_name": "nobody_meters_this", "payload": {"value": "1"}},
                {"event_name": "api_calls", "payload": {"stripe_customer_id": "cus_missing"}},
            ],
        )


def adjustment_story(ok: Callable[..., Any]) -> None:
    """Coupons, tax rates, discounts and credit notes: made, changed, used, voided."""
    vat = ok("tax-rates", "create", "--display-name", "VAT", "--percentage", "20")["id"]
    ok("tax-rates", "update", vat, "--jurisdiction", "UK")
    ok("coupons", "create", "--id", "TEN", "--percent-off", "10", "--duration", "forever")
    ok("coupons", "create", "--id", "FIVE", "--amount-off", "500", "--currency", "usd")
    ok("coupons", "update", "TEN", "--name", "Ten percent")
    who = ok("customers", "create", "--name", "Dee", "--email", "dee@example.com",
             "--payment-method", "pm_card_visa")["id"]  # fmt: skip
    ok("customers", "update", who, "--coupon", "FIVE")
    ok("customers", "update", who, "--coupon", "TEN")
    ok("invoices", "items", "create", "--customer", who, "--amount", "4000", "--tax-rate", vat)
    sent = ok("invoices", "create", "--customer", who, "--pending-items", "include",
              "--collection-method", "send_invoice")["id"]  # fmt: skip
    ok("invoices", "finalize", sent)
    note = ok("credit-notes", "create", "--invoice", sent, "--amount", "600")["id"]
    ok("credit-notes", "update", note, "--memo", "Goodwill")
    ok("credit-notes", "void", note)
    ok("invoices", "pay", sent, "--paid-out-of-band")
    ok("credit-notes", "create", "--invoice", sent, "--amount", "900")
    ok("customers", "update", who, "--remove-discount")
    ok("coupons", "delete", "FIVE")


def subscription_story(ok: Callable[..., Any]) -> None:
    """The catalog's and subscriptions' events: created, renewed, changed, ended."""
    ok("products", "create", "--name", "Plan", "--id", "plan")
    ok("products", "update", "plan", "--description", "The plan")
    price = ok("prices", "create", "--product", "plan", "--currency", "usd", "--unit-amount",
               "1500", "--recurring-interval", "week")["id"]  # fmt: skip
    ok("prices", "update", price, "--nickname", "Weekly")
    spare = ok("products", "create", "--name", "Spare")["id"]
    ok("products", "delete", spare)
    who = ok("customers", "create", "--name", "Sub", "--email", "sub@example.com",
             "--payment-method", "pm_card_visa")["id"]  # fmt: skip
    trial = ok("subscriptions", "create", "--customer", who, "--price", price, "--trial-days", "5")
    ok("invoices", "tick", "--by", "20d")
    ok("subscriptions", "update", trial["id"], "--quantity", "2", "--metadata", "seats=2")
    ok("subscriptions", "cancel", trial["id"], "--prorate", "--invoice-now")
    cardless = ok("customers", "create", "--name", "Cardless")["id"]
    paused = ok("subscriptions", "create", "--customer", cardless, "--price", price,
                "--trial-days", "2", "--missing-payment-method", "pause")  # fmt: skip
    ok("invoices", "tick", "--by", "3d")
    ok("customers", "update", cardless, "--payment-method", "pm_card_visa")
    ok("subscriptions", "resume", paused["id"])


def checkout_story(ok: Callable[..., Any], client: TestClient) -> None:
    """A Checkout Session paid on its page, another expired."""
    price = ok("prices", "create", "--product", "plan", "--currency", "usd", "--unit-amount",
               "900")["id"]  # fmt: skip
    done = ("--success-url", "https://example.com/done")
    paid = ok("checkout", "sessions", "create", "--mode", "payment", "--price", price, *done,
              "--customer-creation", "always")["url"].removeprefix(BASE)  # fmt: skip
    html = client.get(paid).text
    client.post(f"{paid}/pay", data={"csrf": csrf(html), "email": "new@example.com",
                                     "payment_method": "pm_card_visa"})  # fmt: skip
    left = ok("checkout", "sessions", "create", "--mode", "payment", "--price", price, *done)["id"]
    ok("checkout", "sessions", "expire", left)


def schedule_story(ok: Callable[..., Any]) -> None:
    """Schedules: created, updated, through their phases to the end, released, canceled."""
    price = ok("prices", "create", "--product", "plan", "--currency", "usd", "--unit-amount",
               "700", "--recurring-interval", "week")["id"]  # fmt: skip
    who = ok("customers", "create", "--name", "Sched", "--email", "sched@example.com",
             "--payment-method", "pm_card_visa")["id"]  # fmt: skip
    phases = ["--phase", f"{price} iterations=1", "--phase", f"{price}:2 iterations=1"]
    made = ok("subscription-schedules", "create", "--customer", who, *phases)["id"]
    ok("subscription-schedules", "update", made, "--metadata", "plan=grow")
    ok("invoices", "tick", "--by", "15d")
    kept = ok("subscription-schedules", "create", "--customer", who, *phases)["id"]
    ok("subscription-schedules", "release", kept)
    ended = ok("subscription-schedules", "create", "--customer", who, *phases)["id"]
    ok("subscription-schedules", "cancel", ended)


def first_open(ok: Callable[..., Any], customer: str) -> str:
    return str(ok("invoices", "list", "--customer", customer, "--status", "open")["data"][0]["id"])


def recorded(ledger_path: Path) -> list[dict[str, Any]]:
    from billcli.core import objects

    with Ledger(ledger_path) as ledger, ledger.read() as tx:
        return [objects.event(e) for _, e in tx.events.after(0, 100_000)]


def test_every_event_snapshot_agrees_with_its_type(
    story: None, ledger_path: Path, checked_ledger: Any
) -> None:
    events = recorded(ledger_path)
    seen = {e["type"] for e in events}
    assert seen == set(EVENT_TYPES) - NEVER_RECORDED, "the story records every type once"
    for event in events:
        data = event["data"]
        try:
            AGREES[event["type"]](data["object"], data.get("previous_attributes"))
        except AssertionError as wrong:
            of = data["object"].get("id", "a preview")
            raise AssertionError(f"{event['type']} of {of}: {wrong}") from None
    checked_ledger()


# What shows each kind of object now (a coupon is left out: its redemptions and its expiry
# on the clock change `times_redeemed` and `valid` with no event, as in Stripe).
GROUPS = {
    "invoice": "invoices",
    "customer": "customers",
    "subscription": "subscriptions",
    "product": "products",
    "price": "prices",
    "credit_note": "credit-notes",
    "payment_method": "payment-methods",
    "payment_intent": "payment-intents",
    "setup_intent": "setup-intents",
    "charge": "charges",
    "refund": "refunds",
    "checkout.session": "checkout sessions",
    "subscription_schedule": "subscription-schedules",
    "promotion_code": "promotion-codes",
}


def test_the_newest_snapshot_of_each_object_is_the_object_as_it_is_now(
    story: None, ledger_path: Path, ok: Callable[..., Any]
) -> None:
    newest: dict[str, dict[str, Any]] = {}
    for event in recorded(ledger_path):
        obj = event["data"]["object"]
        if "id" not in obj:
            continue  # invoice.upcoming: a preview, never stored
        if obj["object"] in GROUPS:
            newest[obj["id"]] = obj
        if event["type"].endswith(".deleted"):
            newest.pop(obj["id"], None)
    assert len(newest) > 10
    for object_id, snapshot in newest.items():
        now = ok(*GROUPS[snapshot["object"]].split(), "show", object_id)
        now.pop("line_items", None)  # a session's items: shown expanded, never in events
        if now.get("status") == "draft":
            continue  # a draft mirrors its customer as it is at each reading
        assert snapshot == now, object_id
