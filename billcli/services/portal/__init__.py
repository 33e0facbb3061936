"""The customer portal: configurations, sessions and what a customer may do there."""
