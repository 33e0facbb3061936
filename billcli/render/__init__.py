"""Tables, JSON and CSV, all produced from the same Stripe-shaped result."""
