"""The documented parameters of capabilities billcli does not model, and why.

Stripe documents them on operations billcli serves, so refusing them as
`parameter_unknown` would say they do not exist; taking them silently would pretend
they work. Each is refused by name with the capability it belongs to (HTTP 400), so an
integration learns at its first call what billcli will not do for it.
"""

from __future__ import annotations

from billcli.errors import InvalidRequest

CONNECT = "Connect (connected accounts, transfers and application fees)"
STRIPE_TAX = "Stripe Tax (automatic tax and its customer locations)"
MANDATES = "mandates (bank debits)"
RADAR = "Radar (fraud rules and reports)"
NOT_CARDS = "payment methods other than cards"
ACCOUNTS_V2 = "Accounts v2 (`customer_account`; billcli's customers are v1 customers)"

CAPABILITIES: dict[str, str] = {
    # Connect
    "on_behalf_of": CONNECT,
    "transfer_data": CONNECT,
    "transfer_group": CONNECT,
    "application_fee_amount": CONNECT,
    "application_fee_percent": CONNECT,
    "refund_application_fee": CONNECT,
    "reverse_transfer": CONNECT,
    "attach_to_self": CONNECT,
    "connect": CONNECT,
    "issuer": CONNECT,
    "account": CONNECT,
    "liability": CONNECT,
    "customer_account": ACCOUNTS_V2,
    "customer": CONNECT,  # a token of a customer's card, for a connected account
    # money billcli does not hold
    "cash_balance": "customer cash balances (bank transfers)",
    "customer_balance": "customer cash balances (bank transfers)",
    "origin": "refunds to a customer's cash balance",
    "instructions_email": "refunds to a customer's cash balance",
    # tax billcli does not compute
    "automatic_tax": STRIPE_TAX,
    "tax": STRIPE_TAX,
    "customer_details": STRIPE_TAX,
    "tax_code": STRIPE_TAX,
    # an item's own tax_behavior is Stripe Tax's (a price's is kept and shown: catalog)
    "tax_behavior": STRIPE_TAX,
    "tax_details": STRIPE_TAX,
    "account_tax_ids": "account tax IDs",
    "validate": "the validation of a customer's address for tax",
    # payments billcli does not take
    "mandate": MANDATES,
    "mandate_data": MANDATES,
    "default_mandate": MANDATES,
    "radar_options": RADAR,
    "fraud_details": RADAR,
    "confirmation_token": "confirmation tokens (Stripe.js)",
    "payment_method_configuration": "payment method configurations (the Dashboard's)",
    "hooks": "payment intent hooks",
    "payment_details": "industry payment details (payment_details)",
    "amount_details": "itemized amount details (Level 3 data)",
    "amount_to_confirm": "partial confirmations",
    "link": NOT_CARDS,
    "us_bank_account": NOT_CARDS,
    "flow_directions": "bank account flows (flow_directions)",
    # billing billcli does not model
    "billing_thresholds": "billing thresholds (usage-triggered invoices)",
    "billing_schedules": "billing schedules",
    "custom_unit_amount": "customer-chosen amounts (Checkout's pay what you want)",
    "shipping_cost": "shipping rates",
    "clear_usage": "usage records (metered billing)",
    # subscription schedules: what billcli's phases do not carry
    "pause_schedules": "paused phases of subscription schedules (pause_schedules)",
    "billing_mode": "flexible billing mode (billing_mode)",
    "add_invoice_items": "one-time items added by a schedule phase",
    "default_tax_rates": "tax rates on schedule phases (set them on the subscription)",
    "price_data": "inline prices in schedule phases (create the price first)",
    "tax_rates": "per-item tax rates in schedule phases and Checkout line items",
    "discounts": "per-item discounts in schedule phases",
    "footer": "invoice settings of schedule phases (footer, custom fields, description)",
    "custom_fields": "custom fields (schedule phases' invoices, Checkout's form)",
    # Checkout: what billcli's hosted page does not do
    "adaptive_pricing": "adaptive pricing (local currencies at checkout)",
    "branding_settings": "Checkout branding (the Dashboard's)",
    "wallet_options": "wallets (Link, Apple Pay, Google Pay)",
    "managed_payments": "managed payments (Stripe as merchant of record)",
    "permissions": "client-side session updates (permissions)",
    "payment_method_options": "payment method options (per-type settings)",
    "payment_method_data": "saved payment method redisplay (payment_method_data)",
    "saved_payment_method_options": "saved payment methods on the Checkout page",
    "setup_intent_data": "Checkout's setup mode details (setup_intent_data)",
    "optional_items": "optional items (cross-sells) on the Checkout page",
    "integration_identifier": "integration identifiers",
    "name_collection": "business and individual name collection",
    "origin_context": "mobile app origin contexts",
    "shipping_address_collection": "shipping address collection and shipping rates",
    "shipping_options": "shipping address collection and shipping rates",
    "tax_id_collection": "customer tax IDs",
    "payment_link": "payment links",
    "capture_method": "separate authorization and capture of Checkout payments",
    "setup_future_usage": "saving a Checkout payment's card for later (setup_future_usage)",
    "statement_descriptor": "statement descriptors",
    "statement_descriptor_suffix": "statement descriptors",
    "billing_cycle_anchor_config": "billing cycle anchors set at checkout",
    "pending_invoice_item_interval": "pending invoice item intervals at checkout",
    "trial_settings": "trial end behaviours set at checkout",
    "invoice_settings": "invoice settings set at checkout",
}


# Payment method types beside cards: each a parameter of `POST /v1/payment_methods`.
PAYMENT_METHOD_TYPES = (
    "acss_debit",
    "affirm",
    "afterpay_clearpay",
    "alipay",
    "alma",
    "amazon_pay",
    "au_becs_debit",
    "bacs_debit",
    "bancontact",
    "billie",
    "bizum",
    "blik",
    "boleto",
    "cashapp",
    "crypto",
    "custom",
    "customer_balance",
    "eps",
    "fpx",
    "giropay",
    "grabpay",
    "ideal",
    "interac_present",
    "kakao_pay",
    "klarna",
    "konbini",
    "kr_card",
    "link",
    "mb_way",
    "mobilepay",
    "multibanco",
    "naver_pay",
    "nz_bank_account",
    "oxxo",
    "p24",
    "pay_by_bank",
    "payco",
    "paynow",
    "paypal",
    "paypay",
    "payto",
    "pix",
    "promptpay",
    "revolut_pay",
    "samsung_pay",
    "satispay",
    "scalapay",
    "sepa_debit",
    "sequra",
    "sofort",
    "sunbit",
    "swish",
    "twint",
    "upi",
    "us_bank_account",
    "wechat_pay",
    "zip",
)
# Sources and tokens other than cards (the older API's card sources are modelled).
CAPABILITIES.update(
    {
        "bank_account": "bank account sources and tokens",
        "default_bank_account": "bank account sources and tokens",
        "default_alipay_account": "Alipay sources",
        "account_holder_name": "bank account sources and tokens",
        "account_holder_type": "bank account sources and tokens",
        "owner": "the Sources API's sources other than cards",
        "person": "tokens of people (Connect onboarding)",
        "pii": "tokens of personal ID numbers",
        "cvc_update": "CVC re-collection tokens",
        "meter": "metered usage (usage records and meters)",
        "networks": "card networks of co-badged cards",
    }
)
CAPABILITIES.update({kind: NOT_CARDS for kind in PAYMENT_METHOD_TYPES if kind not in CAPABILITIES})


def refusal(name: str, spelled: str) -> InvalidRequest:
    """The error for a parameter of a capability billcli does not model."""
    capability = CAPABILITIES.get(name, f"`{name}`")
    return InvalidRequest(
        f"Cannot use {spelled}: billcli does not model {capability}", param=spelled
    )
