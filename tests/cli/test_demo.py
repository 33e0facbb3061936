"""`billcli demo`: the story runs on its own ledger, quickly, and leaves it consistent."""

import time


def test_demo_tells_the_story_on_its_own_ledger(billcli, ledger_path, tmp_path):
    started = time.perf_counter()
    result = billcli("demo")
    assert time.perf_counter() - started < 3
    assert result.code == 0, result.err
    for scene in (
        "Three customers",
        "tick --by 1h",
        "payment failed",
        "The outbox",
        "marked uncollectible",
        "consistent",
    ):
        assert scene in result.out
    assert not ledger_path.exists()  # the user's ledger is never touched
    demo_ledger = tmp_path / "data" / "billcli" / "demo.db"
    assert billcli("ledger", "check", "--ledger", str(demo_ledger)).code == 0
    again = billcli("demo")  # starts afresh every time
    assert again.code == 0


def test_demo_refuses_a_ledger_with_data_unless_forced(billcli, ok, tmp_path):
    path = str(tmp_path / "mine.db")
    ok("customers", "create", "--ledger", path)
    refused = billcli("demo", "--ledger", path)
    assert refused.code == 1 and "--force" in refused.err
    assert billcli("demo", "--ledger", path, "--force").code == 0


def test_demo_json_prints_the_objects(billcli, assert_valid):
    result = billcli("demo", "--json")
    objects = result.json
    kinds = {o["object"] for o in objects}
    assert {"customer", "invoice", "customer_balance_transaction", "email"} <= kinds
    for obj in objects:
        if obj["object"] != "email":
            assert_valid(obj)
