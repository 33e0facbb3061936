"""`invoices tick`: the clock drives finalization, payment, retries, dunning and email."""

import pytest
from freezegun import freeze_time

from billcli.core.payments import RETRY_OFFSETS_DAYS
from tests.conftest import ledger_digest

T = 1_900_000_000  # 2030-03-17, a frozen starting instant for every scenario
DAY = 86_400


@pytest.fixture
def at_T():
    with freeze_time("2030-03-17 17:46:40"):  # T
        yield


def draft_for(ok, card=None, balance=None, method="charge_automatically", email="x@example.com"):
    args = ["customers", "create", "--currency", "usd", "--email", email]
    if card:
        args += ["--payment-method", card]
    if balance is not None:
        args += ["--balance", str(balance)]
    cid = ok(*args)["id"]
    ok("invoices", "items", "create", "--customer", cid, "--amount", "2000")
    extra = ["--collection-method", method] if method == "send_invoice" else []
    return ok("invoices", "create", "--customer", cid, "--pending-items", "include", *extra)


def events_of(ok, invoice_id):
    data = ok("events", "list", "--all")["data"]
    return [
        (e["type"], e["created"]) for e in reversed(data) if e["data"]["object"]["id"] == invoice_id
    ]


def test_a_draft_finalizes_and_is_paid_exactly_an_hour_after_creation(ok, at_T, checked_ledger):
    draft = draft_for(ok, card="pm_card_visa")
    assert draft["created"] == T
    ok("invoices", "tick", "--by", "59m")
    assert ok("invoices", "show", draft["id"])["status"] == "draft"
    ok("invoices", "tick", "--by", "1m")
    paid = ok("invoices", "show", draft["id"])
    assert paid["status"] == "paid"
    assert paid["status_transitions"]["finalized_at"] == T + 3600
    assert paid["status_transitions"]["paid_at"] == T + 3600
    assert (paid["attempt_count"], paid["amount_paid"]) == (1, 2000)
    assert ok("ledger", "clock") == {"object": "ledger_clock", "now": T + 3600, "frozen": True}
    checked_ledger()


def test_a_failing_card_is_retried_on_the_schedule_then_marked_uncollectible(
    ok, at_T, checked_ledger
):
    draft = draft_for(ok, card="pm_card_chargeCustomerFail")
    ok("invoices", "tick", "--by", "15d")
    inv = ok("invoices", "show", draft["id"])
    assert (inv["status"], inv["attempt_count"], inv["next_payment_attempt"]) == (
        "uncollectible",
        8,
        None,
    )
    first = T + 3600
    failures = [at for kind, at in events_of(ok, draft["id"]) if kind == "invoice.payment_failed"]
    assert failures == [first] + [first + d * DAY for d in RETRY_OFFSETS_DAYS]
    assert ("invoice.marked_uncollectible", first + 14 * DAY) in events_of(ok, draft["id"])
    checked_ledger()


def test_leave_open_keeps_the_invoice_open_after_the_last_retry(ok, billcli, at_T):
    billcli("ledger", "config", "dunning.final_action", "leave_open")
    draft = draft_for(ok, card="pm_card_chargeCustomerFail")
    ok("invoices", "tick", "--by", "15d")
    inv = ok("invoices", "show", draft["id"])
    assert (inv["status"], inv["attempt_count"], inv["next_payment_attempt"]) == ("open", 8, None)


def test_between_retries_the_next_attempt_is_published(ok, at_T):
    draft = draft_for(ok, card="pm_card_chargeCustomerFail")
    ok("invoices", "tick", "--by", "2h")
    inv = ok("invoices", "show", draft["id"])
    assert (inv["attempt_count"], inv["next_payment_attempt"]) == (1, T + 3600 + DAY)


def test_no_payment_method_means_one_failed_attempt_and_no_retry(ok, at_T, checked_ledger):
    draft = draft_for(ok)
    ok("invoices", "tick", "--by", "20d")
    inv = ok("invoices", "show", draft["id"])
    assert (inv["status"], inv["attempt_count"], inv["next_payment_attempt"]) == ("open", 1, None)
    assert [k for k, _ in events_of(ok, draft["id"])].count("invoice.payment_failed") == 1
    checked_ledger()


def test_credit_is_applied_at_automatic_finalization_as_in_the_explicit_one(
    ok, at_T, checked_ledger
):
    auto = draft_for(ok, card="pm_card_visa", balance=-500)
    manual = draft_for(ok, card="pm_card_visa", balance=-500)
    explicit = ok("invoices", "finalize", manual["id"])
    ok("invoices", "tick", "--by", "1h")
    ticked = ok("invoices", "show", auto["id"])
    for key in ("amount_due", "starting_balance", "ending_balance", "total"):
        assert ticked[key] == explicit[key], key
    assert (ticked["amount_due"], ticked["amount_paid"], ticked["status"]) == (1500, 1500, "paid")
    checked_ledger()


def test_send_invoice_drafts_are_emailed_when_they_finalize(ok, at_T):
    draft = draft_for(ok, method="send_invoice", email="grace@example.com")
    ok("invoices", "tick", "--by", "1h")
    inv = ok("invoices", "show", draft["id"])
    assert (inv["status"], inv["next_payment_attempt"]) == ("open", None)
    mail = ok("invoices", "outbox")["data"][0]
    assert (mail["to"], mail["url"], mail["created"]) == (
        "grace@example.com",
        inv["hosted_invoice_url"],
        T + 3600,
    )
    assert ("invoice.sent", T + 3600) in events_of(ok, draft["id"])


def test_a_draft_that_cannot_finalize_records_why_and_stops_advancing(ok, at_T, checked_ledger):
    cid = ok("customers", "create", "--currency", "usd")["id"]  # no email to send to
    ok("invoices", "items", "create", "--customer", cid, "--amount", "2000")
    draft = ok(
        "invoices",
        "create",
        "--customer",
        cid,
        "--pending-items",
        "include",
        "--collection-method",
        "send_invoice",
    )
    ok("invoices", "tick", "--by", "2h")
    inv = ok("invoices", "show", draft["id"])
    assert (inv["status"], inv["auto_advance"], inv["number"]) == ("draft", False, None)
    failed = ok("events", "list", "--type", "invoice.finalization_failed")["data"]
    assert len(failed) == 1 and failed[0]["created"] == T + 3600
    error = failed[0]["data"]["object"]["last_finalization_error"]
    assert error["type"] == "invalid_request_error" and "no email address" in error["message"]
    checked_ledger()


def test_a_bare_tick_follows_system_time(ok):
    with freeze_time("2030-03-17 17:46:40") as frozen:
        draft = draft_for(ok, card="pm_card_visa")
        ok("invoices", "tick")
        assert ok("invoices", "show", draft["id"])["status"] == "draft"
        frozen.tick(3601)
        ok("invoices", "tick")
        paid = ok("invoices", "show", draft["id"])
        assert paid["status"] == "paid"
        assert paid["status_transitions"]["finalized_at"] == T + 3601
        assert ok("ledger", "clock")["frozen"] is False


def test_a_second_tick_at_the_same_time_does_nothing(ok, at_T, ledger_path):
    draft_for(ok, card="pm_card_visa")
    ok("invoices", "tick", "--by", "2h")
    before = ledger_digest(ledger_path)
    report = ok("invoices", "tick")
    assert ledger_digest(ledger_path) == before
    assert report["data"] == []


def test_json_prints_the_events_the_tick_produced(ok, at_T):
    draft = draft_for(ok, card="pm_card_visa")
    produced = ok("invoices", "tick", "--by", "1h")
    types = [e["type"] for e in produced["data"]]
    assert types == [
        "customer.updated",
        "payment_intent.created",
        "invoice.finalized",
        "charge.succeeded",
        "payment_intent.succeeded",
        "invoice_payment.paid",
        "invoice.payment_succeeded",
        "invoice.paid",
    ]
    assert all(e["created"] == T + 3600 for e in produced["data"])
    assert produced["data"][2]["data"]["object"]["id"] == draft["id"]


def test_dry_run_shows_the_plan_and_changes_nothing(billcli, ok, at_T, ledger_path):
    draft_for(ok, card="pm_card_chargeCustomerFail")
    before = ledger_digest(ledger_path)
    result = billcli("invoices", "tick", "--by", "15d", "--dry-run", "--json")
    assert result.code == 0
    plan = result.json
    assert plan["dry_run"] is True and plan["steps"] == 9
    assert plan["outcomes"]["payment_failed"]["usd"] == {"count": 8, "amount": 16000}
    assert ledger_digest(ledger_path) == before


def test_a_step_cap_stops_early_and_says_how_to_go_on(billcli, ok, at_T):
    for _ in range(3):
        draft_for(ok, card="pm_card_visa")
    result = billcli("invoices", "tick", "--by", "2h", "--max-steps", "2")
    assert result.code == 0 and "invoices tick --to" in result.err
    # Finalizations come before charges at the same instant: two drafts are now open.
    assert len(ok("invoices", "list", "--status", "open")["data"]) == 2
    target = result.err.split("--to ")[1].split("`")[0]
    ok("invoices", "tick", "--to", target)
    assert len(ok("invoices", "list", "--status", "paid")["data"]) == 3


BAD = [
    (["--by", "-1h"], "Invalid by"),
    (["--by", "5x"], "Invalid by"),
    (["--to", "2001-01-01"], "never moves backwards"),
    (["--to", "next tuesday"], "Invalid to"),
    (["--by", "1h", "--to", "2031-01-01"], "not both"),
    (["--by", "800d"], "at most 2 years"),
]


@pytest.mark.parametrize(("args", "fragment"), BAD, ids=[" ".join(b[0]) for b in BAD])
def test_bad_tick_input_exits_1_and_changes_nothing(billcli, ok, at_T, ledger_path, args, fragment):
    draft_for(ok, card="pm_card_visa")
    before = ledger_digest(ledger_path)
    result = billcli("invoices", "tick", *args)
    assert result.code == 1 and fragment in result.err
    assert ledger_digest(ledger_path) == before
