"""One function per user action, each inside one ledger transaction."""
