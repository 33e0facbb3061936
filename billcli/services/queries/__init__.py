"""Reading across the ledger: search, reports, shell completion, `ledger check`."""
