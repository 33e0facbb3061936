"""Tax rates, and the tax they put on lines, invoices and credit notes."""
