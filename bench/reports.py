"""`billcli reports` on a big ledger, against floors running the same aggregations.

    python bench/reports.py [--customers 50000] [--invoices 150000] [--rows 1000000]

The ledger is built through billcli's services over a year of ledger time: customers
(a Visa each), a monthly subscription each, created through the year (a tenth of them
later upgraded, a tenth canceled), one-off invoices finalized through the year (paid,
voided, written off or left open), then `balance import` of the balance rows. Each
report runs as a whole process (`--json`), median of 5 runs after a warm-up, beside
its floor: a Python script running the same SQL statements with `sqlite3` and printing
the rows as JSON. Peak memory is GNU time's maximum RSS.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

from ledgers import import_customers, monthly_plan
from measured import checkpoint, timed

from billcli.services.invoicing import invoices
from billcli.services.invoicing import lifecycle as invoice_lifecycle
from billcli.services.invoicing.invoices import InvoiceInput
from billcli.services.invoicing.items import ItemInput
from billcli.services.invoicing.items import create_in as item_in
from billcli.services.subscriptions import changes as subscription_changes
from billcli.services.subscriptions import creation as subscriptions
from billcli.services.subscriptions.creation import SubscriptionInput
from billcli.services.subscriptions.proposals import ChangeInput
from billcli.store.ledger import Ledger

DAY = 86_400
T0 = 1_830_297_600  # 2028-01-01 00:00 UTC: a year of history, then the reports
FLOOR = r"""
import json, sqlite3, sys
from billcli.store import reports as r
from billcli.store.sqlite_dialect import SqliteConnection
c = sqlite3.connect(sys.argv[1], factory=SqliteConnection)
now, kind = int(sys.argv[2]), sys.argv[3]
start = now - 365 * 86400
if kind == "revenue":
    out = r.revenue(c, "month", start, now, None)
elif kind == "mrr":
    out = r.mrr(c, [start + 30 * 86400 * k for k in range(13)])
elif kind == "aging":
    out = r.aging(c, now)
else:
    r.snapshot_balances(c, now, current=True)
    out = [r.balances(c), [r.largest_balances(c, "usd", 10)], r.balance_movement(c, start, now)]
print(json.dumps(out))
"""


def build(folder: Path, customers: int, invoice_count: int, rows: int) -> tuple[Path, int]:
    """The ledger, and the instant its year ends (the reports' `now`)."""
    rng = random.Random(20261130)
    path = folder / "reports.db"
    with Ledger(path) as ledger:
        with ledger.write(at=T0):
            pass
        ids = import_customers(ledger, folder, customers)
        monthly = monthly_plan(ledger)
        subs: list[str] = []
        per_day = -(-customers // 360)
        invoices_per_day = -(-invoice_count // 360)
        with ledger.bulk():
            for day in range(360):
                with ledger.write(at=T0 + day * DAY) as tx:
                    for customer in ids[day * per_day : (day + 1) * per_day]:
                        made = subscriptions.create_in(tx, SubscriptionInput(customer, (monthly,)))
                        subs.append(str(made["id"]))
                    for sub in rng.sample(subs, min(len(subs), per_day // 10)):
                        found = tx.subscriptions.get(sub)
                        if found is not None and found.status == "active":
                            if rng.random() < 0.5:
                                subscription_changes.update_in(tx, found, ChangeInput(quantity=2))
                            else:
                                subscription_changes.cancel_in(tx, found)
                    for _ in range(invoices_per_day):
                        customer = rng.choice(ids)
                        item_in(
                            tx, ItemInput(customer=customer, amount=str(rng.randint(100, 90_000)))
                        )
                        draft = invoices.create_in(
                            tx,
                            InvoiceInput(
                                customer=customer,
                                pending_items="include",
                                collection_method="send_invoice",
                                days_until_due=30,
                            ),
                        )
                        invoice = invoice_lifecycle.finalize_in(tx, tx.invoices.get(draft["id"]))
                        fate = rng.random()
                        if fate < 0.6:
                            invoice_lifecycle.mark_paid_in(tx, invoice, out_of_band=True)
                        elif fate < 0.7:
                            invoice_lifecycle.void_in(tx, invoice)
                        elif fate < 0.75:
                            invoice_lifecycle.mark_uncollectible_in(tx, invoice)
        with ledger.write(at=T0 + 365 * DAY):
            pass  # the reports run a year after the ledger began
    balance = folder / "balance.csv"
    with balance.open("w") as out:
        out.write("customer,amount,description\n")
        for i in range(rows):
            out.write(f"{rng.choice(ids)},{rng.choice((-1, 1)) * rng.randint(1, 5000)},r{i}\n")
    env = {**os.environ, "BILLCLI_LEDGER": str(path)}
    timed([sys.executable, "-m", "billcli", "balance", "import", str(balance)], env)
    balance.unlink()
    checkpoint(path)
    return path, T0 + 365 * DAY


def run(customers: int, invoice_count: int, rows: int, runs: int = 5) -> list[str]:
    with tempfile.TemporaryDirectory() as folder_name:
        path, now = build(Path(folder_name), customers, invoice_count, rows)
        conn = sqlite3.connect(path)
        counts = [
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("balance_transactions", "invoices", "subscriptions")
        ]
        conn.close()
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["BILLCLI_LEDGER"] = str(path)
        table = []
        for report in ("revenue", "mrr", "aging", "balances"):
            mine = [sys.executable, "-m", "billcli", "reports", report, "--json"]
            floor = [sys.executable, "-c", FLOOR, str(path), str(now), report]
            taken: dict[str, list[float]] = {"mine": [], "floor": []}
            peak = 0.0
            for n in range(runs + 1):
                seconds, _, rss = timed(mine, env)
                floor_s, _, _ = timed(floor, env)
                if n:
                    taken["mine"].append(seconds)
                    taken["floor"].append(floor_s)
                    peak = max(peak, rss)
            mine_s, floor_s = statistics.median(taken["mine"]), statistics.median(taken["floor"])
            table.append((report, mine_s, floor_s, peak))
    lines = [
        f"`billcli reports` on a ledger of {counts[0]:,} balance transactions, {counts[1]:,} "
        f"invoices and {counts[2]:,} subscriptions (a year of history built through the "
        f"services); medians of {runs} whole-process runs, each beside a floor running the "
        "same SQL with `sqlite3`:",
        "",
        "| report | billcli | floor | ratio | peak RSS |",
        "|---|---|---|---|---|",
    ]
    for report, mine_s, floor_s, peak in table:
        lines.append(
            f"| `reports {report} --json` | {mine_s:.2f} s | {floor_s:.2f} s | "
            f"{mine_s / floor_s:.1f}× | {peak:.0f} MiB |"
        )
    return [*lines, ""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--invoices", type=int, default=150_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    print("\n".join(run(args.customers, args.invoices, args.rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
