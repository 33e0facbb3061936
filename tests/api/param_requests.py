"""For each served operation, a request that succeeds without the parameter under test:
its path (with ids of objects that exist, fresh ones where the request changes or ends
its object) and the parameters it needs."""

from __future__ import annotations

from collections.abc import Callable

from tests.api.param_world import World

Request = tuple[str, dict[str, str]]


def _price_body(w: World) -> dict[str, str]:
    return {"product": w.product, "currency": "usd", "unit_amount": "1200"}


def _rate_body() -> dict[str, str]:
    return {"display_name": "VAT", "percentage": "20", "inclusive": "false"}


def _rate(w: World) -> str:
    return str(w.post("/v1/tax_rates", _rate_body())["id"])


def _tax_id(w: World) -> str:
    """A tax ID of a fresh customer: a request that reads or deletes it."""
    customer = w.make_customer()
    made = w.post(f"/v1/customers/{customer}/tax_ids", {"type": "us_ein", "value": "12-3456789"})
    return f"/v1/customers/{customer}/tax_ids/{made['id']}"


def _meter_body(w: World) -> dict[str, str]:
    """A meter of its own event name (event names are unique)."""
    name = f"calls_{next(w.serial)}"
    return {"display_name": "Calls", "event_name": name, "default_aggregation[formula]": "sum"}


def _meter(w: World) -> str:
    """A fresh meter, for a request that changes or ends it."""
    return str(w.post("/v1/billing/meters", _meter_body(w))["id"])


def _meter_event(w: World) -> dict[str, str]:
    body = _meter_body(w)
    w.post("/v1/billing/meters", body)
    return {
        "event_name": body["event_name"],
        "payload[stripe_customer_id]": w.customer,
        "payload[value]": "3",
    }


def _summaries(w: World) -> Request:
    day = int(w.get("/v1/test_helpers/test_clocks/clock_ledger")["frozen_time"]) // 86400 * 86400
    bounds = {"customer": w.customer, "start_time": str(day - 86400), "end_time": str(day)}
    return f"/v1/billing/meters/{_meter(w)}/event_summaries", bounds


def _adjustment(w: World) -> Request:
    event = w.post("/v1/billing/meter_events", _meter_event(w))
    cancel = {"type": "cancel", "cancel[identifier]": event["identifier"]}
    return "/v1/billing/meter_event_adjustments", {"event_name": event["event_name"], **cancel}


def _paid_with_line(w: World) -> tuple[str, str]:
    invoice = w.make_paid_invoice()
    line = w.get(f"/v1/invoices/{invoice}/lines")["data"][0]["id"]
    return invoice, line


def _credit(w: World) -> Request:
    invoice, _ = _paid_with_line(w)
    return "/v1/credit_notes", {"invoice": invoice, "amount": "100"}


def _credit_preview(w: World, suffix: str = "") -> Request:
    invoice, _ = _paid_with_line(w)
    return "/v1/credit_notes/preview" + suffix, {"invoice": invoice, "amount": "100"}


REQUESTS: dict[tuple[str, str], Callable[[World], Request]] = {
    # customers and their balance
    ("GET", "/v1/customers"): lambda w: ("/v1/customers", {}),
    ("POST", "/v1/customers"): lambda w: ("/v1/customers", {"name": "New"}),
    ("GET", "/v1/customers/search"): lambda w: ("/v1/customers/search", {"query": "name:'x'"}),
    ("GET", "/v1/customers/{}"): lambda w: (f"/v1/customers/{w.customer}", {}),
    ("POST", "/v1/customers/{}"): lambda w: (f"/v1/customers/{w.make_customer()}", {}),
    ("DELETE", "/v1/customers/{}"): lambda w: (f"/v1/customers/{w.make_customer()}", {}),
    ("GET", "/v1/customers/{}/discount"): lambda w: (
        f"/v1/customers/{_discounted(w)}/discount",
        {},
    ),
    ("DELETE", "/v1/customers/{}/discount"): lambda w: (
        f"/v1/customers/{_discounted(w)}/discount",
        {},
    ),
    ("GET", "/v1/customers/{}/tax_ids"): lambda w: (f"/v1/customers/{w.customer}/tax_ids", {}),
    ("POST", "/v1/customers/{}/tax_ids"): lambda w: (
        f"/v1/customers/{w.make_customer()}/tax_ids",
        {"type": "eu_vat", "value": "DE123456789"},
    ),
    ("GET", "/v1/customers/{}/tax_ids/{}"): lambda w: (_tax_id(w), {}),
    ("DELETE", "/v1/customers/{}/tax_ids/{}"): lambda w: (_tax_id(w), {}),
    ("GET", "/v1/customers/{}/balance_transactions"): lambda w: (
        f"/v1/customers/{w.customer}/balance_transactions",
        {},
    ),
    ("POST", "/v1/customers/{}/balance_transactions"): lambda w: (
        f"/v1/customers/{w.customer}/balance_transactions",
        {"amount": "-50", "currency": "usd"},
    ),
    ("GET", "/v1/customers/{}/balance_transactions/{}"): lambda w: (
        f"/v1/customers/{w.customer}/balance_transactions/{w.transaction}",
        {},
    ),
    ("POST", "/v1/customers/{}/balance_transactions/{}"): lambda w: (
        f"/v1/customers/{w.customer}/balance_transactions/{w.transaction}",
        {},
    ),
    ("GET", "/v1/customers/{}/payment_methods"): lambda w: (
        f"/v1/customers/{w.customer}/payment_methods",
        {},
    ),
    ("GET", "/v1/customers/{}/payment_methods/{}"): lambda w: (
        f"/v1/customers/{w.customer}/payment_methods/{w.make_attached_method()}",
        {},
    ),
    # invoice items and invoices
    ("GET", "/v1/invoiceitems"): lambda w: ("/v1/invoiceitems", {}),
    ("POST", "/v1/invoiceitems"): lambda w: (
        "/v1/invoiceitems",
        {"customer": w.customer, "amount": "300", "currency": "usd"},
    ),
    ("GET", "/v1/invoiceitems/{}"): lambda w: (f"/v1/invoiceitems/{w.make_item()}", {}),
    ("POST", "/v1/invoiceitems/{}"): lambda w: (f"/v1/invoiceitems/{w.make_item()}", {}),
    ("DELETE", "/v1/invoiceitems/{}"): lambda w: (f"/v1/invoiceitems/{w.make_item()}", {}),
    ("GET", "/v1/invoices"): lambda w: ("/v1/invoices", {}),
    ("POST", "/v1/invoices"): lambda w: ("/v1/invoices", {"customer": w.customer}),
    ("GET", "/v1/invoices/search"): lambda w: ("/v1/invoices/search", {"query": "total>1"}),
    ("GET", "/v1/invoices/upcoming"): lambda w: ("/v1/invoices/upcoming", _renewing(w)),
    ("GET", "/v1/invoices/upcoming/lines"): lambda w: (
        "/v1/invoices/upcoming/lines",
        _renewing(w),
    ),
    ("POST", "/v1/invoices/create_preview"): lambda w: (
        "/v1/invoices/create_preview",
        _renewing(w),
    ),
    ("GET", "/v1/invoices/{}"): lambda w: (f"/v1/invoices/{w.paid}", {}),
    ("POST", "/v1/invoices/{}"): lambda w: (f"/v1/invoices/{w.make_draft()}", {}),
    ("DELETE", "/v1/invoices/{}"): lambda w: (f"/v1/invoices/{w.make_draft()}", {}),
    ("POST", "/v1/invoices/{}/finalize"): lambda w: (
        f"/v1/invoices/{w.make_draft()}/finalize",
        {},
    ),
    ("POST", "/v1/invoices/{}/pay"): lambda w: (f"/v1/invoices/{w.make_open_invoice()}/pay", {}),
    ("POST", "/v1/invoices/{}/send"): lambda w: (
        f"/v1/invoices/{w.make_open_invoice(collection_method='send_invoice')}/send",
        {},
    ),
    ("POST", "/v1/invoices/{}/void"): lambda w: (
        f"/v1/invoices/{w.make_open_invoice()}/void",
        {},
    ),
    ("POST", "/v1/invoices/{}/mark_uncollectible"): lambda w: (
        f"/v1/invoices/{w.make_open_invoice()}/mark_uncollectible",
        {},
    ),
    ("GET", "/v1/invoices/{}/lines"): lambda w: (f"/v1/invoices/{w.paid}/lines", {}),
    # the catalog
    ("GET", "/v1/products"): lambda w: ("/v1/products", {}),
    ("POST", "/v1/products"): lambda w: ("/v1/products", {"name": "Another"}),
    ("GET", "/v1/products/search"): lambda w: ("/v1/products/search", {"query": "name:'x'"}),
    ("GET", "/v1/products/{}"): lambda w: (f"/v1/products/{w.product}", {}),
    ("POST", "/v1/products/{}"): lambda w: (f"/v1/products/{w.make_product()}", {}),
    ("DELETE", "/v1/products/{}"): lambda w: (f"/v1/products/{w.make_product()}", {}),
    ("GET", "/v1/prices"): lambda w: ("/v1/prices", {}),
    ("POST", "/v1/prices"): lambda w: ("/v1/prices", _price_body(w)),
    ("GET", "/v1/prices/search"): lambda w: ("/v1/prices/search", {"query": "currency:'usd'"}),
    ("GET", "/v1/prices/{}"): lambda w: (f"/v1/prices/{w.price}", {}),
    ("POST", "/v1/prices/{}"): lambda w: (f"/v1/prices/{w.make_price()}", {}),
    # subscriptions
    ("GET", "/v1/subscriptions"): lambda w: ("/v1/subscriptions", {}),
    ("POST", "/v1/subscriptions"): lambda w: (
        "/v1/subscriptions",
        {"customer": w.make_customer(), "items[0][price]": w.price},
    ),
    ("GET", "/v1/subscriptions/search"): lambda w: (
        "/v1/subscriptions/search",
        {"query": "status:'active'"},
    ),
    ("GET", "/v1/subscriptions/{}"): lambda w: (f"/v1/subscriptions/{w.subscription}", {}),
    ("POST", "/v1/subscriptions/{}"): lambda w: (f"/v1/subscriptions/{w.make_subscription()}", {}),
    ("DELETE", "/v1/subscriptions/{}"): lambda w: (
        f"/v1/subscriptions/{w.make_subscription()}",
        {},
    ),
    ("POST", "/v1/subscriptions/{}/resume"): lambda w: (
        f"/v1/subscriptions/{w.paused.pop()}/resume",
        {},
    ),
    ("DELETE", "/v1/subscriptions/{}/discount"): lambda w: (
        f"/v1/subscriptions/{_discounted_subscription(w)}/discount",
        {},
    ),
    ("GET", "/v1/subscription_items"): lambda w: (
        "/v1/subscription_items",
        {"subscription": w.subscription},
    ),
    ("POST", "/v1/subscription_items"): lambda w: (
        "/v1/subscription_items",
        {"subscription": w.make_subscription(_second_price(w)), "price": _second_price(w)},
    ),
    ("GET", "/v1/subscription_items/{}"): lambda w: (f"/v1/subscription_items/{w.item}", {}),
    ("POST", "/v1/subscription_items/{}"): lambda w: (
        f"/v1/subscription_items/{_first_item(w, w.make_subscription())}",
        {},
    ),
    ("DELETE", "/v1/subscription_items/{}"): lambda w: (
        f"/v1/subscription_items/{_first_item(w, w.make_subscription(w.price, _second_price(w)))}",
        {},
    ),
    # meters and their events (the v2 JSON endpoints are left out: see the test)
    ("GET", "/v1/billing/meters"): lambda w: ("/v1/billing/meters", {}),
    ("POST", "/v1/billing/meters"): lambda w: ("/v1/billing/meters", _meter_body(w)),
    ("GET", "/v1/billing/meters/{}"): lambda w: (f"/v1/billing/meters/{_meter(w)}", {}),
    ("POST", "/v1/billing/meters/{}"): lambda w: (f"/v1/billing/meters/{_meter(w)}", {}),
    ("POST", "/v1/billing/meters/{}/deactivate"): lambda w: (
        f"/v1/billing/meters/{_meter(w)}/deactivate",
        {},
    ),
    ("POST", "/v1/billing/meters/{}/reactivate"): lambda w: (
        f"/v1/billing/meters/{w.post(f'/v1/billing/meters/{_meter(w)}/deactivate', {})['id']}"
        "/reactivate",
        {},
    ),
    ("GET", "/v1/billing/meters/{}/event_summaries"): _summaries,
    ("POST", "/v1/billing/meter_events"): lambda w: ("/v1/billing/meter_events", _meter_event(w)),
    ("POST", "/v1/billing/meter_event_adjustments"): _adjustment,
    # coupons and credit notes
    ("GET", "/v1/tax_rates"): lambda w: ("/v1/tax_rates", {}),
    ("POST", "/v1/tax_rates"): lambda w: ("/v1/tax_rates", _rate_body()),
    ("GET", "/v1/tax_rates/{}"): lambda w: (f"/v1/tax_rates/{_rate(w)}", {}),
    ("POST", "/v1/tax_rates/{}"): lambda w: (f"/v1/tax_rates/{_rate(w)}", {}),
    ("GET", "/v1/coupons"): lambda w: ("/v1/coupons", {}),
    ("POST", "/v1/coupons"): lambda w: ("/v1/coupons", {"percent_off": "20"}),
    ("GET", "/v1/coupons/{}"): lambda w: (f"/v1/coupons/{w.coupon}", {}),
    ("POST", "/v1/coupons/{}"): lambda w: (f"/v1/coupons/{w.make_coupon()}", {}),
    ("DELETE", "/v1/coupons/{}"): lambda w: (f"/v1/coupons/{w.make_coupon()}", {}),
    ("GET", "/v1/credit_notes"): lambda w: ("/v1/credit_notes", {}),
    ("POST", "/v1/credit_notes"): _credit,
    ("GET", "/v1/credit_notes/preview"): _credit_preview,
    ("GET", "/v1/credit_notes/preview/lines"): lambda w: _credit_preview(w, "/lines"),
    ("GET", "/v1/credit_notes/{}"): lambda w: (f"/v1/credit_notes/{w.credit_note}", {}),
    ("POST", "/v1/credit_notes/{}"): lambda w: (f"/v1/credit_notes/{w.make_credit_note()}", {}),
    ("POST", "/v1/credit_notes/{}/void"): lambda w: (
        f"/v1/credit_notes/{w.make_open_credit_note()}/void",
        {},
    ),
    ("GET", "/v1/credit_notes/{}/lines"): lambda w: (
        f"/v1/credit_notes/{w.credit_note}/lines",
        {},
    ),
    # events, webhooks, the portal, the clock
    ("GET", "/v1/events"): lambda w: ("/v1/events", {}),
    ("GET", "/v1/events/{}"): lambda w: (f"/v1/events/{w.event}", {}),
    ("GET", "/v1/webhook_endpoints"): lambda w: ("/v1/webhook_endpoints", {}),
    ("POST", "/v1/webhook_endpoints"): lambda w: (
        "/v1/webhook_endpoints",
        {"url": "http://127.0.0.1:9/new", "enabled_events[0]": "customer.created"},
    ),
    ("GET", "/v1/webhook_endpoints/{}"): lambda w: (f"/v1/webhook_endpoints/{w.endpoint}", {}),
    ("POST", "/v1/webhook_endpoints/{}"): lambda w: (
        f"/v1/webhook_endpoints/{w.make_endpoint()}",
        {},
    ),
    ("DELETE", "/v1/webhook_endpoints/{}"): lambda w: (
        f"/v1/webhook_endpoints/{w.make_endpoint()}",
        {},
    ),
    ("GET", "/v1/billing_portal/configurations"): lambda w: (
        "/v1/billing_portal/configurations",
        {},
    ),
    ("POST", "/v1/billing_portal/configurations"): lambda w: (
        "/v1/billing_portal/configurations",
        {"features[invoice_history][enabled]": "true"},
    ),
    ("GET", "/v1/billing_portal/configurations/{}"): lambda w: (
        f"/v1/billing_portal/configurations/{w.configuration}",
        {},
    ),
    ("POST", "/v1/billing_portal/configurations/{}"): lambda w: (
        f"/v1/billing_portal/configurations/{w.make_configuration()}",
        {},
    ),
    ("POST", "/v1/billing_portal/sessions"): lambda w: (
        "/v1/billing_portal/sessions",
        {"customer": w.customer},
    ),
    ("GET", "/v1/test_helpers/test_clocks"): lambda w: ("/v1/test_helpers/test_clocks", {}),
    ("POST", "/v1/test_helpers/test_clocks"): lambda w: (
        "/v1/test_helpers/test_clocks",
        {"frozen_time": str(_clock(w))},
    ),
    ("GET", "/v1/test_helpers/test_clocks/{}"): lambda w: (
        "/v1/test_helpers/test_clocks/clock_ledger",
        {},
    ),
    ("POST", "/v1/test_helpers/test_clocks/{}/advance"): lambda w: (
        "/v1/test_helpers/test_clocks/clock_ledger/advance",
        {"frozen_time": str(_clock(w) + 60)},
    ),
    ("DELETE", "/v1/test_helpers/test_clocks/{}"): lambda w: (
        "/v1/test_helpers/test_clocks/clock_ledger",
        {},
    ),
    # payments
    ("GET", "/v1/payment_methods"): lambda w: ("/v1/payment_methods", {"customer": w.customer}),
    ("POST", "/v1/payment_methods"): lambda w: (
        "/v1/payment_methods",
        {"type": "card", "card[token]": "tok_visa"},
    ),
    ("GET", "/v1/payment_methods/{}"): lambda w: (f"/v1/payment_methods/{w.method}", {}),
    ("POST", "/v1/payment_methods/{}"): lambda w: (
        f"/v1/payment_methods/{w.make_attached_method()}",
        {},
    ),
    ("POST", "/v1/payment_methods/{}/attach"): lambda w: (
        f"/v1/payment_methods/{w.make_method()}/attach",
        {"customer": w.customer},
    ),
    ("POST", "/v1/payment_methods/{}/detach"): lambda w: (
        f"/v1/payment_methods/{w.make_attached_method()}/detach",
        {},
    ),
    ("GET", "/v1/setup_intents"): lambda w: ("/v1/setup_intents", {}),
    ("POST", "/v1/setup_intents"): lambda w: ("/v1/setup_intents", {"customer": w.customer}),
    ("GET", "/v1/setup_intents/{}"): lambda w: (f"/v1/setup_intents/{w.setup_intent}", {}),
    ("POST", "/v1/setup_intents/{}"): lambda w: (
        f"/v1/setup_intents/{w.make_setup_intent()}",
        {},
    ),
    ("POST", "/v1/setup_intents/{}/confirm"): lambda w: (
        f"/v1/setup_intents/{w.make_setup_intent()}/confirm",
        {"payment_method": "pm_card_visa"},
    ),
    ("POST", "/v1/setup_intents/{}/cancel"): lambda w: (
        f"/v1/setup_intents/{w.make_setup_intent()}/cancel",
        {},
    ),
    ("GET", "/v1/payment_intents"): lambda w: ("/v1/payment_intents", {}),
    ("POST", "/v1/payment_intents"): lambda w: (
        "/v1/payment_intents",
        {"amount": "900", "currency": "usd", "customer": w.customer},
    ),
    ("GET", "/v1/payment_intents/search"): lambda w: (
        "/v1/payment_intents/search",
        {"query": "status:'succeeded'"},
    ),
    ("GET", "/v1/payment_intents/{}"): lambda w: (f"/v1/payment_intents/{w.intent}", {}),
    ("POST", "/v1/payment_intents/{}"): lambda w: (f"/v1/payment_intents/{w.make_intent()}", {}),
    ("POST", "/v1/payment_intents/{}/confirm"): lambda w: (
        f"/v1/payment_intents/{w.make_intent()}/confirm",
        {"payment_method": "pm_card_visa"},
    ),
    ("POST", "/v1/payment_intents/{}/capture"): lambda w: (
        f"/v1/payment_intents/{w.make_authorized_intent()}/capture",
        {},
    ),
    ("POST", "/v1/payment_intents/{}/cancel"): lambda w: (
        f"/v1/payment_intents/{w.make_intent()}/cancel",
        {},
    ),
    ("GET", "/v1/charges"): lambda w: ("/v1/charges", {}),
    ("GET", "/v1/charges/search"): lambda w: ("/v1/charges/search", {"query": "amount>1"}),
    ("GET", "/v1/charges/{}"): lambda w: (f"/v1/charges/{w.charge}", {}),
    ("POST", "/v1/charges/{}"): lambda w: (f"/v1/charges/{w.charge}", {}),
    ("GET", "/v1/charges/{}/refunds"): lambda w: (f"/v1/charges/{w.charge}/refunds", {}),
    ("POST", "/v1/charges/{}/refunds"): lambda w: (
        f"/v1/charges/{w.make_charge()}/refunds",
        {"amount": "100"},
    ),
    ("GET", "/v1/charges/{}/refunds/{}"): lambda w: (
        f"/v1/charges/{w.charge}/refunds/{w.refund}",
        {},
    ),
    ("POST", "/v1/charges/{}/refunds/{}"): lambda w: (
        f"/v1/charges/{w.charge}/refunds/{w.refund}",
        {},
    ),
    ("GET", "/v1/refunds"): lambda w: ("/v1/refunds", {}),
    ("POST", "/v1/refunds"): lambda w: ("/v1/refunds", {"charge": w.make_charge()}),
    ("GET", "/v1/refunds/{}"): lambda w: (f"/v1/refunds/{w.refund}", {}),
    ("POST", "/v1/refunds/{}"): lambda w: (f"/v1/refunds/{w.refund}", {}),
    ("POST", "/v1/refunds/{}/cancel"): lambda w: (f"/v1/refunds/{w.refund}/cancel", {}),
    # Checkout Sessions and the payment-page calls the Stripe CLI completes one with
    ("GET", "/v1/checkout/sessions"): lambda w: ("/v1/checkout/sessions", {}),
    ("POST", "/v1/checkout/sessions"): lambda w: ("/v1/checkout/sessions", _session_body(w)),
    ("GET", "/v1/checkout/sessions/{}"): lambda w: (f"/v1/checkout/sessions/{_session(w)}", {}),
    ("GET", "/v1/checkout/sessions/{}/line_items"): lambda w: (
        f"/v1/checkout/sessions/{_session(w)}/line_items",
        {},
    ),
    ("POST", "/v1/checkout/sessions/{}/expire"): lambda w: (
        f"/v1/checkout/sessions/{_session(w)}/expire",
        {},
    ),
    ("GET", "/v1/payment_pages/{}"): lambda w: (f"/v1/payment_pages/{_session(w)}", {}),
    ("POST", "/v1/payment_pages/{}/confirm"): lambda w: (
        f"/v1/payment_pages/{_session(w)}/confirm",
        {"payment_method": "pm_card_visa", "email": "new@example.com"},
    ),
    # subscription schedules
    ("GET", "/v1/subscription_schedules"): lambda w: ("/v1/subscription_schedules", {}),
    ("POST", "/v1/subscription_schedules"): lambda w: (
        "/v1/subscription_schedules",
        _schedule_body(w),
    ),
    ("GET", "/v1/subscription_schedules/{}"): lambda w: (
        f"/v1/subscription_schedules/{_schedule(w)}",
        {},
    ),
    ("POST", "/v1/subscription_schedules/{}"): lambda w: (
        f"/v1/subscription_schedules/{_schedule(w)}",
        {},
    ),
    ("POST", "/v1/subscription_schedules/{}/cancel"): lambda w: (
        f"/v1/subscription_schedules/{_schedule(w)}/cancel",
        {},
    ),
    ("POST", "/v1/subscription_schedules/{}/release"): lambda w: (
        f"/v1/subscription_schedules/{_schedule(w)}/release",
        {},
    ),
    # the older API: card sources and tokens, plans, promotion codes, the account
    **{
        op: request
        for base in ("sources", "cards")
        for op, request in {
            ("GET", f"/v1/customers/{{}}/{base}"): lambda w, b=base: (
                f"/v1/customers/{w.source_customer}/{b}",
                {},
            ),
            ("POST", f"/v1/customers/{{}}/{base}"): lambda w, b=base: (
                f"/v1/customers/{w.source_customer}/{b}",
                {"source": "tok_visa"},
            ),
            ("GET", f"/v1/customers/{{}}/{base}/{{}}"): lambda w, b=base: (
                f"/v1/customers/{w.source_customer}/{b}/{w.card}",
                {},
            ),
            ("POST", f"/v1/customers/{{}}/{base}/{{}}"): lambda w, b=base: (
                f"/v1/customers/{w.source_customer}/{b}/{w.card}",
                {},
            ),
            ("DELETE", f"/v1/customers/{{}}/{base}/{{}}"): lambda w, b=base: (
                f"/v1/customers/{w.source_customer}/{b}/{w.make_card()}",
                {},
            ),
        }.items()
    },
    ("POST", "/v1/tokens"): lambda w: (
        "/v1/tokens",
        {"card[number]": "4242424242424242", "card[exp_month]": "12", "card[exp_year]": "2034"},
    ),
    ("GET", "/v1/tokens/{}"): lambda w: (f"/v1/tokens/{w.token}", {}),
    ("GET", "/v1/plans"): lambda w: ("/v1/plans", {}),
    ("POST", "/v1/plans"): lambda w: (
        "/v1/plans",
        {"amount": "900", "currency": "usd", "interval": "month", "product": w.product},
    ),
    ("GET", "/v1/plans/{}"): lambda w: (f"/v1/plans/{w.plan}", {}),
    ("POST", "/v1/plans/{}"): lambda w: (f"/v1/plans/{w.make_plan()}", {}),
    ("DELETE", "/v1/plans/{}"): lambda w: (f"/v1/plans/{w.make_plan()}", {}),
    ("GET", "/v1/promotion_codes"): lambda w: ("/v1/promotion_codes", {}),
    ("POST", "/v1/promotion_codes"): lambda w: ("/v1/promotion_codes", {"coupon": w.coupon}),
    ("GET", "/v1/promotion_codes/{}"): lambda w: (f"/v1/promotion_codes/{w.promotion_code}", {}),
    ("POST", "/v1/promotion_codes/{}"): lambda w: (
        f"/v1/promotion_codes/{w.make_promotion_code()}",
        {},
    ),
    ("GET", "/v1/account"): lambda w: ("/v1/account", {}),
    ("GET", "/v1/accounts"): lambda w: ("/v1/accounts", {}),
    ("GET", "/v1/accounts/{}"): lambda w: (f"/v1/accounts/{w.account}", {}),
    ("GET", "/v1/products/{}/features"): lambda w: (f"/v1/products/{w.product}/features", {}),
    ("GET", "/v1/invoice_payments"): lambda w: ("/v1/invoice_payments", {}),
    ("GET", "/v1/invoice_payments/{}"): lambda w: (
        f"/v1/invoice_payments/{w.invoice_payment}",
        {},
    ),
}


def _renewing(w: World) -> dict[str, str]:
    """The shared subscription and its customer (an upcoming invoice names both)."""
    customer = w.get(f"/v1/subscriptions/{w.subscription}")["customer"]
    return {"customer": customer, "subscription": w.subscription}


def _discounted(w: World) -> str:
    customer = w.make_customer()
    w.post(f"/v1/customers/{customer}", {"coupon": w.coupon})
    return customer


def _discounted_subscription(w: World) -> str:
    subscription = w.make_subscription()
    w.post(f"/v1/subscriptions/{subscription}", {"coupon": w.coupon})
    return subscription


def _second_price(w: World) -> str:
    return str(
        w.post(
            "/v1/prices",
            {
                "product": w.make_product(),
                "currency": "usd",
                "unit_amount": "300",
                "recurring[interval]": "month",
            },
        )["id"]
    )


def _first_item(w: World, subscription: str) -> str:
    return str(w.get(f"/v1/subscriptions/{subscription}")["items"]["data"][0]["id"])


def _clock(w: World) -> int:
    return int(w.get("/v1/test_helpers/test_clocks/clock_ledger")["frozen_time"])


def _session_body(w: World) -> dict[str, str]:
    return {
        "mode": "subscription",
        "line_items[0][price]": w.price,
        "line_items[0][quantity]": "1",
        "success_url": "https://example.com/done",
    }


def _session(w: World) -> str:
    """A fresh open session, for a request that reads, completes or expires it."""
    return str(w.post("/v1/checkout/sessions", _session_body(w))["id"])


def _schedule_body(w: World) -> dict[str, str]:
    return {
        "customer": w.make_customer(),
        "start_date": "now",
        "phases[0][items][0][price]": w.price,
        "phases[0][iterations]": "2",
    }


def _schedule(w: World) -> str:
    """A fresh active schedule, for a request that changes, cancels or releases it."""
    return str(w.post("/v1/subscription_schedules", _schedule_body(w))["id"])
