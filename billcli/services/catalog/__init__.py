"""The catalog: products and their prices."""
