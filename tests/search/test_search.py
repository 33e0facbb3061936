"""Search from the command line: each operator on each resource, paging, and every
kind of bad input refused with its column and the ledger unchanged."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from billcli.core.search import FIELDS
from tests.conftest import ledger_digest


@pytest.fixture
def people(ok) -> dict[str, str]:
    """Five customers, oldest first."""
    ids = {}
    for name, email, phone, plan in (
        ("Ada Lovelace", "ada@example.com", "+44 20 7946 0000", "pro"),
        ("Grace Hopper", "grace@navy.example", None, "free"),
        ("Alan Turing", "alan@example.com", "+44 161 555 0100", "pro"),
        ("Katherine Johnson", "KJ@NASA.example", None, None),
        ("Lovelace Fan Club", "fans@example.org", None, "pro"),
    ):
        args = ["customers", "create", "--name", name, "--email", email]
        args += ["--phone", phone] if phone else []
        args += ["--metadata", f"plan={plan}"] if plan else []
        ids[name.split()[0].lower()] = ok(*args)["id"]
    return ids


def names(result) -> list[str]:
    return [c["name"] for c in result["data"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("name~'lovel'", ["Lovelace Fan Club", "Ada Lovelace"]),
        ("name~'LOVEL'", ["Lovelace Fan Club", "Ada Lovelace"]),
        ("name:'ada lovelace'", ["Ada Lovelace"]),
        ("name:'lovelace'", []),  # a whole value, not a word of it
        ("email:'kj@nasa.example'", ["Katherine Johnson"]),
        ("email~'example.com'", ["Alan Turing", "Ada Lovelace"]),
        ("phone:null", ["Lovelace Fan Club", "Katherine Johnson", "Grace Hopper"]),
        ("-phone:null", ["Alan Turing", "Ada Lovelace"]),
        ("metadata['plan']:'pro'", ["Lovelace Fan Club", "Alan Turing", "Ada Lovelace"]),
        ('metadata["plan"]:"free"', ["Grace Hopper"]),
        ("metadata['plan']:null", ["Katherine Johnson"]),
        ("-metadata['plan']:'pro'", ["Katherine Johnson", "Grace Hopper"]),
        ("metadata['plan']:'pro' AND name~'lovel'", ["Lovelace Fan Club", "Ada Lovelace"]),
        ("metadata['plan']:'pro' name~'turi'", ["Alan Turing"]),
        ("name~'hopper' OR email~'nasa'", ["Katherine Johnson", "Grace Hopper"]),
        ("name~'hopper' or email~'nasa'", ["Katherine Johnson", "Grace Hopper"]),
        ("name:'it\\'s nobody'", []),
        ("name~'ace' -name~'fan'", ["Grace Hopper", "Ada Lovelace"]),
    ],
)
def test_each_operator_finds_exactly_its_customers_newest_first(
    billcli, people, query, expected
) -> None:
    done = billcli("customers", "search", "--json", "--", query)  # -- lets a query start with -
    assert done.code == 0, done.err
    assert names(done.json) == expected


def test_times_compare_as_numbers(ok, people) -> None:
    everyone = ok("customers", "list", "--all")["data"]
    newest = everyone[0]["created"]
    assert len(ok("customers", "search", f"created>={newest}")["data"]) >= 1
    assert ok("customers", "search", f"created>{newest}")["data"] == []
    assert len(ok("customers", "search", f"created<={newest}", "--limit", "100")["data"]) == 5
    assert len(ok("customers", "search", f"created:{newest}")["data"]) == len(
        [c for c in everyone if c["created"] == newest]
    )


def test_pages_follow_next_page_to_the_end_and_all_streams_them(ok, billcli, people) -> None:
    query = "email~'example'"
    first = ok("customers", "search", query, "--limit", "2")
    assert (first["object"], first["url"], first["has_more"]) == (
        "search_result",
        "/v1/customers/search",
        True,
    )
    seen = names(first)
    page = first
    while page["has_more"]:
        page = ok("customers", "search", query, "--limit", "2", "--page", page["next_page"])
        seen += names(page)
    assert page["next_page"] is None
    assert seen == names(ok("customers", "search", query, "--limit", "100"))
    streamed = ok("customers", "search", query, "--all")
    assert names(streamed) == seen and streamed["object"] == "search_result"
    assert streamed["has_more"] is False and streamed["next_page"] is None
    csv = billcli("customers", "search", query, "--all", "--csv").out.splitlines()
    assert csv[0].startswith("id,created,name,email") and len(csv) == 1 + len(seen)


def test_a_page_token_of_another_query_or_altered_is_refused(ok, billcli, people) -> None:
    token = ok("customers", "search", "email~'example'", "--limit", "1")["next_page"]
    other = billcli("customers", "search", "name~'lovel'", "--page", token, "--json")
    assert (other.code, other.json["error"]["param"]) == (1, "page")
    assert "another query" in other.json["error"]["message"]
    body, _, signature = token.partition(".")
    for forged in (body + "." + "0" * len(signature), "x" + token, "garbage", ""):
        done = billcli("customers", "search", "email~'example'", "--page", forged, "--json")
        assert (done.code, done.json["error"]["param"]) == (1, "page"), forged
    elsewhere = billcli("invoices", "search", "status:'open'", "--page", token, "--json")
    assert elsewhere.code == 1


@pytest.mark.parametrize(
    ("query", "column", "words"),
    [
        ("name:'ada", 6, "no closing '"),
        ("nme:'x'", 1, "'nme' is not a field"),
        ("total>5", 1, "'total' is not a field"),
        ("name~'lo'", 6, "at least 3 characters"),
        ("name:'a' AND email:'b' OR phone:'c'", 24, "cannot be mixed"),
        ("name:'a' email:'b' OR phone:'c'", 20, "cannot be mixed"),
        ("name>'x'", 5, "compares numbers"),
        ("created~'123'", 8, "not a text field"),
        ("created>'soon'", 9, "not a whole number"),
        ("name:ada", 6, "expected a value in quotes after ':'"),
        ("name:", 6, "expected a value after ':'"),
        ("name 'ada'", 5, "expected an operator"),
        ("metadata:'x'", 9, "expected [ after metadata"),
        ("metadata['plan':'x'", 16, "expected ] after the metadata key"),
        ("metadata[plan]:'x'", 10, "metadata key in quotes"),
        ("name:'a' OR", 12, "expected a clause after OR"),
        ("", 1, "the query is empty"),
        ("' OR 1=1 --", 1, "expected a field name"),
        ("name:'a'email:'b'", 9, "expected a space, AND or OR"),
        (" ".join(["name~'abc'"] * 11), 111, "at most 10 clauses"),
        ("name:'a\x00'", 8, "NUL character"),
        ("name:'" + "x" * 10_001 + "'", 10_001, "at most 10,000 characters"),
    ],
)
def test_a_query_that_does_not_parse_is_exit_1_naming_its_column(
    billcli, people, ledger_path: Path, query, column, words
) -> None:
    before = ledger_digest(ledger_path)
    done = billcli("customers", "search", query, "--json")
    assert done.code == 1, done.out
    error = done.json["error"]
    assert (error["type"], error["param"]) == ("invalid_request_error", "query")
    assert error["message"].startswith(f"Invalid query: col {column}: "), error["message"]
    assert words in error["message"]
    assert len(done.err.strip().splitlines()) == 1 and "Traceback" not in done.err
    assert ledger_digest(ledger_path) == before


def test_injection_and_odd_values_are_an_honest_empty_result_or_a_clear_error(
    billcli, people, ledger_path: Path
) -> None:
    before = ledger_digest(ledger_path)
    for query in (
        "name:'\\' OR 1=1 --'",
        "name~'%'' OR ''1''=''1'",
        'email~"\\"\\"\\""',
        "name:'" + "ü" * 5000 + "'",
        "name~'" + "x" * 9000 + "'",
        "name~'\"lovel'",
        "name~'lov*'",
        "name~'NEAR(a b)'",
    ):
        done = billcli("customers", "search", query, "--json")
        if done.code == 0:
            assert done.json["data"] == [], query
        else:
            assert (done.code, done.json["error"]["param"]) == (1, "query"), query
    assert ledger_digest(ledger_path) == before


def test_every_resource_searches_its_own_fields(ok, billcli, people) -> None:
    ok(
        "products",
        "create",
        "--name",
        "Analytical Engine",
        "--id",
        "engine",
        "--description",
        "Steam powered",
        "--url",
        "https://engines.example",
    )
    ok("products", "create", "--name", "Difference Engine", "--id", "diff", "--inactive")
    price = ok(
        "prices",
        "create",
        "--product",
        "engine",
        "--currency",
        "usd",
        "--unit-amount",
        "3000",
        "--recurring-interval",
        "month",
        "--lookup-key",
        "engine-monthly",
        "-m",
        "tier=gold",
    )["id"]
    ok("prices", "create", "--product", "engine", "--currency", "eur", "--unit-amount", "900")
    assert [
        p["id"] for p in ok("products", "search", "name~'engine' AND active:'true'")["data"]
    ] == ["engine"]
    assert [p["id"] for p in ok("products", "search", "active:false")["data"]] == ["diff"]
    assert [
        p["id"]
        for p in ok("products", "search", "url~'engines.ex' description:'steam powered'")["data"]
    ] == ["engine"]
    assert [p["id"] for p in ok("prices", "search", "lookup_key~'monthly'")["data"]] == [price]
    assert [
        p["id"] for p in ok("prices", "search", "product:'engine' AND type:'recurring'")["data"]
    ] == [price]
    assert [p["id"] for p in ok("prices", "search", "metadata['tier']:'gold'")["data"]] == [price]
    assert len(ok("prices", "search", "currency:'eur' OR currency:'usd'")["data"]) == 2
    sub = (
        ok(
            "subscriptions",
            "create",
            "--customer",
            people["ada"],
            "--price",
            price,
            "--payment-method",
            "pm_card_visa",
        )
        if False
        else None
    )
    ok("customers", "update", people["ada"], "--payment-method", "pm_card_visa")
    sub = ok(
        "subscriptions", "create", "--customer", people["ada"], "--price", price, "-m", "team=7"
    )
    assert [s["id"] for s in ok("subscriptions", "search", "status:'active'")["data"]] == [
        sub["id"]
    ]
    assert [
        s["id"]
        for s in ok("subscriptions", "search", "metadata['team']:'7' canceled_at:null")["data"]
    ] == [sub["id"]]
    ok("subscriptions", "cancel", sub["id"])
    assert ok("subscriptions", "search", "canceled_at>0")["data"][0]["status"] == "canceled"
    first = ok("invoices", "show", sub["latest_invoice"])
    found = ok("invoices", "search", f"number:'{first['number'].lower()}'")["data"]
    assert [i["id"] for i in found] == [first["id"]]
    assert [
        i["id"]
        for i in ok(
            "invoices", "search", f"customer:'{people['ada']}' AND total>=3000 AND status:'paid'"
        )["data"]
    ] == [first["id"]]
    assert ok("invoices", "search", "receipt_number:null")["data"][0]["id"] == first["id"]
    assert ok("invoices", "search", "last_finalization_error_code:'x'")["data"] == []
    assert (
        ok("invoices", "search", f"subscription:'{sub['id']}' currency:'usd'")["data"][0]["id"]
        == first["id"]
    )
    refused = billcli("prices", "search", "name~'engine'", "--json")
    assert (refused.code, refused.json["error"]["param"]) == (1, "query")


def test_search_reads_only_and_sees_every_write_at_once(ok, ledger_path: Path, people) -> None:
    before = ledger_digest(ledger_path)
    ok("customers", "search", "name~'lovel'")
    assert ledger_digest(ledger_path) == before
    ok("customers", "update", people["grace"], "--name", "Grace Brewster Hopper", "-m", "plan=pro")
    assert names(ok("customers", "search", "name~'brewster'")) == ["Grace Brewster Hopper"]
    assert "Grace Brewster Hopper" in names(ok("customers", "search", "metadata['plan']:'pro'"))
    ok("customers", "delete", people["alan"])
    assert ok("customers", "search", "name~'turing'")["data"] == []


@pytest.mark.parametrize("resource", sorted(FIELDS))
def test_each_search_help_names_the_parsers_fields_and_its_examples_run_as_typed(
    billcli, made_ledger, resource: str
) -> None:
    """The help is made from the parser's field table, and every example in it, split as
    a shell splits it, is a line that runs (a query starting with `-` would not)."""
    group = f"{resource}s".replace("_", "-")
    shown = billcli(group, "search", "--help")
    assert shown.code == 0, shown.err
    text = " ".join(shown.out.split())
    assert f"Fields: {', '.join(sorted(FIELDS[resource]))}." in text
    examples = text.split("Examples: ", 1)[1].split(" · ")
    assert examples
    for example in examples:
        words = shlex.split(example.replace("cus_…", "cus_x"))
        assert words[:3] == ["billcli", group, "search"], example
        result = billcli(*words[1:], "--json")
        assert result.code == 0, f"{example}: {result.err}"
        assert result.json["object"] == "search_result"


@pytest.mark.parametrize(
    "line",
    [
        ["customers", "search", "-metadata['plan']:'pro'"],
        ["customers", "search", "--limit", "10", "-metadata['plan']:'pro'", "--json"],
        ["customers", "search", "-metadata['plan']:'pro'", "--limit=10"],
    ],
    ids=" ".join,
)
def test_a_negated_query_is_accepted_as_typed_by_the_fast_path_and_by_typer(
    billcli, capsys, people, line
) -> None:
    """Stripe's negation starts the query with `-`; click would read `-m` as an option."""
    from billcli.cli.main import _run_typer

    fast = billcli(*line, "--json")
    assert fast.code == 0, fast.err
    names = [c["name"] for c in fast.json["data"]]
    assert names == ["Katherine Johnson", "Grace Hopper"]
    assert _run_typer([*line, "--json"]) == 0
    assert capsys.readouterr().out == fast.out


def test_a_negated_query_after_a_value_option_is_still_that_options_value(billcli, people):
    done = billcli("customers", "search", "name:'Ada Lovelace'", "--page", "-abc", "--json")
    assert done.code == 1 and done.json["error"]["param"] == "page"
