"""`invoices tick` over many due invoices (finalize, then pay), against a raw-SQL floor.

    python bench/tick_throughput.py [--invoices 100000] [--customers 20000]

The ledger is built through billcli's own services (customers import with a Visa test
card each, then invoice items and auto-advancing drafts), copied, and then:
- billcli runs `invoices tick --by 2h` as a user would (a subprocess);
- the floor, on the copy, does the same writes with `sqlite3` and nothing else: number
  each draft, move its customer's invoice sequence, open it, record `customer.updated`
  and `invoice.finalized` with the invoice's PaymentIntent (`payment_intent.created`);
  then the succeeded charge, the intent succeeded and the attempt with its charge, mark
  it paid, and record `charge.succeeded`, `payment_intent.succeeded`,
  `invoice_payment.paid`, `invoice.payment_succeeded` and `invoice.paid`, each event
  carrying the row as JSON.
  It commits every 100 invoices, as billcli commits up to 100 steps at a time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ledgers import import_customers
from measured import checkpoint, opened, timed

from billcli.services.invoicing import invoices
from billcli.services.invoicing import items as invoice_items
from billcli.services.invoicing.invoices import InvoiceInput
from billcli.services.invoicing.items import ItemInput
from billcli.store.ledger import Ledger

FLOOR = r"""
import json, secrets, sqlite3, sys
path, now = sys.argv[1], int(sys.argv[2])
conn = sqlite3.connect(path, isolation_level=None)
conn.row_factory = sqlite3.Row
conn.execute("PRAGMA synchronous = FULL")
conn.execute("PRAGMA cache_size = -65536")
def event(type_, obj):
    conn.execute("INSERT INTO events (id, created, type, object) VALUES (?, ?, ?, ?)",
                 ["evt_" + secrets.token_hex(12), now, type_, json.dumps(obj)])
def one(table, key):
    return dict(conn.execute(f"SELECT * FROM {table} WHERE id = ?", [key]).fetchone())
due = [r[0] for r in conn.execute(
    "SELECT id FROM invoices WHERE status = 'draft' AND auto_advance = 1 "
    "AND finalizes_at <= ? ORDER BY finalizes_at, seq", [now])]
for start in range(0, len(due), 100):
    batch = due[start:start + 100]
    conn.execute("BEGIN IMMEDIATE")
    for invoice in batch:
        row = conn.execute("SELECT customer FROM invoices WHERE id = ?", [invoice]).fetchone()
        c = conn.execute("SELECT * FROM customers WHERE id = ?", [row["customer"]]).fetchone()
        number = f"{c['invoice_prefix']}-{c['next_invoice_sequence']:04d}"
        conn.execute("UPDATE customers SET next_invoice_sequence = next_invoice_sequence + 1 "
                     "WHERE id = ?", [c["id"]])
        event("customer.updated", dict(c))
        intent = "pi_" + secrets.token_hex(12)
        conn.execute(
            "INSERT INTO payment_intents (id, created, amount, currency, status, client_secret, "
            "customer, invoice, description) SELECT ?, ?, total, currency, "
            "'requires_payment_method', ?, customer, id, 'Payment for Invoice' FROM invoices "
            "WHERE id = ?", [intent, now, intent + "_secret_" + secrets.token_hex(12), invoice])
        event("payment_intent.created", one("payment_intents", intent))
        conn.execute(
            "UPDATE invoices SET status = 'open', number = ?, finalized_at = ?, "
            "starting_balance = 0, ending_balance = 0, amount_due = total, page_secret = ?, "
            "customer_name = ?, customer_email = ?, next_payment_attempt = ?, "
            "payment_intent = ? WHERE id = ?",
            [number, now, secrets.token_urlsafe(32), c["name"], c["email"], now, intent, invoice])
        event("invoice.finalized", one("invoices", invoice))
    conn.execute("COMMIT")
    conn.execute("BEGIN IMMEDIATE")
    for invoice in batch:
        row = one("invoices", invoice)
        method = conn.execute("SELECT default_payment_method FROM customers WHERE id = ?",
                              [row["customer"]]).fetchone()[0]
        charge, intent = "ch_" + secrets.token_hex(12), row["payment_intent"]
        conn.execute(
            "INSERT INTO charges (id, created, amount, currency, status, test_name, customer, "
            "payment_intent, invoice, payment_method, description) VALUES (?, ?, ?, ?, "
            "'succeeded', 'pm_card_visa', ?, ?, ?, ?, 'Payment for Invoice')",
            [charge, now, row["amount_due"], row["currency"], row["customer"], intent, invoice,
             method])
        event("charge.succeeded", one("charges", charge))
        conn.execute("UPDATE payment_intents SET status = 'succeeded', payment_method = ?, "
                     "latest_charge = ?, amount_received = amount WHERE id = ?",
                     [method, charge, intent])
        succeeded = one("payment_intents", intent)
        event("payment_intent.succeeded", succeeded)
        event("invoice_payment.paid", succeeded)
        conn.execute("INSERT INTO payment_attempts (invoice, created, payment_method, amount, "
                     "succeeded, automatic, payment_intent, charge) VALUES (?, ?, ?, ?, 1, 1, "
                     "?, ?)", [invoice, now, method, row["amount_due"], intent, charge])
        conn.execute("UPDATE invoices SET attempted = 1, attempt_count = 1, status = 'paid', "
                     "amount_paid = amount_due, paid_at = ?, auto_advance = 0, "
                     "next_payment_attempt = NULL, charge = ? WHERE id = ?",
                     [now, charge, invoice])
        paid = one("invoices", invoice)
        event("invoice.payment_succeeded", paid)
        event("invoice.paid", paid)
    conn.execute("COMMIT")
print(len(due))
"""


def build(folder: Path, invoice_count: int, customer_count: int) -> tuple[Path, int]:
    """A ledger of `invoice_count` auto-advancing drafts; its path and clock."""
    path = folder / "tick.db"
    with Ledger(path) as ledger:
        ids = import_customers(ledger, folder, customer_count)
        with ledger.bulk(), ledger.write() as tx:
            for n in range(invoice_count):
                customer = ids[n % len(ids)]
                invoice_items.create_in(tx, ItemInput(customer, amount=str(1000 + n % 5000)))
                invoices.create_in(tx, InvoiceInput(customer, pending_items="include"))
            now = tx.now
    checkpoint(path)
    return path, now


def paid(path: Path) -> int:
    with opened(path) as conn:
        return int(
            conn.execute("SELECT count(*) FROM invoices WHERE status = 'paid'").fetchone()[0]
        )


def run(invoice_count: int, customer_count: int) -> list[str]:
    """The benchmark; its section of bench/results.md."""
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        started = time.perf_counter()
        path, now = build(folder, invoice_count, customer_count)
        built_s = time.perf_counter() - started
        floor_path = folder / "floor.db"
        shutil.copy(path, floor_path)
        target = now + 2 * 3600
        env = {**os.environ, "BILLCLI_LEDGER": str(path)}
        billcli_s, _, rss_mib = timed(
            [sys.executable, "-m", "billcli", "invoices", "tick", "--to", str(target)], env
        )
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", FLOOR, str(floor_path), str(target)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        floor_s = time.perf_counter() - started
        assert paid(path) == paid(floor_path) == invoice_count, (paid(path), paid(floor_path))
    return [
        f"`invoices tick` over {invoice_count:,} due invoices of {customer_count:,} customers "
        f"(each finalized, then paid by card; ledger built in {built_s:.0f} s through the "
        "services):",
        "",
        "| what | time | invoices/s |",
        "|---|---|---|",
        f"| billcli `invoices tick --to …` | {billcli_s:.1f} s | "
        f"{invoice_count / billcli_s:,.0f} |",
        f"| raw-SQL floor, same writes | {floor_s:.1f} s | {invoice_count / floor_s:,.0f} |",
        f"| billcli as a share of the floor | {floor_s / billcli_s:.0%} | |",
        "",
        f"Peak RSS of billcli's tick: {rss_mib:.0f} MiB.",
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=20_000)
    args = parser.parse_args()
    print("\n".join(run(args.invoices, args.customers)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
