"""Payments as Stripe models them: payment methods, setup intents, payment intents (one
per invoice, every attempt through it), charges, refunds and 3-D Secure."""
