"""Subscriptions: their items, invoices, status, changes and prorations, what the clock
does to them, MRR, the upcoming invoice.
"""
