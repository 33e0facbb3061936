"""Regenerate the README's tour from real runs of the current code.

    python docs/tour.py            rewrite every block between <!-- tour:NAME --> and
                                   <!-- /tour --> in README.md
    python docs/tour.py --check    exit 1 when the README differs from a fresh run
                                   (ids, secrets, dates and times aside)

The tour runs billcli as a user would (a subprocess per command) on a fresh ledger in
a temporary folder, with a webhook receiver on 127.0.0.1 answering 200.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

from billcli.core.ids import PREFIXES

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"(<!-- tour:(?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- /tour -->)", re.S)


@dataclass(frozen=True)
class Step:
    """One command: shown with its output (or not), its JSON abridged to `keys`."""

    command: str
    save: dict[str, str] | None = None  # variable -> JSON key of the output
    keys: tuple[str, ...] = ()
    shown: bool = True
    note: str = ""


def run(*command: str, **options: Any) -> Step:
    return Step(" ".join(command), **options)


def setup(*command: str, **options: Any) -> Step:
    return Step(" ".join(command), shown=False, **options)


ADA_ITEMS = [
    run(
        "billcli invoices items create --customer {ada} --unit-amount 4000 --quantity 3",
        '--description "Engine rental"',
    ),
    run(
        "billcli invoices items create --customer {ada} --amount 1250",
        '--description "Punched cards" --json',
        keys=("id", "amount", "description", "invoice"),
    ),
]

TOUR: dict[str, list[Step]] = {
    "customers": [
        run(
            'billcli customers create --name "Ada Lovelace" --email ada@example.com',
            "--payment-method pm_card_visa --invoice-prefix ADA --metadata plan=pro",
        ),
        run(
            'billcli customers create --name "Grace Hopper" --email grace@example.com',
            "--currency eur --balance -15.00 --invoice-prefix COBOL --json",
            keys=("id", "object", "balance", "currency", "email", "invoice_prefix", "name"),
        ),
        run("billcli customers list"),
        setup("billcli customers list --email ada@example.com --json", save={"ada": "data.0.id"}),
        run(
            'billcli customers update {ada} --phone "+44 20 7946 0000" --metadata plan=',
            "--metadata seats=3 --json",
            keys=("id", "metadata", "phone"),
        ),
        run(
            'billcli customers update {ada} --address "line1=12 St James\'s Square"',
            '--address city=London --address "postal_code=SW1Y 4LB" --address country=GB',
            '--invoice-custom-field "PO number=1843"',
            '--invoice-footer "Analytical Engines Ltd, registered in England"',
        ),
    ],
    "balance": [
        run('billcli balance create {ada} --amount -500 --description "Goodwill credit" --json'),
        run("cat credits.csv"),
        run("billcli balance import credits.csv"),
        run("billcli balance import credits.csv --json"),
        run("billcli balance list {ada}"),
        run("billcli customers show {ada}"),
        run("billcli balance create {ada} --amount 5 --currency jpy"),
        run("billcli balance create {ada} --amount 1.234"),
    ],
    "invoices": [
        *ADA_ITEMS,
        run(
            "billcli invoices create --customer {ada} --pending-items include --json",
            save={"inv": "id"},
            keys=("id", "status", "amount_due", "automatically_finalizes_at", "lines"),
        ),
        run("billcli invoices finalize {inv}"),
        run("billcli invoices pay {inv} --payment-method pm_card_chargeDeclinedExpiredCard"),
        run(
            "billcli invoices pay {inv} --json",
            note="the default card, a Visa",
            keys=(
                "id",
                "amount_due",
                "amount_paid",
                "amount_remaining",
                "attempt_count",
                "number",
                "status",
            ),
        ),
        run("billcli invoices pdf {inv} -o ADA-0001.pdf"),
    ],
    "small-invoices": [
        setup(
            "billcli customers create --name Turing --invoice-prefix TURING --json",
            save={"turing": "id"},
        ),
        setup("billcli invoices items create --customer {turing} --amount 30"),
        setup(
            "billcli invoices create --customer {turing} --pending-items include --json",
            save={"small": "id"},
        ),
        run("billcli invoices finalize {small}", note="a $0.30 invoice"),
        run("billcli balance list {turing}"),
        run("billcli invoices list"),
        run("billcli invoices void {small}"),
    ],
    "tick": [
        setup(
            "billcli customers create --name Yukihiro --currency usd --invoice-prefix MATZ",
            "--payment-method pm_card_chargeCustomerFail --json",
            save={"matz": "id"},
        ),
        setup("billcli invoices items create --customer {matz} --amount 2000"),
        setup("billcli invoices items create --customer {ada} --amount 2000"),
        setup("billcli invoices create --customer {matz} --pending-items include"),
        setup("billcli invoices create --customer {ada} --pending-items include"),
        run("billcli invoices tick --by 30m"),
        run("billcli invoices tick --by 30m"),
        run("billcli invoices tick --by 15d --dry-run"),
        run("billcli invoices tick --to 2020-01-01"),
    ],
    "catalog": [
        run('billcli products create --name "Engine time" --id engine --unit-label hour'),
        run(
            "billcli prices create --product engine --currency usd --unit-amount 30.00",
            "--recurring-interval month --nickname Monthly --lookup-key engine-monthly --json",
            save={"monthly": "id"},
            keys=("id", "lookup_key", "recurring", "type", "unit_amount"),
        ),
        run(
            "billcli prices create --product engine --currency usd --billing-scheme tiered",
            "--tiers-mode graduated --tier 10:500 --tier inf:300:1000 --recurring-interval month",
        ),
        run(
            "billcli prices create --product engine --currency usd --unit-amount 300.00",
            "--currency-option eur:280.00 --recurring-interval year --nickname Yearly --json",
            keys=("id", "currency", "unit_amount", "currency_options"),
        ),
        run("billcli prices list --product engine"),
        run("billcli products delete engine"),
    ],
    "subscriptions": [
        run(
            "billcli subscriptions create --customer {ada} --price {monthly}:2 --json",
            save={"sub": "id", "si": "items.data.0.id"},
            keys=(
                "id",
                "status",
                "current_period_start",
                "current_period_end",
                "latest_invoice",
                "quantity",
            ),
        ),
        setup(
            "billcli customers create --name Babbage --email charles@example.com",
            "--currency usd --json",
            save={"charles": "id"},
        ),
        run("billcli subscriptions create --customer {charles} --price {monthly} --trial-days 14"),
        run("billcli invoices tick --by 32d"),
        run("billcli subscriptions show {sub}"),
        run("billcli invoices upcoming --customer {ada} --quantity 5"),
        run(
            "billcli subscriptions update {sub} --quantity 5 --json",
            keys=("id", "quantity", "current_period_end"),
        ),
        run("billcli invoices items list --customer {ada} --pending"),
        setup(
            "billcli prices create --product engine --currency usd --unit-amount 300.00",
            "--recurring-interval year --nickname Yearly --json",
            save={"yearly": "id"},
        ),
        run(
            "billcli invoices upcoming --customer {ada} --item {si}={yearly}:5 --json",
            note="a switch to yearly invoices at once: the preview is that invoice",
            keys=("billing_reason", "created", "subtotal", "total", "amount_due"),
        ),
        run(
            "billcli subscriptions update {sub} --cancel-at-period-end --json",
            keys=("id", "status", "cancel_at_period_end", "canceled_at", "current_period_end"),
        ),
        run("billcli subscriptions update {sub} --pause-collection keep_as_draft"),
        setup("billcli subscriptions update {sub} --resume-collection"),
        run("billcli invoices upcoming --customer {ada} --subscription {sub}"),
        run("billcli customers delete {charles}"),
        run("billcli subscriptions list --status all"),
        run("billcli subscriptions create --customer {ada} --price {monthly} --trial-days 800"),
    ],
    "coupons": [
        run(
            "billcli coupons create --id LAUNCH20 --percent-off 20 --duration repeating",
            '--duration-in-months 3 --name "Launch offer"',
        ),
        run(
            "billcli coupons create --amount-off 5.00 --currency usd --max-redemptions 100",
            "--json",
            keys=(
                "id",
                "amount_off",
                "currency",
                "duration",
                "max_redemptions",
                "times_redeemed",
                "valid",
            ),
        ),
        run("billcli customers update {ada} --coupon LAUNCH20"),
        setup(
            "billcli invoices items create --customer {ada} --unit-amount 1500 --quantity 4",
            '--description "Card punching"',
        ),
        run(
            "billcli invoices create --customer {ada} --pending-items include --json",
            save={"disc": "id", "punch": "lines.data.-1.id"},
            keys=("id", "subtotal", "total", "total_discount_amounts"),
        ),
        run("billcli invoices show {disc}"),
        run("billcli coupons list"),
        run("billcli coupons create --percent-off 120"),
    ],
    "credit-notes": [
        setup("billcli invoices finalize {disc}"),
        run(
            "billcli credit-notes preview --invoice {disc} --line {punch}:x1 --json",
            keys=("number", "type", "subtotal", "discount_amount", "total"),
        ),
        run(
            "billcli credit-notes create --invoice {disc} --line {punch}:x1",
            '--reason order_change --memo "One card deck fewer"',
        ),
        run(
            "billcli invoices show {disc} --json",
            keys=("status", "total", "amount_due", "pre_payment_credit_notes_amount"),
        ),
        setup("billcli invoices pay {disc}"),
        run(
            "billcli credit-notes create --invoice {disc} --amount 10.00 --refund-amount 600",
            "--credit-amount 4.00",
        ),
        run(
            "billcli credit-notes create --invoice {disc} --amount 10.00 --refund-amount 6.00",
            "--credit-amount 4.00 --json",
            save={"cn": "id"},
            keys=("number", "type", "total", "customer_balance_transaction", "refund"),
        ),
        run("billcli credit-notes list --invoice {disc}"),
        run("billcli credit-notes void {cn}"),
        run("billcli credit-notes pdf {cn} -o credit-note.pdf"),
    ],
    "taxes": [
        run(
            "billcli tax-rates create --display-name VAT --percentage 20 --inclusive",
            "--country GB --tax-type vat --json",
            save={"vat": "id"},
            keys=("id", "display_name", "percentage", "inclusive", "country", "tax_type"),
        ),
        run(
            'billcli tax-rates create --display-name "Sales tax" --percentage 8.875',
            '--country US --state NY --jurisdiction "New York" --tax-type sales_tax --json',
            save={"sales": "id"},
            keys=("id", "display_name", "percentage", "inclusive", "jurisdiction"),
        ),
        run("billcli tax-rates list"),
        setup(
            "billcli customers create --name Noether --email emmy@example.com",
            "--invoice-prefix NOETHER --payment-method pm_card_visa --json",
            save={"emmy": "id"},
        ),
        run(
            "billcli invoices items create --customer {emmy} --amount 120.00 --tax-rate {vat}",
            '--description "Books, VAT included"',
        ),
        setup("billcli invoices items create --customer {emmy} --amount 80.00 --description Lamps"),
        run(
            "billcli invoices create --customer {emmy} --pending-items include",
            "--default-tax-rate {sales}",
        ),
        setup(
            "billcli invoices list --customer {emmy} --limit 1 --json",
            save={"taxed": "data.0.id", "books": "data.0.lines.data.0.id"},
        ),
        run(
            "billcli invoices finalize {taxed} --json",
            keys=("number", "subtotal", "tax", "total", "total_tax_amounts"),
        ),
        run("billcli credit-notes create --invoice {taxed} --line {books}:60.00"),
        run(
            "billcli subscriptions create --customer {emmy} --price {monthly}",
            "--default-tax-rate {sales} --json",
            save={"taxsub": "id"},
            keys=("id", "status", "latest_invoice"),
        ),
        run("billcli subscriptions show {taxsub}"),
        run("billcli tax-rates update {vat} --percentage 21"),
        run("billcli tax-rates update {vat} --no-active --json", keys=("id", "active")),
        run("billcli invoices items create --customer {emmy} --amount 5.00 --tax-rate {vat}"),
    ],
    "tax-ids": [
        run(
            "billcli customers tax-ids add {emmy} --type eu_vat --value DE123456789 --json",
            save={"emmy_vat": "id"},
            keys=("id", "type", "value", "country", "verification"),
        ),
        run("billcli customers tax-ids add {emmy} --type us_ein --value 123456789"),
        run("billcli customers tax-ids add {emmy} --type us_ein --value 12-3456789"),
        run("billcli customers tax-ids list {emmy}"),
        run("billcli customers tax-ids delete {emmy} {emmy_vat}"),
    ],
    "payments": [
        run("billcli payment-methods create --token pm_card_mastercard --customer {ada}"),
        run("billcli payment-methods list --customer {ada}"),
        setup(
            "billcli invoices list --customer {ada} --status paid --limit 1 --json",
            save={"ada_pi": "data.0.payment_intent", "ada_ch": "data.0.charge"},
        ),
        run("billcli payment-intents show {ada_pi}"),
        run("billcli charges list --payment-intent {ada_pi}"),
        run(
            "billcli refunds create --charge {ada_ch} --amount 5.00",
            "--reason requested_by_customer",
        ),
        run("billcli refunds create --charge {ada_ch} --amount 900.00"),
        setup(
            "billcli customers create --name Hedy --email hedy@example.com --invoice-prefix HEDY",
            "--payment-method pm_card_authenticationRequired --json",
            save={"hedy": "id"},
        ),
        setup("billcli invoices items create --customer {hedy} --amount 3500"),
        setup(
            "billcli invoices create --customer {hedy} --pending-items include --json",
            save={"auth": "id"},
        ),
        setup("billcli invoices finalize {auth}"),
        run("billcli invoices pay {auth}", note="a card that asks for 3-D Secure"),
        run("billcli payment-intents search \"status:'requires_action'\""),
        run(
            "billcli setup-intents create --customer {hedy} --payment-method",
            "pm_card_authenticationRequiredOnSetup --confirm --json",
            keys=("id", "status", "usage", "next_action"),
        ),
        run(
            "billcli payment-intents create --customer {ada} --amount 80.00 --currency usd",
            "--payment-method pm_card_visa --capture-method manual --confirm --json",
            save={"hold": "id"},
            keys=("id", "status", "amount_capturable", "amount_received"),
            note="a hold on the card, captured later",
        ),
        run(
            "billcli payment-intents capture {hold} --amount 65.00 --json",
            save={"hold_ch": "latest_charge"},
            keys=("status", "amount_received", "latest_charge"),
        ),
        run(
            "billcli charges show {hold_ch} --json",
            keys=("amount", "amount_captured", "amount_refunded", "captured", "refunded"),
        ),
    ],
    "search": [
        run("billcli customers search \"name~'lovel'\""),
        run("billcli customers search \"email:'GRACE@example.com' OR metadata['seats']:'3'\""),
        run(
            "billcli invoices search \"status:'paid' AND total>5000\" --limit 2 --json",
            keys=("object", "url", "has_more", "next_page"),
        ),
        run("billcli invoices search \"-status:'paid' currency:'usd'\""),
        run("billcli prices search \"product:'engine' AND active:'true'\""),
        run("billcli customers search \"name:'Ada' AND email~'exa' OR phone:null\""),
        run("billcli customers search \"name~'lo'\""),
    ],
    "reports": [
        run("billcli reports revenue --by week"),
        run("billcli reports mrr --by week"),
        run("billcli reports aging"),
        run("billcli reports balances"),
        run("billcli reports tax"),
        run("billcli reports mrr --json", keys=("object", "by", "from", "to", "currencies")),
        run("billcli reports revenue --by quarter"),
    ],
    "api": [
        run("billcli api key"),
        run("billcli api key --json", keys=("object", "key", "last4")),
    ],
    "portal": [
        run(
            'billcli portal configurations create --headline "Analytical Engines Ltd"',
            "--default-return-url https://engines.example/account",
            "--customer-update email,name,phone",
        ),
        run("billcli portal sessions create --customer {ada}"),
        setup(
            "billcli prices create --product engine --currency usd --unit-amount 50.00",
            "--recurring-interval month --nickname Premium --json",
            save={"premium": "id"},
        ),
        run(
            'billcli portal configurations create --headline "Plans" --subscription-cancel',
            "--cancellation-reasons too_expensive,unused --subscription-update",
            "--subscription-update-allows price,quantity",
            "--subscription-update-product engine={monthly},{premium} --subscription-pause",
        ),
        setup("billcli portal configurations list --json", save={"plans": "data.0.id"}),
        run(
            "billcli portal sessions create --customer {ada} --configuration {plans}",
            "--flow subscription_update --flow-subscription {sub} --json",
            keys=("id", "configuration", "flow", "url"),
        ),
        run("billcli portal configurations list"),
    ],
    "webhooks": [
        run("billcli webhooks create --url {hooks} --events invoice.created,invoice.finalized"),
        setup("billcli invoices items create --customer {ada} --amount 900"),
        run(
            "billcli invoices create --customer {ada} --pending-items include --json",
            keys=("id", "status", "webhooks_delivered_at", "automatically_finalizes_at"),
        ),
        run("billcli events deliver"),
        setup(
            "billcli events list --type invoice.created --limit 1 --json", save={"evt": "data.0.id"}
        ),
        run("billcli events deliveries {evt}"),
        run("billcli webhooks list"),
    ],
    "events": [
        run("billcli events list --limit 4"),
    ],
    "ledger": [
        run("billcli ledger info"),
        run("billcli ledger check"),
        run("billcli ledger copy ledger.db copy.db"),
        run("billcli ledger copy ledger.db copy.db"),
        run("billcli ledger clock --json"),
        run("billcli ledger config"),
        run("billcli ledger config dunning.final_action leave_open"),
        run("billcli customers list --ledger notes.txt"),
        run("billcli customers list --ledger typo/books.db"),
    ],
    "narrow": [
        run("COLUMNS=60 billcli invoices list --limit 3"),
        run("COLUMNS=80 billcli invoices list --limit 3"),
    ],
    "clocks": [
        run(
            'billcli clocks create --frozen-time 2020-01-31 --name "annual review" --json',
            save={"clk": "id"},
            keys=("id", "object", "frozen_time", "status", "deletes_after", "name"),
        ),
        run(
            'billcli customers create --name "Katherine Johnson" --email kj@example.com',
            "--payment-method pm_card_visa --clock {clk} --json",
            save={"kj": "id"},
            keys=("id", "created", "test_clock"),
        ),
        run("billcli subscriptions create --customer {kj} --price {monthly}"),
        run("billcli clocks advance {clk} --by 60d"),
        run("billcli invoices list --customer {kj}"),
        run("billcli customers list --clock {clk}"),
        run("billcli clocks list"),
        run("billcli clocks advance {clk} --to 2020-03-01"),
        run("billcli clocks delete {clk}"),
    ],
    "usage": [
        setup(
            'billcli customers create --name "Lovelace Analytics" --email ops@lovelace.example',
            "--payment-method pm_card_visa --json",
            save={"lovelace": "id"},
        ),
        run(
            'billcli meters create --event-name api_calls --display-name "API calls" --json',
            save={"mtr": "id"},
            keys=("id", "event_name", "display_name", "default_aggregation", "status"),
        ),
        setup('billcli products create --name "API access" --id api --json'),
        run(
            "billcli prices create --product api --currency usd --recurring-interval month",
            "--usage-type metered --meter {mtr} --billing-scheme tiered --tiers-mode graduated",
            "--tier 1000:2 --tier inf:1 --json",
            save={"calls": "id"},
            keys=("id", "recurring", "tiers_mode"),
        ),
        setup(
            "billcli subscriptions create --customer {lovelace} --price {monthly}",
            "--price {calls} --json",
            save={"usage_sub": "id"},
        ),
        run(
            "billcli meters events send --event-name api_calls --customer {lovelace}",
            "--value 1200 --identifier req_1",
        ),
        run(
            "billcli meters events send --event-name api_calls --customer {lovelace}",
            "--value 5 --identifier req_1",
        ),
        setup("billcli invoices tick --by 1d"),
        setup(
            "billcli meters events send --event-name api_calls --customer {lovelace}",
            "--value 800 --json",
        ),
        run("billcli invoices upcoming --customer {lovelace}"),
        run("billcli reports usage --meter {mtr} --by week"),
        setup("billcli invoices tick --by 31d"),
        run("billcli invoices list --customer {lovelace} --limit 2"),
        setup(
            'billcli clocks create --frozen-time 2020-06-01 --name "metered trial" --json',
            save={"uclk": "id"},
        ),
        setup(
            'billcli customers create --name "Babbage Labs" --email lab@babbage.example',
            "--payment-method pm_card_visa --clock {uclk} --json",
            save={"babbage": "id"},
        ),
        setup(
            "billcli subscriptions create --customer {babbage} --price {monthly}",
            "--price {calls} --json",
        ),
        setup("billcli clocks advance {uclk} --by 20d"),
        run(
            "billcli meters events send --event-name api_calls --customer {babbage}",
            "--value 300 --json",
            keys=("payload", "timestamp", "created"),
        ),
        run(
            "billcli meters events send --event-name api_calls --customer {babbage}",
            "--value 1 --timestamp 2020-04-01",
        ),
        setup("billcli clocks advance {uclk} --by 12d"),
        run("billcli invoices list --customer {babbage} --limit 2"),
    ],
    "promotion-codes": [
        run(
            "billcli promotion-codes create --coupon LAUNCH20 --code SPRING",
            "--max-redemptions 50 --first-time-transaction",
        ),
        setup(
            "billcli customers create --name Lamarr --email lamarr@example.com",
            "--payment-method pm_card_visa --json",
            save={"lamarr": "id"},
        ),
        run(
            "billcli subscriptions create --customer {lamarr} --price {monthly}",
            "--promotion-code spring --json",
            save={"spring_sub": "id"},
            keys=("id", "status", "latest_invoice"),
        ),
        run("billcli promotion-codes list"),
        run("billcli customers update {ada} --promotion-code SPRING"),
    ],
    "plans": [
        run(
            "billcli plans create --id gold-monthly --product-name Gold --currency usd",
            "--amount 25.00 --interval month --trial-period-days 14",
        ),
        run("billcli plans list --limit 3"),
        run("billcli subscriptions create --customer {ada} --price gold-monthly"),
    ],
    # Run last: they add subscriptions and move the clock, which earlier sections show.
    "checkout": [
        run(
            "billcli checkout sessions create --mode subscription --price {monthly}:2",
            "--trial-days 7 --success-url 'https://engines.example/welcome?s={{CHECKOUT_SESSION_ID}}'",
            "--json",
            save={"cs": "id"},
            keys=("id", "mode", "status", "amount_subtotal", "amount_total", "url"),
        ),
        run("billcli checkout open {cs}"),
        run(
            "billcli checkout sessions create --mode payment --price {monthly}",
            "--success-url https://engines.example/done",
        ),
        run(
            "billcli checkout sessions create --mode subscription --price {monthly}:2",
            "--promotion-code SPRING --default-tax-rate {sales}",
            "--success-url https://engines.example/welcome --json",
            save={"taxed_cs": "id"},
            keys=("id", "amount_subtotal", "total_details", "amount_total", "discounts"),
            note="20% off with the code, then 8.875% sales tax on the rest",
        ),
        setup(
            "billcli prices create --product engine --currency usd --unit-amount 50.00 --json",
            save={"fee": "id"},
        ),
        run(
            "billcli checkout sessions create --mode subscription --price {monthly}",
            "--price {fee} --success-url https://engines.example/welcome --json",
            keys=("id", "amount_subtotal", "amount_total"),
            note="a one-time fee beside the plan: billed once, on the first invoice",
        ),
        run("billcli checkout sessions show {cs}"),
        run("billcli checkout sessions expire {cs} --json", keys=("id", "status", "url")),
        run("billcli checkout sessions expire {cs}"),
    ],
    "schedules": [
        setup(
            "billcli customers create --name Hopper --email grace@navy.example",
            "--payment-method pm_card_visa --json",
            save={"hopper": "id"},
        ),
        run(
            "billcli subscription-schedules create --customer {hopper}",
            "--phase '{monthly} iterations=1' --phase '{premium}:2 iterations=2' --json",
            save={"sched": "id"},
            keys=("id", "status", "subscription", "current_phase", "end_behavior"),
        ),
        run("billcli subscription-schedules show {sched}"),
        run("billcli invoices upcoming --customer {hopper}", note="the second phase's price"),
        run("billcli invoices tick --by 32d"),
        run("billcli subscription-schedules list"),
        run(
            "billcli subscription-schedules release {sched} --json",
            keys=("id", "status", "released_subscription"),
        ),
        run("billcli subscription-schedules cancel {sched}"),
    ],
}

CREDITS = """customer,amount,description,idempotency_key
{ada},-2.50,Referral,ref-1
{ada},1.00,Late fee,fee-1
"""


class _Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def receiver() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hooks"
    finally:
        server.shutdown()


def _pick(data: Any, path: str) -> str:
    for part in path.split("."):
        data = data[int(part)] if part.lstrip("-").isdigit() else data[part]
    return str(data)


def _abridged(text: str, keys: tuple[str, ...]) -> str:
    obj = json.loads(text)
    lines = ["{"]
    kept = [k for k in obj if k in keys]
    for key in kept:
        value = json.dumps(obj[key], indent=2, ensure_ascii=False).replace("\n", "\n  ")
        lines.append(f'  "{key}": {value},')
    lines[-1] = lines[-1].rstrip(",")
    lines.append(f"  …  {len(obj) - len(kept)} more properties of the Stripe object  …")
    lines.append("}")
    return "\n".join(lines)


def _start() -> str:
    """When the tour's clock starts: the first Monday of March next year, 09:00 UTC.

    Reports group by week and month, so the tour must fall the same way in the calendar
    on every run: March and April always have 31 and 30 days, and a Monday start keeps
    the weeks aligned (the dates themselves are masked when comparing).
    """
    from datetime import UTC, datetime, timedelta

    march = datetime(datetime.now(UTC).year + 1, 3, 1, 9, tzinfo=UTC)
    return (march + timedelta(days=(7 - march.weekday()) % 7)).isoformat()


def _session(folder: Path, hooks: str) -> dict[str, str]:
    """Run every step in order; the rendered text of each section."""
    env = {
        **os.environ,
        "BILLCLI_LEDGER": str(folder / "ledger.db"),
        "COLUMNS": "120",
        "NO_COLOR": "1",
        "TERM": "dumb",
    }
    (folder / "notes.txt").write_text("not a ledger\n")
    values = {"hooks": hooks}
    rendered: dict[str, str] = {}
    subprocess.run(
        [sys.executable, "-m", "billcli", "invoices", "tick", "--to", _start()],
        env=env,
        cwd=folder,
        check=True,
        capture_output=True,
    )
    for section, steps in TOUR.items():
        out: list[str] = []
        for step in steps:
            command = step.command.format(**values)
            if "{ada}" in CREDITS and "ada" in values:
                (folder / "credits.csv").write_text(CREDITS.format(**values))
            args = shlex.split(command)
            settings = {}
            while (
                "=" in args[0]
            ):  # `COLUMNS=60 billcli …`: the terminal's width, as a shell sets it
                name, _, value = args.pop(0).partition("=")
                settings[name] = value
            if args[0] == "billcli":
                args = [sys.executable, "-m", "billcli", *args[1:]]
            done = subprocess.run(
                args, env=env | settings, cwd=folder, capture_output=True, text=True
            )
            if step.save:
                parsed = json.loads(done.stdout)
                values.update({name: _pick(parsed, key) for name, key in step.save.items()})
            if not step.shown:
                assert done.returncode == 0, (command, done.stderr)
                continue
            text = "\n".join(line.rstrip() for line in done.stdout.rstrip().splitlines())
            if step.keys and done.returncode == 0:
                text = _abridged(text, step.keys)
            note = f"      # {step.note}" if step.note else ""
            out.append(f"$ {command}{note}")
            if text:
                out.append(text)
            if done.stderr.strip():
                out.append(done.stderr.rstrip())
            if done.returncode:
                out.append(f"(exit {done.returncode})")
            out.append("")
        rendered[section] = "\n".join(out).rstrip().replace(str(folder), "/tmp/tour") + "\n"
    return rendered


def generate() -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp, receiver() as hooks:
        return _session(Path(tmp), hooks)


def _fenced(text: str) -> str:
    return f"```\n{text}```\n"


_VARYING = [
    (re.compile(rf"\b({'|'.join(PREFIXES.values())})_[0-9A-Za-z]{{24}}\b"), r"\1_…"),
    (re.compile(r"\b[A-Z0-9]{8}\b"), "ID8"),  # ids billcli chose: coupons, invoice prefixes
    (re.compile(r"[A-Za-z0-9_-]+\.[0-9a-f]{32}\b"), "PAGE_TOKEN"),  # a search's next_page
    (re.compile(r"sk_test_[A-Za-z0-9]{32}"), "sk_test_…"),
    (re.compile(r"…[A-Za-z0-9]{4} \(shown"), "…LAST4 (shown"),
    (re.compile(r'"last4": "[A-Za-z0-9]{4}"'), '"last4": "LAST4"'),
    (re.compile(r"whsec_[A-Za-z0-9_-]+"), "whsec_…"),
    (re.compile(r"/(p/session|p/login|i|c)/[A-Za-z0-9_-]{20,}"), r"/\1/…"),
    (re.compile(r"/authenticate/[A-Za-z0-9_-]{20,}"), "/authenticate/…"),
    (re.compile(r"_secret_[A-Za-z0-9]{25}"), "_secret_…"),
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:…"),
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "DATE"),
    (re.compile(r"\d{2}:\d{2}(:\d{2})?"), "TIME"),
    (re.compile(r"\b1\d{9}\b"), "TS"),
    (re.compile(r"\b\d+ ms\b"), "N ms"),
    (re.compile(r"[\d,]+\.\d s \([\d,]+ rows/s\)"), "N s (N rows/s)"),  # a copy's speed
    (re.compile(r"\b[0-9a-f]{64}\b"), "DIGEST"),  # a copy's digest: of random ids
    (re.compile(r"\([\d,]+ bytes\)"), "(N bytes)"),
    (re.compile(r"[ ─━]+"), " "),
]


def normalized(text: str) -> str:
    """What a run decides, without what differs from run to run."""
    for pattern, replacement in _VARYING:
        text = pattern.sub(replacement, text)
    return "\n".join(line.rstrip() for line in text.splitlines())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    fresh = generate()
    readme = README.read_text()
    found = {m["name"]: m["body"] for m in BLOCK.finditer(readme)}
    if set(found) != set(fresh):
        print(f"README tour blocks {sorted(found)} differ from {sorted(fresh)}", file=sys.stderr)
        return 1
    if args.check:
        stale = [n for n in fresh if normalized(found[n]) != normalized(_fenced(fresh[n]))]
        for name in stale:
            diff = difflib.unified_diff(
                normalized(found[name]).splitlines(),
                normalized(_fenced(fresh[name])).splitlines(),
                f"README {name}",
                f"fresh {name}",
                lineterm="",
            )
            print("\n".join(diff), file=sys.stderr)
        if stale:
            print("the README tour is stale: run python docs/tour.py", file=sys.stderr)
        return 1 if stale else 0
    updated = BLOCK.sub(lambda m: m[1] + _fenced(fresh[m["name"]]) + m[4], readme)
    README.write_text(updated)
    print(f"rewrote {len(fresh)} tour blocks in {README.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
