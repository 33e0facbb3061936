"""Coupons, and the discounts that apply them to customers, subscriptions and invoices."""
