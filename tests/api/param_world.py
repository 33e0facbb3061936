"""The objects the all-parameters test names: shared ones, and a fresh one for each
request that changes or ends its object (an invoice to pay, a subscription to cancel).

Everything is made through the API with plain parameters, so a request under test only
adds its one parameter to a request that works without it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import httpx2 as httpx


class World:
    def __init__(self, http: httpx.Client):
        self.http = http
        self.serial = itertools.count(1)
        self.customer = self.make_customer()
        self.product = self.post("/v1/products", {"name": "Pro"})["id"]
        self.price = self.make_price()
        self.price_once = self.post(
            "/v1/prices", {"product": self.product, "currency": "usd", "unit_amount": "700"}
        )["id"]
        self.coupon = self.post(
            "/v1/coupons", {"percent_off": "10", "duration": "forever", "id": "TENOFF"}
        )["id"]
        self.subscription = self.make_subscription()
        self.item = self.post("/v1/subscriptions/" + self.subscription, {})["items"]["data"][0][
            "id"
        ]
        self.paid = self.make_paid_invoice()
        self.charge = self.get(f"/v1/invoices/{self.paid}")["charge"]
        self.intent = self.get(f"/v1/invoices/{self.paid}")["payment_intent"]
        self.refund = self.post("/v1/refunds", {"charge": self.charge, "amount": "100"})["id"]
        self.credit_note = self.make_credit_note()
        self.endpoint = self.post(
            "/v1/webhook_endpoints", {"url": "http://127.0.0.1:9/hook", "enabled_events[0]": "*"}
        )["id"]
        self.configuration = self.make_configuration()
        self.setup_intent = self.post("/v1/setup_intents", {"customer": self.customer})["id"]
        self.method = self.make_method()
        self.transaction = self.post(
            f"/v1/customers/{self.customer}/balance_transactions",
            {"amount": "-100", "currency": "usd"},
        )["id"]
        self.event = self.get("/v1/events", {"limit": "1"})["data"][0]["id"]
        self.invoice_payment = self.get("/v1/invoice_payments", {"invoice": self.paid})["data"][0][
            "id"
        ]
        self.paused = self.make_paused(6)
        # The older API: a customer paying by a card source, a plan, a promotion code.
        self.source_customer = self.post(
            "/v1/customers", {"name": "Card holder", "source": "tok_visa"}
        )["id"]
        self.card = self.make_card()
        self.plan = self.make_plan()
        self.promotion_code = self.make_promotion_code()
        self.token = self.make_token()
        self.account = self.get("/v1/account")["id"]

    # -- requests --------------------------------------------------------------------

    def post(self, path: str, data: dict[str, str]) -> Any:
        answer = self.http.post(path, data=data)
        assert answer.status_code == 200, (path, data, answer.text)
        return answer.json()

    def get(self, path: str, params: dict[str, str] | None = None) -> Any:
        answer = self.http.get(path, params=params)
        assert answer.status_code == 200, (path, answer.text)
        return answer.json()

    # -- objects ---------------------------------------------------------------------

    def make_customer(self) -> str:
        return str(
            self.post(
                "/v1/customers",
                {
                    "name": f"Customer {next(self.serial)}",
                    "email": "someone@example.com",
                    "payment_method": "pm_card_visa",
                },
            )["id"]
        )

    def make_price(self) -> str:
        return str(
            self.post(
                "/v1/prices",
                {
                    "product": self.product,
                    "currency": "usd",
                    "unit_amount": "1000",
                    "recurring[interval]": "month",
                },
            )["id"]
        )

    def make_product(self) -> str:
        return str(self.post("/v1/products", {"name": f"Product {next(self.serial)}"})["id"])

    def make_coupon(self) -> str:
        return str(self.post("/v1/coupons", {"percent_off": "5", "duration": "once"})["id"])

    def make_subscription(self, *prices: str) -> str:
        items = {f"items[{n}][price]": p for n, p in enumerate(prices or (self.price,))}
        made = self.post("/v1/subscriptions", {"customer": self.make_customer(), **items})
        return str(made["id"])

    def make_item(self) -> str:
        return str(
            self.post(
                "/v1/invoiceitems",
                {"customer": self.customer, "amount": "1500", "currency": "usd"},
            )["id"]
        )

    def make_draft(self, **extra: str) -> str:
        customer = self.make_customer()
        self.post("/v1/invoiceitems", {"customer": customer, "amount": "2500", "currency": "usd"})
        made = self.post(
            "/v1/invoices",
            {"customer": customer, "pending_invoice_items_behavior": "include", **extra},
        )
        return str(made["id"])

    def make_open_invoice(self, **extra: str) -> str:
        draft = self.make_draft(**extra)
        return str(self.post(f"/v1/invoices/{draft}/finalize", {"auto_advance": "false"})["id"])

    def make_paid_invoice(self) -> str:
        invoice = self.make_open_invoice()
        return str(self.post(f"/v1/invoices/{invoice}/pay", {})["id"])

    def make_credit_note(self, invoice: str | None = None) -> str:
        made = self.post("/v1/credit_notes", {"invoice": invoice or self.paid, "amount": "100"})
        return str(made["id"])

    def make_open_credit_note(self) -> str:
        return self.make_credit_note(self.make_open_invoice())

    def make_configuration(self) -> str:
        made = self.post(
            "/v1/billing_portal/configurations",
            {
                "business_profile[headline]": "Portal",
                "features[invoice_history][enabled]": "true",
            },
        )
        return str(made["id"])

    def make_method(self) -> str:
        made = self.post("/v1/payment_methods", {"type": "card", "card[token]": "tok_visa"})
        return str(made["id"])

    def make_attached_method(self) -> str:
        method = self.make_method()
        self.post(f"/v1/payment_methods/{method}/attach", {"customer": self.customer})
        return method

    def make_setup_intent(self) -> str:
        return str(self.post("/v1/setup_intents", {"customer": self.customer})["id"])

    def make_intent(self) -> str:
        made = self.post(
            "/v1/payment_intents",
            {"amount": "2000", "currency": "usd", "customer": self.customer},
        )
        return str(made["id"])

    def make_paid_intent(self, **extra: str) -> dict[str, Any]:
        return dict(
            self.post(
                "/v1/payment_intents",
                {
                    "amount": "2000",
                    "currency": "usd",
                    "customer": self.customer,
                    "payment_method": "pm_card_visa",
                    "confirm": "true",
                    **extra,
                },
            )
        )

    def make_authorized_intent(self) -> str:
        """An intent whose card authorized it, waiting for its capture."""
        return str(self.make_paid_intent(capture_method="manual")["id"])

    def make_charge(self) -> str:
        return str(self.make_paid_intent()["latest_charge"])

    def make_endpoint(self) -> str:
        made = self.post(
            "/v1/webhook_endpoints",
            {"url": "http://127.0.0.1:9/other", "enabled_events[0]": "invoice.paid"},
        )
        return str(made["id"])

    def make_card(self) -> str:
        """A card source of the card-paying customer (`card_…`)."""
        made = self.post(f"/v1/customers/{self.source_customer}/sources", {"source": "tok_visa"})
        return str(made["id"])

    def make_plan(self) -> str:
        made = self.post(
            "/v1/plans",
            {"amount": "900", "currency": "usd", "interval": "month", "product": self.product},
        )
        return str(made["id"])

    def make_promotion_code(self) -> str:
        made = self.post(
            "/v1/promotion_codes", {"coupon": self.coupon, "code": f"CODE{next(self.serial)}"}
        )
        return str(made["id"])

    def make_token(self) -> str:
        made = self.post(
            "/v1/tokens",
            {"card[number]": "4242424242424242", "card[exp_month]": "12", "card[exp_year]": "2034"},
        )
        return str(made["id"])

    def make_paused(self, count: int) -> list[str]:
        """Subscriptions whose trial ended without a payment method (paused), made at
        once: their trials end in a minute, which the test clock then passes."""
        now = int(self.get("/v1/test_helpers/test_clocks/clock_ledger")["frozen_time"])
        made = []
        for _ in range(count):
            customer = self.post("/v1/customers", {"name": f"Cardless {next(self.serial)}"})
            made.append(
                self.post(
                    "/v1/subscriptions",
                    {
                        "customer": customer["id"],
                        "items[0][price]": self.price,
                        "trial_end": str(now + 60),
                        "trial_settings[end_behavior][missing_payment_method]": "pause",
                    },
                )["id"]
            )
        self.post(
            "/v1/test_helpers/test_clocks/clock_ledger/advance", {"frozen_time": str(now + 61)}
        )
        return made

    def ids(self) -> dict[str, str]:
        """Ids by the parameter names that take them."""
        return {
            "customer": self.customer,
            "price": self.price,
            "product": self.product,
            "coupon": self.coupon,
            "subscription": self.subscription,
            "invoice": self.paid,
            "charge": self.charge,
            "payment_intent": self.intent,
            "payment_method": "pm_card_visa",
            "default_payment_method": "pm_card_visa",
            "configuration": self.configuration,
            "credit_note": self.credit_note,
            "refund": self.refund,
            "plan": self.plan,
            "promotion_code": self.promotion_code,
            "source": "tok_visa",
            "default_source": self.card,
            # A credit note's allocations: all of the $1.00 it credits.
            "credit_amount": "100",
            "refund_amount": "100",
            "out_of_band_amount": "100",
        }


Factory = Callable[[World], tuple[dict[str, str], dict[str, str]]]
