"""billcli: Stripe-style billing administration on a local SQLite ledger."""

__version__ = "0.1.0"
API_VERSION = "2023-08-16"
