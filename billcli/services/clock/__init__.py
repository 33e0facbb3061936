"""`invoices tick`: moving the ledger clock and doing what falls due, step by step."""
