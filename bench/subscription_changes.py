"""`subscriptions update` (prorated) and `invoices upcoming` on a big ledger, against floors.

    python bench/subscription_changes.py [--subscriptions 100000]

The ledger is subscription_renewals' (monthly subscriptions built through the
services). Each run changes a subscription's quantity, so that every update prorates:
an "Unused time" credit, a "Remaining time" debit, the item and the subscription
updated, three events, one durable transaction, the subscription printed as JSON. The
floor does those reads and writes with `sqlite3` and nothing else, on another
subscription of the same ledger. `invoices upcoming --customer` beside a floor that
reads what a preview reads (customer, subscription, items, price, product, pending
items) and prints it. Medians of whole-process runs in turns, after 2 warm-ups.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measured import opened

UPDATE_FLOOR = r"""
import json, os, sqlite3, sys, time
path, sub, quantity = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = sqlite3.connect(path, isolation_level=None)
c.execute("PRAGMA synchronous = FULL")
c.row_factory = sqlite3.Row
now = int(time.time())
new = lambda p: p + "_" + os.urandom(12).hex()[:24]
def event(kind, obj):
    c.execute("INSERT INTO events (id, created, type, object) VALUES (?, ?, ?, ?)",
              [new("evt"), now, kind, json.dumps(obj)])
c.execute("BEGIN IMMEDIATE")
s = dict(c.execute("SELECT * FROM subscriptions WHERE id = ?", [sub]).fetchone())
item = dict(c.execute("SELECT * FROM subscription_items WHERE subscription = ? ORDER BY seq",
                      [sub]).fetchone())
price = dict(c.execute("SELECT * FROM prices WHERE id = ?", [item["price"]]).fetchone())
c.execute("SELECT * FROM products WHERE id = ?", [price["product"]]).fetchone()
c.execute("UPDATE subscription_items SET quantity = ? WHERE id = ?", [quantity, item["id"]])
for old_new, sign in ((item["quantity"], -1), (quantity, 1)):
    i = new("ii")
    c.execute("INSERT INTO invoice_items (id, customer, created, amount, currency, quantity, "
              "type, subscription, subscription_item, price, proration, period_start, "
              "period_end) VALUES (?, ?, ?, ?, 'usd', ?, 'invoiceitem', ?, ?, ?, 1, ?, ?)",
              [i, s["customer"], now, sign * old_new * price["unit_amount"] // 2, old_new,
               sub, item["id"], price["id"], now, s["current_period_end"]])
    event("invoiceitem.created",
          dict(c.execute("SELECT * FROM invoice_items WHERE id = ?", [i]).fetchone()))
c.execute("UPDATE subscriptions SET next_action_at = next_action_at WHERE id = ?", [sub])
s = dict(c.execute("SELECT * FROM subscriptions WHERE id = ?", [sub]).fetchone())
s["items"] = [dict(r) for r in c.execute(
    "SELECT * FROM subscription_items WHERE subscription = ? ORDER BY seq", [sub])]
event("customer.subscription.updated", s)
c.execute("COMMIT")
print(json.dumps(s))
"""

UPCOMING_FLOOR = r"""
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.row_factory = sqlite3.Row
customer = dict(c.execute("SELECT * FROM customers WHERE id = ?", [sys.argv[2]]).fetchone())
s = dict(c.execute("SELECT * FROM subscriptions WHERE customer = ? ORDER BY created, seq",
                   [customer["id"]]).fetchone())
items = [dict(r) for r in c.execute(
    "SELECT * FROM subscription_items WHERE subscription = ? ORDER BY seq", [s["id"]])]
for item in items:
    price = dict(c.execute("SELECT * FROM prices WHERE id = ?", [item["price"]]).fetchone())
    c.execute("SELECT * FROM products WHERE id = ?", [price["product"]]).fetchone()
pending = [dict(r) for r in c.execute(
    "SELECT * FROM invoice_items WHERE customer = ? AND invoice IS NULL ORDER BY created, seq",
    [customer["id"]])]
print(json.dumps({"object": "invoice", "customer": customer, "subscription": s,
                  "lines": items + pending}))
"""


def pick(path: Path) -> dict[str, str]:
    """Four subscriptions from the middle of the ledger: two to update, two to preview."""
    with opened(path) as conn:
        count = conn.execute("SELECT count(*) FROM subscriptions").fetchone()[0]
        rows = conn.execute(
            "SELECT id, customer FROM subscriptions ORDER BY seq LIMIT 4 OFFSET ?",
            [count // 2],
        ).fetchall()
    return {
        "mine": rows[0][0],
        "floor": rows[1][0],
        "preview": rows[2][1],
        "preview_floor": rows[3][1],
    }


def run(path: Path, runs: int = 10) -> list[str]:
    """Both commands beside their floors on the ledger at `path` (which they change)."""
    ids = pick(path)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["BILLCLI_LEDGER"] = str(path)
    billcli = [sys.executable, "-m", "billcli"]
    floor = [sys.executable, "-c"]
    times: dict[str, list[float]] = {}
    for run_number in range(runs + 2):
        quantity = str(2 + run_number)
        commands = {
            "update": [
                *billcli,
                "subscriptions",
                "update",
                ids["mine"],
                "--quantity",
                quantity,
                "--json",
            ],
            "update floor": [*floor, UPDATE_FLOOR, str(path), ids["floor"], quantity],
            "upcoming": [*billcli, "invoices", "upcoming", "--customer", ids["preview"], "--json"],
            "upcoming floor": [*floor, UPCOMING_FLOOR, str(path), ids["preview_floor"]],
        }
        for name, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
            if run_number >= 2:
                times.setdefault(name, []).append(time.perf_counter() - started)
    ms = {name: statistics.median(taken) * 1000 for name, taken in times.items()}
    with opened(path) as conn:
        prorations = conn.execute(
            "SELECT count(*) FROM invoice_items WHERE subscription = ? AND proration = 1",
            [ids["mine"]],
        ).fetchone()[0]
    assert prorations == 2 * (runs + 2), f"every update prorated ({prorations} lines)"
    return [
        "Changes on that ledger before the renewals (medians of "
        f"{runs} whole-process runs in turns; every update changes the quantity, so it "
        "writes two proration lines and three events):",
        "",
        "| command | billcli | floor | ratio |",
        "|---|---|---|---|",
        f"| `subscriptions update SUB --quantity N --json` | {ms['update']:.0f} ms | "
        f"{ms['update floor']:.0f} ms | {ms['update'] / ms['update floor']:.1f}× |",
        f"| `invoices upcoming --customer CUS --json` | {ms['upcoming']:.0f} ms | "
        f"{ms['upcoming floor']:.0f} ms | {ms['upcoming'] / ms['upcoming floor']:.1f}× |",
        "",
    ]


def main() -> int:
    import subscription_renewals

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = subscription_renewals.build(Path(folder), args.subscriptions)
        print("\n".join(run(path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
