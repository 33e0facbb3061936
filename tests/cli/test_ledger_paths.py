"""A mistyped ledger path never becomes a ledger: a command that only reads refuses a
missing one (exit 3, with the command that makes one), a command that writes may create
it and says so once on stderr (contract §1 and §19)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from billcli.cli.signature_table import TABLE

# Every command that only reads, with a line that runs it. `ledger clock`, `ledger
# config` and `invoices tick` read only in the form given here (without --system, a
# value, or with --dry-run).
READ_ONLY = {
    "balance list": ["cus_x"],
    "checkout open": ["cs_test_x"],
    "checkout sessions list": [],
    "checkout sessions show": ["cs_test_x"],
    "charges list": [],
    "charges search": ["status:'succeeded'"],
    "charges show": ["ch_x"],
    "balance show": ["cus_x", "cbtxn_x"],
    "coupons list": [],
    "coupons show": ["c"],
    "credit-notes lines": ["cn_x"],
    "credit-notes list": [],
    "credit-notes pdf": ["cn_x", "-o", "{out}"],
    "credit-notes preview": ["--invoice", "in_x", "--amount", "100"],
    "credit-notes show": ["cn_x"],
    "customers list": [],
    "customers search": ["name:'Ada'"],
    "customers show": ["cus_x"],
    "customers tax-ids list": ["cus_x"],
    "customers tax-ids show": ["cus_x", "txi_x"],
    "events deliveries": ["evt_x"],
    "events list": [],
    "events show": ["evt_x"],
    "invoices items list": [],
    "invoices items show": ["ii_x"],
    "invoices lines": ["in_x"],
    "invoices list": [],
    "invoices outbox": [],
    "invoices pdf": ["in_x", "-o", "{out}"],
    "invoices search": ["status:'open'"],
    "invoices show": ["in_x"],
    "invoices tick": ["--dry-run", "--by", "1d"],
    "invoices upcoming": ["--customer", "cus_x"],
    "ledger check": [],
    "clocks list": [],
    "clocks show": ["clock_x"],
    "ledger clock": [],
    "ledger config": ["public_url"],
    "ledger info": [],
    "meters list": [],
    "meters show": ["mtr_x"],
    "meters summaries": [
        "mtr_x",
        "--customer",
        "cus_x",
        "--from",
        "1800000000",
        "--to",
        "1800003600",
    ],
    "payment-intents list": [],
    "payment-intents search": ["status:'succeeded'"],
    "payment-intents show": ["pi_x"],
    "payment-methods list": [],
    "payment-methods show": ["pm_x"],
    "plans list": [],
    "plans show": ["gold"],
    "portal configurations list": [],
    "portal configurations show": ["bpc_x"],
    "prices list": [],
    "prices search": ["active:'true'"],
    "prices show": ["price_x"],
    "products list": [],
    "products search": ["active:'true'"],
    "products show": ["prod_x"],
    "promotion-codes list": [],
    "promotion-codes show": ["promo_x"],
    "reports aging": [],
    "reports balances": [],
    "reports mrr": [],
    "reports usage": [],
    "refunds list": [],
    "refunds show": ["re_x"],
    "reports revenue": [],
    "reports tax": [],
    "setup-intents list": [],
    "setup-intents show": ["seti_x"],
    "subscription-schedules list": [],
    "subscription-schedules show": ["sub_sched_x"],
    "subscriptions list": [],
    "subscriptions search": ["status:'active'"],
    "subscriptions show": ["sub_x"],
    "tax-rates list": [],
    "tax-rates show": ["txr_x"],
    "webhooks list": [],
    "webhooks show": ["we_x", "--reveal"],
}
# Every command that writes (or serves writes, or makes the API key on first use), and
# so may create the ledger it names. A new command goes in one of the two lists.
WRITES = {
    *("api key", "api serve", "demo", "events deliver", "ledger init", "portal serve"),
    "ledger copy",  # creates its destination, never its source (tests/cli/test_ledger_copy.py)
    *("balance create", "balance import", "balance update"),
    *("checkout sessions create", "checkout sessions expire"),
    *("clocks advance", "clocks create", "clocks delete"),
    *("coupons create", "coupons delete", "coupons update"),
    *("credit-notes create", "credit-notes update", "credit-notes void"),
    *("customers create", "customers delete", "customers import", "customers update"),
    *("customers tax-ids add", "customers tax-ids delete"),
    *("invoices create", "invoices delete", "invoices finalize", "invoices mark-uncollectible"),
    *("invoices pay", "invoices send", "invoices update", "invoices void"),
    *("invoices items create", "invoices items delete", "invoices items update"),
    *("meters create", "meters deactivate", "meters reactivate", "meters update"),
    *("meters events cancel", "meters events import", "meters events send"),
    *("payment-intents cancel", "payment-intents confirm", "payment-intents create"),
    "payment-intents capture",
    *("payment-methods attach", "payment-methods create", "payment-methods detach"),
    "payment-methods update",
    "plans create",
    *("portal configurations create", "portal configurations update", "portal sessions create"),
    *("prices create", "prices update", "products create", "products delete", "products update"),
    *("promotion-codes create", "promotion-codes update"),
    "refunds create",
    *("setup-intents cancel", "setup-intents confirm", "setup-intents create"),
    *("subscriptions cancel", "subscriptions create", "subscriptions resume"),
    "subscriptions update",
    *("subscription-schedules cancel", "subscription-schedules create"),
    *("subscription-schedules release", "subscription-schedules update"),
    *("tax-rates create", "tax-rates update"),
    *("webhooks create", "webhooks delete", "webhooks rotate-secret", "webhooks update"),
}
COMMANDS = {name: e for name, e in json.loads(TABLE.read_text()).items() if name}


def test_every_command_is_known_to_read_only_or_to_write() -> None:
    """Fails closed: a command in neither list (or in both) is a question to answer,
    not a writer by default."""
    assert not set(READ_ONLY) & WRITES
    assert set(COMMANDS) - set(READ_ONLY) - WRITES == set(), "classify the new commands"
    assert (set(READ_ONLY) | WRITES) - set(COMMANDS) == set(), "commands that no longer exist"


def _takes_json(name: str) -> bool:
    return any("--json" in param["opts"] for param in COMMANDS[name]["params"])


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_a_command_that_only_reads_refuses_a_missing_ledger_and_creates_nothing(
    billcli, tmp_path: Path, name: str
) -> None:
    typo = tmp_path / "typo" / "ledger.db"
    args = [a.format(out=tmp_path / "out.pdf") for a in READ_ONLY[name]]
    as_json = ["--json"] if _takes_json(name) else []
    done = billcli(*name.split(), *args, "--ledger", str(typo), *as_json)
    assert done.code == 3, done.err
    assert done.err == (
        f"error: No ledger at {typo}: a command that only reads never creates one; "
        f"`billcli ledger init {typo}` makes a new one\n"
    )
    if as_json:
        assert done.json["error"] == {
            "type": "api_error",
            "message": done.err.removeprefix("error: ").rstrip("\n"),
            "param": "ledger",
        }
    assert not typo.parent.exists() and not (tmp_path / "out.pdf").exists()


def test_the_hint_quotes_a_path_the_shell_would_split(billcli, tmp_path: Path) -> None:
    typo = tmp_path / "my books" / "ledger.db"
    done = billcli("customers", "list", "--ledger", str(typo))
    assert done.code == 3 and f"`billcli ledger init '{typo}'`" in done.err


def test_the_environment_variable_path_is_refused_alike(billcli, ledger_path: Path) -> None:
    done = billcli("customers", "list")
    assert done.code == 3 and "billcli ledger init" in done.err
    assert not ledger_path.exists()


def test_a_write_creates_the_ledger_and_says_so_once(billcli, tmp_path: Path, checked_ledger):
    fresh = tmp_path / "new" / "books.db"
    first = billcli("customers", "create", "--name", "Ada", "--ledger", str(fresh))
    assert first.code == 0 and first.err == f"created a new ledger at {fresh}\n"
    second = billcli("customers", "create", "--name", "Grace", "--ledger", str(fresh))
    assert second.code == 0 and second.err == ""
    listed = billcli("customers", "list", "--ledger", str(fresh), "--json")
    assert [c["name"] for c in listed.json["data"]] == ["Grace", "Ada"]


@pytest.mark.parametrize(
    "args",
    [
        ["ledger", "init"],
        ["ledger", "config", "public_url", "https://billing.example.com"],
        ["invoices", "tick", "--by", "1h"],
        ["ledger", "clock", "--system"],
    ],
)
def test_the_writing_forms_of_a_command_may_create_the_ledger(billcli, ledger_path, args):
    done = billcli(*args)
    assert done.code == 0, done.err
    assert done.err.count("created a new ledger") == 1 and ledger_path.exists()
