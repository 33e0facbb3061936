"""`invoices tick` over a month of subscription renewals, against a raw-SQL floor.

    python bench/subscription_renewals.py [--subscriptions 100000]

The ledger is built through billcli's own services: customers (a Visa each), a monthly
price, and the subscriptions, created a thirtieth at a time over 30 days of ledger time
so that their renewals spread across the next month. It is copied, and then:
- billcli runs `invoices tick --to …` over that month as a user would (a subprocess):
  each subscription gets `invoice.upcoming`, then renews (new period, renewal draft with
  its line), and an hour later its invoice is finalized and charged;
- the floor, on the copy, does the same writes with `sqlite3` and nothing else, in the
  same order and with the same events (each carrying its row as JSON), committing up to
  100 at a time as billcli does: the renewal draft and its line, the finalization with
  the invoice's PaymentIntent, and the payment (a succeeded charge, the intent
  succeeded, the attempt with its charge, the invoice paid).
Then `invoices tick --json` with nothing due runs on the renewed ledger, beside a floor
running the same due queries.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import subscription_changes
from ledgers import import_customers, monthly_plan
from measured import checkpoint, opened, timed

from billcli.services.subscriptions import creation as subscriptions
from billcli.services.subscriptions.creation import SubscriptionInput
from billcli.store.ledger import Ledger

DAY = 86_400
T0 = 1_803_859_200  # 2027-03-01 00:00 UTC: renewals fall from April 1 to April 30

FLOOR = r"""
import json, secrets, sqlite3, sys
path, until = sys.argv[1], int(sys.argv[2])
conn = sqlite3.connect(path, isolation_level=None)
conn.row_factory = sqlite3.Row
conn.execute("PRAGMA synchronous = FULL")
conn.execute("PRAGMA cache_size = -65536")
def event(type_, obj, at):
    conn.execute("INSERT INTO events (id, created, type, object) VALUES (?, ?, ?, ?)",
                 ["evt_" + secrets.token_hex(12), at, type_, json.dumps(obj)])
def row(table, key):
    return dict(conn.execute(f"SELECT * FROM {table} WHERE id = ?", [key]).fetchone())
def month_after(at):
    import calendar, datetime
    d = datetime.datetime.fromtimestamp(at, datetime.timezone.utc)
    y, m = divmod(d.month, 12)
    day = min(d.day, calendar.monthrange(d.year + y, m + 1)[1])
    return int(d.replace(year=d.year + y, month=m + 1, day=day).timestamp())
subs = conn.execute("SELECT id, customer, current_period_start, current_period_end "
                    "FROM subscriptions ORDER BY current_period_end").fetchall()
work = []
for s in subs:
    end = s["current_period_end"]
    work += [(end - 3 * 86400, 0, s), (end, 1, s), (end + 3600, 2, s), (end + 3600, 3, s)]
work = [w for w in sorted(work, key=lambda w: (w[0], w[1])) if w[0] <= until]
invoice_of, intent_of = {}, {}
for start in range(0, len(work), 100):
    conn.execute("BEGIN IMMEDIATE")
    for at, kind, s in work[start:start + 100]:
        if kind == 0:
            event("invoice.upcoming", row("subscriptions", s["id"]), at)
            conn.execute("UPDATE subscriptions SET upcoming_sent_for = ? WHERE id = ?",
                         [s["current_period_end"], s["id"]])
        elif kind == 1:
            end, new_end = s["current_period_end"], month_after(s["current_period_end"])
            invoice = "in_" + secrets.token_hex(12)
            invoice_of[s["id"]] = invoice
            conn.execute(
                "INSERT INTO invoices (id, customer, created, currency, collection_method, "
                "status, auto_advance, subtotal, total, amount_due, amount_paid, attempt_count, "
                "attempted, paid_out_of_band, billing_reason, subscription, period_start, "
                "period_end, webhooks_delivered_at, finalizes_at) VALUES "
                "(?, ?, ?, 'usd', 'charge_automatically', 'draft', 1, 2000, 2000, 2000, 0, 0, "
                "0, 0, 'subscription_cycle', ?, ?, ?, ?, ?)",
                [invoice, s["customer"], at, s["id"], s["current_period_start"], end, at,
                 at + 3600])
            line = "sli_" + secrets.token_hex(12)
            conn.execute(
                "INSERT INTO invoice_items (id, customer, created, amount, currency, quantity, "
                "invoice, line_id, type, subscription, period_start, period_end) VALUES "
                "(?, ?, ?, 2000, 'usd', 1, ?, ?, 'subscription', ?, ?, ?)",
                [line, s["customer"], at, invoice, line, s["id"], end, new_end])
            event("invoice.created", row("invoices", invoice), at)
            conn.execute("UPDATE subscriptions SET current_period_start = ?, "
                         "current_period_end = ?, latest_invoice = ?, next_action_at = ? "
                         "WHERE id = ?", [end, new_end, invoice, new_end - 3 * 86400, s["id"]])
            event("customer.subscription.updated", row("subscriptions", s["id"]), at)
        elif kind == 2:
            invoice = invoice_of[s["id"]]
            c = row("customers", s["customer"])
            number = f"{c['invoice_prefix']}-{c['next_invoice_sequence']:04d}"
            conn.execute("UPDATE customers SET next_invoice_sequence = next_invoice_sequence "
                         "+ 1 WHERE id = ?", [c["id"]])
            event("customer.updated", c, at)
            intent = "pi_" + secrets.token_hex(12)
            intent_of[s["id"]] = intent
            conn.execute(
                "INSERT INTO payment_intents (id, created, amount, currency, status, "
                "client_secret, customer, invoice, description) VALUES (?, ?, 2000, 'usd', "
                "'requires_payment_method', ?, ?, ?, 'Payment for Invoice')",
                [intent, at, intent + "_secret_" + secrets.token_hex(12), c["id"], invoice])
            event("payment_intent.created", row("payment_intents", intent), at)
            conn.execute(
                "UPDATE invoices SET status = 'open', number = ?, finalized_at = ?, "
                "starting_balance = 0, ending_balance = 0, page_secret = ?, customer_name = ?, "
                "customer_email = ?, next_payment_attempt = ?, payment_intent = ? WHERE id = ?",
                [number, at, secrets.token_urlsafe(32), c["name"], c["email"], at, intent,
                 invoice])
            event("invoice.finalized", row("invoices", invoice), at)
        else:
            invoice, intent = invoice_of[s["id"]], intent_of[s["id"]]
            method = conn.execute("SELECT default_payment_method FROM customers WHERE id = ?",
                                  [s["customer"]]).fetchone()[0]
            charge = "ch_" + secrets.token_hex(12)
            conn.execute(
                "INSERT INTO charges (id, created, amount, currency, status, test_name, "
                "customer, payment_intent, invoice, payment_method, description) VALUES "
                "(?, ?, 2000, 'usd', 'succeeded', 'pm_card_visa', ?, ?, ?, ?, "
                "'Payment for Invoice')",
                [charge, at, s["customer"], intent, invoice, method])
            event("charge.succeeded", row("charges", charge), at)
            conn.execute("UPDATE payment_intents SET status = 'succeeded', payment_method = ?, "
                         "latest_charge = ?, amount_received = amount WHERE id = ?",
                         [method, charge, intent])
            succeeded = row("payment_intents", intent)
            event("payment_intent.succeeded", succeeded, at)
            event("invoice_payment.paid", succeeded, at)
            conn.execute("INSERT INTO payment_attempts (invoice, created, payment_method, "
                         "amount, succeeded, automatic, payment_intent, charge) VALUES "
                         "(?, ?, ?, 2000, 1, 1, ?, ?)", [invoice, at, method, intent, charge])
            conn.execute("UPDATE invoices SET attempted = 1, attempt_count = 1, status = 'paid', "
                         "amount_paid = amount_due, paid_at = ?, auto_advance = 0, "
                         "next_payment_attempt = NULL, charge = ? WHERE id = ?",
                         [at, charge, invoice])
            paid = row("invoices", invoice)
            event("invoice.payment_succeeded", paid, at)
            event("invoice.paid", paid, at)
    conn.execute("COMMIT")
print(len(invoice_of))
"""

NOTHING_DUE_FLOOR = (
    "import json,sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nnow=int(sys.argv[2])\n"
    "for q in ('SELECT finalizes_at, id, seq FROM invoices INDEXED BY invoices_to_finalize "
    "WHERE status = \\'draft\\' AND auto_advance = 1 AND finalizes_at <= ? ORDER BY "
    "finalizes_at, seq LIMIT 500', 'SELECT next_payment_attempt, id, seq FROM invoices WHERE "
    "next_payment_attempt IS NOT NULL AND next_payment_attempt <= ? ORDER BY "
    "next_payment_attempt, seq LIMIT 500', 'SELECT next_action_at, id, seq FROM subscriptions "
    "INDEXED BY subscriptions_due WHERE next_action_at IS NOT NULL AND next_action_at <= ? "
    "ORDER BY next_action_at, seq LIMIT 500'):\n c.execute(q,[now]).fetchall()\n"
    "print(json.dumps({'object':'list','url':'/v1/events','has_more':False,'data':[]}))"
)


def build(folder: Path, count: int) -> Path:
    """`count` monthly subscriptions, created a thirtieth a day over 30 days from T0."""
    path = folder / "renewals.db"
    with Ledger(path) as ledger:
        with ledger.write(at=T0):
            pass
        ids = import_customers(ledger, folder, count)
        price = monthly_plan(ledger)
        per_day = -(-count // 30)
        with ledger.bulk():
            for day in range(30):
                with ledger.write(at=T0 + day * DAY) as tx:
                    for customer in ids[day * per_day : (day + 1) * per_day]:
                        subscriptions.create_in(tx, SubscriptionInput(customer, (price,)))
    checkpoint(path)
    return path


def renewed(path: Path) -> int:
    with opened(path) as conn:
        query = "SELECT count(*) FROM invoices WHERE billing_reason = ? AND status = 'paid'"
        return int(conn.execute(query, ["subscription_cycle"]).fetchone()[0])


def nothing_due(path: Path, until: int, runs: int) -> tuple[float, float]:
    """Median ms of `invoices tick --json` with nothing due, and of its floor, in turns."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["BILLCLI_LEDGER"] = str(path)
    commands = [
        [sys.executable, "-m", "billcli", "invoices", "tick", "--json"],
        [sys.executable, "-c", NOTHING_DUE_FLOOR, str(path), str(until)],
    ]
    times: list[list[float]] = [[], []]
    for run in range(runs + 2):
        for command, taken in zip(commands, times, strict=True):
            started = time.perf_counter()
            subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
            if run >= 2:
                taken.append(time.perf_counter() - started)
    return statistics.median(times[0]) * 1000, statistics.median(times[1]) * 1000


def run(count: int, runs: int = 10) -> list[str]:
    """The benchmark; its section of bench/results.md."""
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        started = time.perf_counter()
        path = build(folder, count)
        built_s = time.perf_counter() - started
        floor_path = folder / "floor.db"
        shutil.copy(path, floor_path)
        changes_path = folder / "changes.db"
        shutil.copy(path, changes_path)
        changes = subscription_changes.run(changes_path, runs)
        changes_path.unlink()
        target = T0 + 60 * DAY + 2 * 3600  # the last renewal (April 30) finalized and paid
        env = {**os.environ, "BILLCLI_LEDGER": str(path)}
        billcli_s, _, rss_mib = timed(
            [sys.executable, "-m", "billcli", "invoices", "tick", "--to", str(target)], env
        )
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", FLOOR, str(floor_path), str(target)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        floor_s = time.perf_counter() - started
        assert renewed(path) == renewed(floor_path) == count, (renewed(path), count)
        idle_ms, idle_floor_ms = nothing_due(path, target, runs)
    return [
        f"`invoices tick` over a month of renewals: {count:,} active monthly subscriptions "
        f"(renewing from April 1 to April 30; ledger built in {built_s:.0f} s through the "
        "services). Each gets `invoice.upcoming`, renews (new period, renewal draft and its "
        "line), and an hour later its invoice is finalized and paid by card:",
        "",
        "| what | time | subscriptions/s |",
        "|---|---|---|",
        f"| billcli `invoices tick --to …` | {billcli_s:.1f} s | {count / billcli_s:,.0f} |",
        f"| raw-SQL floor, same writes | {floor_s:.1f} s | {count / floor_s:,.0f} |",
        f"| billcli as a share of the floor | {floor_s / billcli_s:.0%} | |",
        "",
        f"Peak RSS of billcli's tick: {rss_mib:.0f} MiB. Then `invoices tick --json` with "
        f"nothing due on that ledger: {idle_ms:.0f} ms, beside a floor running the same three "
        f"due queries: {idle_floor_ms:.0f} ms ({idle_ms / idle_floor_ms:.1f}×; medians of "
        f"{runs} runs in turns).",
        "",
        *changes,
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=100_000)
    args = parser.parse_args()
    print("\n".join(run(args.subscriptions)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
