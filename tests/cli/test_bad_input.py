"""Every bad input: one line naming the parameter, the contract's exit code, no change."""

import pytest

from tests.conftest import ledger_digest

CUS = "cus_" + "0" * 24  # well formed, never created


@pytest.fixture
def seeded(ok):
    """A ledger holding a usd customer with a prefix, a jpy customer and a deleted one."""
    usd = ok(
        "customers", "create", "--name", "Seed", "--invoice-prefix", "SEED", "--balance", "-100"
    )["id"]
    jpy = ok("customers", "create", "--currency", "jpy")["id"]
    gone = ok("customers", "create")["id"]
    ok("customers", "delete", gone)
    txn = ok("balance", "list", usd)["data"][0]["id"]
    return {"{seed}": usd, "{jpy}": jpy, "{gone}": gone, "{txn}": txn}


CASES = [
    # (args, exit code, fragment of stderr)
    (["customers", "show", CUS], 6, "No such customer"),
    (["customers", "show", "customer42"], 1, "not a customer id"),
    (
        ["customers", "create", *[arg for i in range(51) for arg in ("-m", f"k{i}=v")]],
        1,
        "at most 50 keys",
    ),
    (["customers", "create", "-m", "k" * 41 + "=v"], 1, "longer than 40"),
    (["customers", "create", "-m", "a[b]=v"], 1, "may not contain"),
    (["customers", "create", "-m", "k=" + "v" * 501], 1, "at most 500"),
    (["customers", "create", "-m", "novalue"], 1, "must be KEY=VALUE"),
    (["customers", "create", "--balance", "ten"], 1, "Invalid balance"),
    (["customers", "create", "--balance", "123456789"], 1, "more than 8 digits"),
    (["customers", "create", "--currency", "xyz"], 1, "Invalid currency"),
    (["customers", "create", "--invoice-prefix", "acme"], 1, "invoice_prefix"),
    (["customers", "create", "--invoice-prefix", "AB"], 1, "invoice_prefix"),
    (["customers", "create", "--invoice-prefix", "SEED"], 1, "already used"),
    (["customers", "create", "--email", "not-an-email"], 1, "Invalid email"),
    (["customers", "create", "--payment-method", "pm_card_bogus"], 6, "No such PaymentMethod"),
    (
        ["customers", "create", "--payment-method", "pm_card_chargeDeclinedExpiredCard"],
        4,
        "expired",
    ),
    (["customers", "list", "--limit", "0"], 1, "Invalid limit"),
    (["customers", "list", "--limit", "101"], 1, "Invalid limit"),
    (["customers", "list", "--json", "--csv"], 2, "--json and --csv cannot be combined"),
    (["balance", "list", "{seed}", "--csv", "--json"], 2, "choose one"),
    (
        ["customers", "list", "--starting-after", CUS, "--ending-before", CUS],
        1,
        "cannot be used together",
    ),
    (["customers", "list", "--starting-after", CUS], 6, "No such customer"),
    (["customers", "list", "--json", "--csv"], 2, "--csv"),
    (["customers", "update", CUS, "--name", "x"], 6, "No such customer"),
    (["customers", "delete", CUS], 6, "No such customer"),
    (["customers", "create", "--bogus"], 2, "No such option"),
    (["balance", "create", "{seed}", "--amount", "abc"], 1, "Invalid amount"),
    (["balance", "create", "{seed}", "--amount", "0"], 1, "cannot be zero"),
    (
        ["balance", "create", "{seed}", "--amount", "5", "--currency", "eur"],
        1,
        "keeps its balance in usd",
    ),
    (["balance", "create", "{seed}", "--amount", "1.234"], 1, "finer than allowed"),
    (["balance", "create", "{jpy}", "--amount", "5.5"], 1, "finer than allowed"),
    (["balance", "create", "{seed}", "--amount", "123456789"], 1, "more than 8 digits"),
    (["balance", "create", CUS, "--amount", "5"], 6, "No such customer"),
    (["balance", "create", "{gone}", "--amount", "5"], 6, "No such customer"),
    (["balance", "list", CUS], 6, "No such customer"),
    (["balance", "show", "{jpy}", "{txn}"], 6, "No such customer balance transaction"),
    (
        ["balance", "update", "{jpy}", "{txn}", "--description", "x"],
        6,
        "No such customer balance transaction",
    ),
    (["balance", "update", "{seed}", "{txn}", "--amount", "5"], 2, "No such option"),
    (["balance", "list", "{seed}", "--limit", "101"], 1, "Invalid limit"),
    (["customers", "update", "{gone}", "--name", "x"], 6, "No such customer"),
    (["customers", "delete", "{gone}"], 6, "No such customer"),
    (["customers", "update", "{seed}", "--currency", "eur"], 1, "keeps its balance in usd"),
    (["ledger", "clock", "--bogus"], 2, "No such option"),
    (["events", "show", "evt_" + "0" * 24], 6, "No such event"),
    (["ledger", "config", "nope"], 1, "not a setting"),
    (["ledger", "config", "public_url", "ftp://x"], 1, "Invalid public_url"),
    (["ledger", "config", "default_currency", "zzz"], 1, "Invalid default_currency"),
    (["ledger", "config", "dunning.final_action", "explode"], 1, "dunning.final_action"),
]


@pytest.mark.parametrize(
    ("args", "code", "fragment"), CASES, ids=[" ".join(c[0])[:60] for c in CASES]
)
def test_bad_input_is_refused_in_one_line_and_changes_nothing(
    billcli, seeded, ledger_path, args, code, fragment
):
    for placeholder, value in seeded.items():
        args = [a.replace(placeholder, value) for a in args]
    before = ledger_digest(ledger_path)
    result = billcli(*args)
    assert result.code == code, result.err
    assert fragment in result.err
    assert "Traceback" not in result.err + result.out
    if code != 2:
        assert len(result.err.strip().splitlines()) == 1
    assert ledger_digest(ledger_path) == before


def test_json_errors_print_the_stripe_error_object_on_stdout(billcli, assert_valid, made_ledger):
    result = billcli("customers", "show", CUS, "--json")
    assert result.code == 6
    error = result.json
    assert error["error"]["type"] == "invalid_request_error"
    assert error["error"]["code"] == "resource_missing"
    assert error["error"]["param"] == "customer"
    assert_valid(error)


@pytest.mark.parametrize(
    ("args", "param", "limit"),
    [
        (("customers", "create", "--name", "n" * 300), "name", 256),
        (("customers", "create", "--email", "e" * 508 + "@x.io"), "email", 512),
        (("customers", "create", "--phone", "1" * 25), "phone", 20),
    ],
)
def test_customer_text_beyond_stripes_limit_is_refused_naming_the_parameter(
    billcli, ledger_path, args, param, limit
):
    billcli("ledger", "init")
    before = ledger_digest(ledger_path)
    done = billcli(*args, "--json")
    assert done.code == 1
    assert done.json["error"]["param"] == param
    assert done.err.startswith(f"error: Invalid {param}: must be at most {limit} characters")
    assert ledger_digest(ledger_path) == before


def test_a_balance_description_beyond_350_characters_is_refused(ok, billcli, ledger_path):
    customer = ok("customers", "create", "--name", "Ada")["id"]
    before = ledger_digest(ledger_path)
    done = billcli("balance", "create", customer, "--amount", "-5", "--description", "d" * 351)
    assert done.code == 1
    assert "Invalid description: must be at most 350 characters (it has 351)" in done.err
    assert ledger_digest(ledger_path) == before
    assert ok("balance", "create", customer, "--amount", "-5", "--description", "d" * 350)


def test_imports_apply_the_same_limits_as_the_commands(ok, billcli, ledger_path, tmp_path):
    customer = ok("customers", "create", "--name", "Ada")["id"]
    people = tmp_path / "people.csv"
    people.write_text(f"name,phone\nAda,{'1' * 21}\n")
    credits = tmp_path / "credits.csv"
    credits.write_text(f"customer,amount,description\n{customer},-5,{'d' * 351}\n")
    before = ledger_digest(ledger_path)
    for group, file, message in (
        ("customers", people, "Invalid phone: must be at most 20 characters"),
        ("balance", credits, "Invalid description: must be at most 350 characters"),
    ):
        done = billcli(group, "import", str(file))
        assert done.code == 1 and f"row 1 (line 2): {message}" in done.err
    assert ledger_digest(ledger_path) == before
