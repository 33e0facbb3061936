"""Command latency against the floor, on a small and a big ledger.

    python bench/latency.py [--customers 100000] [--transactions 1000000] [--invoices 100000]

(`python bench/run.py` runs it with the others and writes bench/results.md.)

The ledgers are built through billcli's own services (customers import, balance import,
invoice creation), never raw SQL. Each figure is the median of 10 whole-process runs
after 2 warm-ups, beside the floor: a minimal Python script doing the same query with
`sqlite3` and printing JSON, run the same way. Bytecode is compiled first, as an
installed billcli has it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from ledgers import import_customers
from measured import timed

from billcli.services.customers import balance_import
from billcli.services.invoicing import invoices
from billcli.services.invoicing import items as invoice_items
from billcli.services.invoicing.invoices import InvoiceInput
from billcli.services.invoicing.items import ItemInput
from billcli.store.ledger import Ledger

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
# The README installs billcli in editable mode, whose import hook (a .pth file) costs
# every Python process in the environment, the floor's included, some 20 ms. A regular
# install has no hook: `-S` skips .pth files, and PYTHONPATH names what they would add.
REGULAR = {"PYTHONPATH": os.pathsep.join([str(REPO), sysconfig.get_paths()["purelib"]])}

FLOORS = {
    "balance": (
        "import json,sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.row_factory=sqlite3.Row\n"
        "r=c.execute('SELECT * FROM balance_transactions WHERE customer=? ORDER BY created "
        "DESC, seq DESC LIMIT 11',[sys.argv[2]]).fetchall()\n"
        "print(json.dumps({'object':'list','data':[dict(x) for x in r[:10]],"
        "'has_more':len(r)>10}))"
    ),
    "customer": (
        "import json,sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.row_factory=sqlite3.Row\n"
        "print(json.dumps(dict(c.execute('SELECT * FROM customers WHERE id=?',"
        "[sys.argv[2]]).fetchone())))"
    ),
    "invoice": (
        "import json,sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.row_factory=sqlite3.Row\n"
        "i=dict(c.execute('SELECT * FROM invoices WHERE id=?',[sys.argv[2]]).fetchone())\n"
        "i['lines']=[dict(x) for x in c.execute('SELECT * FROM invoice_items WHERE invoice=? "
        "ORDER BY created, seq LIMIT 11',[sys.argv[2]])]\nprint(json.dumps(i))"
    ),
    "complete": (
        "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\n"
        "print('\\n'.join(r[0] for r in c.execute('SELECT id FROM customers WHERE id>=? AND "
        "id<? LIMIT 50',[sys.argv[2],sys.argv[2]+'\\U0010ffff'])))"
    ),
    # Command and option names: the names the completion offers, read from a JSON file.
    "names": (
        "import json,sys\nt=json.load(open(sys.argv[1]))\n"
        "print('\\n'.join(n for n in t if n.startswith(sys.argv[2])))"
    ),
    "tick": (
        "import json,sqlite3,sys,time\nc=sqlite3.connect(sys.argv[1])\nnow=int(time.time())\n"
        "c.execute('SELECT finalizes_at, id, seq FROM invoices INDEXED BY invoices_to_finalize "
        "WHERE status = \\'draft\\' AND auto_advance = 1 AND finalizes_at <= ? "
        "ORDER BY finalizes_at, seq LIMIT 500',[now]).fetchall()\n"
        "c.execute('SELECT next_payment_attempt, id, seq FROM invoices WHERE "
        "next_payment_attempt IS NOT NULL AND next_payment_attempt <= ? "
        "ORDER BY next_payment_attempt, seq LIMIT 500',[now]).fetchall()\n"
        "print(json.dumps({'object':'list','url':'/v1/events','has_more':False,'data':[]}))"
    ),
}
# The floors of the writes do what billcli's write does, durably (WAL, synchronous=FULL,
# one BEGIN IMMEDIATE): the same rows, the event with the object, JSON printed.
_WRITE = (
    "import json,os,sqlite3,sys,time\nc=sqlite3.connect(sys.argv[1],isolation_level=None)\n"
    "c.execute('PRAGMA synchronous=FULL')\nc.row_factory=sqlite3.Row\nnow=int(time.time())\n"
    "new=lambda p:p+'_'+os.urandom(12).hex()[:24]\nc.execute('BEGIN IMMEDIATE')\n"
)
_EVENT = (
    "c.execute('INSERT INTO events (id,created,type,object) VALUES (?,?,?,?)',"
    "[new('evt'),now,{kind!r},json.dumps(obj)])\nc.execute('COMMIT')\nprint(json.dumps(obj))"
)
FLOORS |= {
    "balance create": _WRITE
    + (
        "b=c.execute('SELECT balance FROM customers WHERE id=?',[sys.argv[2]]).fetchone()[0]-500\n"
        "t=new('cbtxn')\nc.execute('INSERT INTO balance_transactions (id,customer,created,"
        "amount,currency,ending_balance,type) VALUES (?,?,?,?,?,?,?)',"
        "[t,sys.argv[2],now,-500,'usd',b,'adjustment'])\n"
        "c.execute('UPDATE customers SET balance=? WHERE id=?',[b,sys.argv[2]])\n"
        "obj=dict(c.execute('SELECT * FROM customers WHERE id=?',[sys.argv[2]]).fetchone())\n"
    )
    + _EVENT.format(kind="customer.updated"),
    "customers create": _WRITE
    + (
        "i=new('cus')\nc.execute('INSERT INTO customers (id,created,name,invoice_prefix) "
        "VALUES (?,?,?,?)',[i,now,'Ada',os.urandom(6).hex().upper()])\n"
        "obj=dict(c.execute('SELECT * FROM customers WHERE id=?',[i]).fetchone())\n"
    )
    + _EVENT.format(kind="customer.created"),
    "invoice item": _WRITE
    + (
        "c.execute('SELECT * FROM customers WHERE id=?',[sys.argv[2]]).fetchone()\n"
        "i=new('ii')\nc.execute('INSERT INTO invoice_items (id,customer,created,amount,currency,"
        "quantity) VALUES (?,?,?,?,?,?)',[i,sys.argv[2],now,900,'usd',1])\n"
        "obj=dict(c.execute('SELECT * FROM invoice_items WHERE id=?',[i]).fetchone())\n"
    )
    + _EVENT.format(kind="invoiceitem.created"),
}


def build(folder: Path, customers: int, transactions: int, invoice_count: int) -> dict[str, str]:
    """A ledger of the given size; returns the ids the commands read."""
    ledger_path = folder / "ledger.db"
    rng = random.Random(20261126)
    with Ledger(ledger_path) as ledger:
        ids = import_customers(ledger, folder, customers, card=False)
        whale = ids[0]
        rows = folder / "balance.csv"
        with rows.open("w") as out:
            out.write("customer,amount\n")
            for n in range(transactions):
                who = whale if n % 5 == 0 else rng.choice(ids)
                out.write(f"{who},{rng.choice((-1, 1)) * rng.randint(1, 5000)}\n")
        balance_import.import_file(ledger, rows)
        with ledger.write() as tx:
            made = []
            for n in range(invoice_count):
                cid = ids[n % len(ids)]
                for amount in (1000, 250):
                    invoice_items.create_in(tx, ItemInput(cid, amount=str(amount)))
                made.append(
                    invoices.create_in(
                        tx, InvoiceInput(cid, pending_items="include", auto_advance=False)
                    )["id"]
                )
    return {
        "ledger": str(ledger_path),
        "customer": whale,
        "invoice": made[len(made) // 2],
        "prefix": whale[:8],
    }


Run = tuple[list[str], dict[str, str]]  # a command line and its environment


def medians(commands: list[Run], runs: int) -> list[float]:
    """Median milliseconds of each command, run in turns so that all see the same noise."""
    times: list[list[float]] = [[] for _ in commands]
    for run in range(runs + 2):
        for (cmd, env), taken in zip(commands, times, strict=True):
            started = time.perf_counter()
            subprocess.run(
                cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
            )
            if run >= 2:
                taken.append(time.perf_counter() - started)
    return [statistics.median(taken) * 1000 for taken in times]


def cases(ids: dict[str, str], regular: bool = False) -> dict[str, tuple[Run, Run]]:
    """Each command and its floor, started as the README installs billcli or, with
    `regular`, as a regular install would start."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["BILLCLI_LEDGER"] = ids["ledger"]
    python = [PY, "-S"] if regular else [PY]
    if regular:
        env.update(REGULAR)
    billcli = [*python, "-m", "billcli"]
    completion = {
        **env,
        "_BILLCLI_COMPLETE": "complete_bash",
        "COMP_CWORD": "3",
        "COMP_WORDS": f"billcli customers show {ids['prefix']}",
    }
    names = REPO / "billcli" / "cli" / "signatures.json"
    floor = [*python, "-c"]
    lines = {
        "balance list --json --limit 10": (
            ([*billcli, "balance", "list", ids["customer"], "--json"], env),
            [FLOORS["balance"], ids["ledger"], ids["customer"]],
        ),
        "balance list (rich table)": (
            ([*billcli, "balance", "list", ids["customer"]], env),
            [FLOORS["balance"], ids["ledger"], ids["customer"]],
        ),
        "customers show --json": (
            ([*billcli, "customers", "show", ids["customer"], "--json"], env),
            [FLOORS["customer"], ids["ledger"], ids["customer"]],
        ),
        "invoices show --json": (
            ([*billcli, "invoices", "show", ids["invoice"], "--json"], env),
            [FLOORS["invoice"], ids["ledger"], ids["invoice"]],
        ),
        "completion of a customer id prefix": (
            (billcli, completion),
            [FLOORS["complete"], ids["ledger"], ids["prefix"]],
        ),
        "completion of a command name (invoices <TAB>)": (
            (billcli, {**completion, "COMP_CWORD": "2", "COMP_WORDS": "billcli invoices "}),
            [FLOORS["names"], str(names), "invoices "],
        ),
        "completion of an option name (customers list --<TAB>)": (
            (billcli, {**completion, "COMP_WORDS": "billcli customers list --"}),
            [FLOORS["names"], str(names), "customers list"],
        ),
        "invoices tick --json, nothing due": (
            ([*billcli, "invoices", "tick", "--json"], env),
            [FLOORS["tick"], ids["ledger"]],
        ),
        "balance create --amount -500 --json": (
            ([*billcli, "balance", "create", ids["customer"], "--amount", "-500", "--json"], env),
            [FLOORS["balance create"], ids["ledger"], ids["customer"]],
        ),
        "customers create --name Ada --json": (
            ([*billcli, "customers", "create", "--name", "Ada", "--json"], env),
            [FLOORS["customers create"], ids["ledger"]],
        ),
        "invoices items create --amount 900 --json": (
            (
                [
                    *billcli,
                    "invoices",
                    "items",
                    "create",
                    "--customer",
                    ids["customer"],
                    "--amount",
                    "900",
                    "--json",
                ],
                env,
            ),
            [FLOORS["invoice item"], ids["ledger"], ids["customer"]],
        ),
    }
    return {name: (mine, ([*floor, *script], env)) for name, (mine, script) in lines.items()}


def measure(
    big: dict[str, str], small: dict[str, str], runs: int = 10
) -> dict[str, dict[str, float]]:
    """For each command, in turns: billcli and its floor on the big ledger, billcli on
    the small one, and both again started as a regular install would start them."""
    on_big, on_small, regular = cases(big), cases(small), cases(big, regular=True)
    figures = {}
    for name, (mine, floor) in on_big.items():
        ms = medians([mine, floor, on_small[name][0], *regular[name]], runs)
        labels = ("big", "floor", "small", "regular", "regular_floor")
        figures[name] = dict(zip(labels, ms, strict=True))
    return figures


def peak_rss_mib(ids: dict[str, str]) -> tuple[float, int]:
    env = {**os.environ, "BILLCLI_LEDGER": ids["ledger"]}
    _, out, rss = timed(
        [PY, "-m", "billcli", "balance", "list", ids["customer"], "--all", "--json"], env
    )
    return rss, out.count('"object": "customer_balance_transaction"')


def run(customers: int, transactions: int, invoice_count: int, runs: int = 10) -> list[str]:
    """The latency benchmark; its section of bench/results.md."""
    subprocess.run(
        [PY, "-m", "compileall", "-q", str(REPO / "billcli")],
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        (folder / "small").mkdir()
        (folder / "big").mkdir()
        started = time.perf_counter()
        small = build(folder / "small", 100, 1000, 100)
        big = build(folder / "big", customers, transactions, invoice_count)
        built_s = time.perf_counter() - started
        figures = measure(big, small, runs)
        rss, rows = peak_rss_mib(big)
    lines = [
        f"Command latency on a ledger of {customers:,} customers, {transactions:,} balance "
        f"transactions and {invoice_count:,} invoices (built in {built_s:.0f} s through "
        f"billcli's services). Medians of {runs} whole-process runs after 2 warm-ups, billcli "
        "and its floors taking turns, "
        "bytecode compiled; the floor is a minimal `sqlite3` script doing the same query and "
        "printing JSON (for a write: the same rows and event, durably: WAL, synchronous=FULL, "
        "one BEGIN IMMEDIATE).",
        "",
        "| command | big ledger | floor | ratio | small ledger (1k rows) | big vs small |",
        "|---|---|---|---|---|---|",
    ]
    for name, ms in figures.items():
        lines.append(
            f"| {name} | {ms['big']:.0f} ms | {ms['floor']:.0f} ms | "
            f"{ms['big'] / ms['floor']:.1f}× | {ms['small']:.0f} ms | "
            f"{ms['big'] / ms['small'] - 1:+.0%} |"
        )
    lines += [
        "",
        "The same commands on the big ledger, started as a regular (not editable) install "
        "starts: without the editable install's import hook, which every Python process "
        "here pays, the floor's included (`python -S`, with the source and site-packages "
        "on `PYTHONPATH`):",
        "",
        "| command | billcli | floor | ratio |",
        "|---|---|---|---|",
    ]
    for name, ms in figures.items():
        lines.append(
            f"| {name} | {ms['regular']:.0f} ms | {ms['regular_floor']:.0f} ms | "
            f"{ms['regular'] / ms['regular_floor']:.1f}× |"
        )
    lines += [
        "",
        f"`balance list --all --json` over one customer's {rows:,} transactions: peak RSS "
        f"{rss:.0f} MiB.",
        "",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--transactions", type=int, default=1_000_000)
    parser.add_argument("--invoices", type=int, default=100_000)
    args = parser.parse_args()
    print("\n".join(run(args.customers, args.transactions, args.invoices)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
