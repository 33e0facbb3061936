"""Customers and their credit balance: the customer balance transaction ledger and bulk imports."""
