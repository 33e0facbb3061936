"""`balance import` and `customers import`: all or nothing, every bad row named."""

import json

import pytest

from tests.conftest import ledger_digest


@pytest.fixture
def two_customers(ok):
    usd = ok("customers", "create", "--name", "U", "--currency", "usd")["id"]
    jpy = ok("customers", "create", "--name", "Y", "--currency", "jpy")["id"]
    return usd, jpy


def write(path, text):
    path.write_text(text)
    return str(path)


def test_a_valid_csv_is_applied_in_one_go_with_a_summary(
    ok, tmp_path, two_customers, checked_ledger
):
    usd, jpy = two_customers
    file = write(
        tmp_path / "in.csv",
        "customer,amount,currency,description,metadata,idempotency_key\n"
        f'{usd},-500,usd,credit,"{{""src"": ""crm""}}",k1\n'
        f"{usd},1.25,,debit,,k2\n"
        f"{jpy},300,,yen,,\n",
    )
    summary = ok("balance", "import", file)
    assert summary == {
        "object": "balance_import",
        "rows": 3,
        "applied": 3,
        "skipped": 0,
        "customers": 2,
        "net": {"jpy": 300, "usd": -375},
    }
    txns = ok("balance", "list", usd)["data"]
    assert [(t["amount"], t["ending_balance"], t["metadata"]) for t in txns] == [
        (125, -375, {}),
        (-500, -500, {"src": "crm"}),
    ]
    assert ok("customers", "show", usd)["balance"] == -375
    checked_ledger()


def test_rerunning_a_file_skips_rows_whose_key_was_used(ok, tmp_path, two_customers):
    usd, _ = two_customers
    file = write(tmp_path / "in.csv", f"customer,amount,idempotency_key\n{usd},-5,a\n{usd},-7,b\n")
    ok("balance", "import", file)
    again = ok("balance", "import", file)
    assert (again["applied"], again["skipped"]) == (0, 2)
    assert ok("customers", "show", usd)["balance"] == -12


def test_a_key_used_by_balance_create_is_skipped_by_import(ok, tmp_path, two_customers):
    usd, _ = two_customers
    ok("balance", "create", usd, "--amount", "-5", "--idempotency-key", "shared")
    file = write(
        tmp_path / "in.jsonl",
        json.dumps({"customer": usd, "amount": "-5", "idempotency_key": "shared"}) + "\n",
    )
    assert ok("balance", "import", file)["skipped"] == 1
    assert ok("customers", "show", usd)["balance"] == -5


def test_json_lines_with_numbers_and_objects_are_read(ok, tmp_path, two_customers):
    usd, _ = two_customers
    file = write(
        tmp_path / "in.jsonl",
        json.dumps({"customer": usd, "amount": -250, "metadata": {"k": "v"}}) + "\n\n",
    )
    assert ok("balance", "import", file)["net"] == {"usd": -250}
    assert ok("balance", "list", usd)["data"][0]["metadata"] == {"k": "v"}


def test_missing_column_bad_number_and_unknown_customer_are_all_reported(
    billcli, tmp_path, two_customers, ledger_path
):
    usd, _ = two_customers
    rows = [f"{usd},-1"] * 9
    rows[2] = usd  # row 3: no amount
    rows[6] = f"{usd},12x"  # row 7: bad number
    rows[8] = "cus_" + "0" * 24 + ",-1"  # row 9: unknown customer
    file = write(tmp_path / "bad.csv", "customer,amount\n" + "\n".join(rows) + "\n")
    before = ledger_digest(ledger_path)
    result = billcli("balance", "import", file, "--json")
    assert result.code == 1
    assert "3 rows are invalid" in result.err
    assert "row 3 (line 4): Missing amount" in result.err
    assert "row 7 (line 8): Invalid amount: '12x'" in result.err
    assert "row 9 (line 10): No such customer" in result.err
    assert [r["row"] for r in result.json["error"]["rows"]] == [3, 7, 9]
    assert ledger_digest(ledger_path) == before


def test_another_currency_zero_and_deleted_customers_are_row_errors(
    ok, billcli, tmp_path, two_customers
):
    usd, jpy = two_customers
    gone = ok("customers", "create")["id"]
    ok("customers", "delete", gone)
    file = write(
        tmp_path / "bad.csv",
        f"customer,amount,currency\n{usd},5,eur\n{usd},0,\n{gone},5,\n{jpy},5.5,\n",
    )
    result = billcli("balance", "import", file)
    assert result.code == 1
    for fragment in (
        "row 1 (line 2): Invalid currency",
        "row 2 (line 3)",
        "row 3 (line 4): No such",
        "row 4 (line 5): Invalid amount",
    ):
        assert fragment in result.err


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("empty.csv", b"", "is empty"),
        ("header.csv", b"customer,amount\n", "has no rows"),
        ("image.dat", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "neither CSV nor JSON Lines"),
        ("odd.csv", b"who,what\nx,y\n", "unknown columns"),
        ("odd.jsonl", b"[1, 2]\n", "must be a JSON object"),
    ],
)
def test_files_that_are_not_imports_are_refused(
    billcli, tmp_path, ledger_path, name, content, fragment
):
    billcli("ledger", "init")
    (tmp_path / name).write_bytes(content)
    before = ledger_digest(ledger_path)
    result = billcli("balance", "import", str(tmp_path / name))
    assert result.code == 1 and fragment in result.err
    assert ledger_digest(ledger_path) == before


def test_a_missing_file_is_refused(billcli, tmp_path):
    result = billcli("balance", "import", str(tmp_path / "nope.csv"))
    assert result.code == 1 and "does not exist" in result.err


def test_customers_import_prints_ids_in_file_order_and_skips_used_keys(
    ok, billcli, tmp_path, assert_valid, checked_ledger
):
    file = write(
        tmp_path / "c.csv",
        "name,email,currency,balance,invoice_prefix,payment_method,metadata,idempotency_key\n"
        'Ada,ada@example.com,usd,-500,ADA,pm_card_visa,"{""tier"": ""gold""}",c1\n'
        "Bob,bob@example.com,,,,,,c2\n",
    )
    result = billcli("customers", "import", file)
    assert result.code == 0
    ids = result.out.split()
    assert len(ids) == 2 and "2 customers created" in result.err
    ada = ok("customers", "show", ids[0])
    assert (ada["name"], ada["balance"], ada["invoice_prefix"], ada["metadata"]) == (
        "Ada",
        -500,
        "ADA",
        {"tier": "gold"},
    )
    assert ada["invoice_settings"]["default_payment_method"]
    again = billcli("customers", "import", file, "--json")
    lines = [json.loads(line) for line in again.out.splitlines()]
    assert [c["id"] for c in lines] == ids
    for customer in lines:
        assert_valid(customer)
    assert "0 customers created, 2 skipped" in again.err
    assert ok("ledger", "info")["counts"]["customers"] == 2
    checked_ledger()


def test_customers_import_reports_every_bad_row_and_creates_none(billcli, tmp_path, ledger_path):
    billcli("customers", "create", "--invoice-prefix", "TAKEN")
    file = write(
        tmp_path / "c.jsonl",
        "\n".join(
            [
                json.dumps({"name": "ok"}),
                json.dumps({"email": "nope"}),
                json.dumps({"invoice_prefix": "TAKEN"}),
                json.dumps({"invoice_prefix": "DUPE"}),
                json.dumps({"invoice_prefix": "DUPE"}),
                json.dumps({"payment_method": "pm_card_visa_chargeDeclined"}),
                json.dumps({"metadata": "[1]"}),
            ]
        )
        + "\n",
    )
    before = ledger_digest(ledger_path)
    result = billcli("customers", "import", file)
    assert result.code == 1
    for fragment in (
        "row 2 (line 2): Invalid email",
        "row 3 (line 3): Invalid invoice_prefix",
        "row 5 (line 5): Invalid invoice_prefix",
        "row 6 (line 6)",
        "row 7 (line 7): Invalid metadata",
    ):
        assert fragment in result.err, result.err
    assert "row 4" not in result.err
    assert ledger_digest(ledger_path) == before


def spreadsheet_csv(path, rows):
    """A file as a spreadsheet saves "CSV UTF-8": byte-order mark, CRLF, quoted fields."""
    body = "\r\n".join(",".join(f'"{cell}"' for cell in row) for row in rows) + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    return str(path)


def test_customers_import_reads_a_spreadsheet_csv_with_bom_crlf_and_multiline_cells(
    ok, billcli, tmp_path, checked_ledger
):
    file = spreadsheet_csv(
        tmp_path / "people.csv",
        [
            ("name", "email", "description"),
            ("松本行弘", "matz@example.com", "Line one\r\nline two"),
            ("Zoë", "zoe@example.com", 'Said "hi"'.replace('"', '""')),
        ],
    )
    done = billcli("customers", "import", file, "--json")
    assert done.code == 0, done.err
    created = [json.loads(line) for line in done.out.splitlines()]
    assert [(c["name"], c["description"]) for c in created] == [
        ("松本行弘", "Line one\r\nline two"),
        ("Zoë", 'Said "hi"'),
    ]
    checked_ledger()


def test_balance_import_reads_a_spreadsheet_csv_and_names_rows_by_their_first_line(
    ok, billcli, tmp_path, two_customers, ledger_path
):
    usd, _ = two_customers
    file = spreadsheet_csv(
        tmp_path / "credits.csv",
        [
            ("customer", "amount", "description"),
            (usd, "-500", "Refund\r\nfor March"),
            (usd, "abc", "bad"),
        ],
    )
    before = ledger_digest(ledger_path)
    refused = billcli("balance", "import", file)
    assert refused.code == 1
    assert "row 2 (line 4): Invalid amount" in refused.err  # the row starts on line 4
    assert ledger_digest(ledger_path) == before
    fixed = spreadsheet_csv(
        tmp_path / "credits.csv",
        [("customer", "amount", "description"), (usd, "-500", "Refund\r\nfor March")],
    )
    assert ok("balance", "import", fixed)["applied"] == 1
    assert ok("balance", "list", usd)["data"][0]["description"] == "Refund\r\nfor March"


def test_a_json_lines_file_with_a_byte_order_mark_is_read(ok, tmp_path, two_customers):
    usd, _ = two_customers
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"customer": usd, "amount": -5}).encode() + b"\n")
    assert ok("balance", "import", str(path))["applied"] == 1


def test_an_unclosed_quote_is_refused_with_its_line_and_nothing_is_imported(
    billcli, tmp_path, ledger_path
):
    """With the default reader the rest of the file became one customer's name."""
    billcli("ledger", "init")
    file = write(
        tmp_path / "people.csv",
        'name,email\nAda,ada@example.com\n"Grace,grace@example.com\nLinus,l@example.com\n',
    )
    before = ledger_digest(ledger_path)
    done = billcli("customers", "import", file, "--json")
    assert done.code == 1
    assert done.json["error"]["param"] == "file"
    assert "line 3" in done.err and "never closed" in done.err
    assert len(done.err.strip().splitlines()) == 1
    assert ledger_digest(ledger_path) == before
