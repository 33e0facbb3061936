"""The only package that knows SQL: opening or refusing a ledger, schema, repositories."""
