"""A Stripe-compatible HTTP API over the ledger (`billcli api serve`)."""
