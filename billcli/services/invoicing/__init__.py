"""Invoices: items, drafts, the lifecycle from finalization to payment, hosted pages,
credit notes.
"""
