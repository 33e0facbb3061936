"""Every report reconciles with figures computed here, independently, from `--json`
listings of a ledger built through the command line: subscriptions renewed by the
clock, upgrades, a discount, a cancellation and a comeback, one-off invoices paid,
voided, written off and credited, credit balances applied."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.subscriptions.conftest import ts

END = "2027-06-15T00:00:00Z"


def month_of(instant: int) -> int:
    moment = datetime.fromtimestamp(instant, UTC)
    return int(datetime(moment.year, moment.month, 1, tzinfo=UTC).timestamp())


@pytest.fixture
def history(ok, at_start, catalog, customer) -> dict[str, Any]:
    """Five months of billing, in usd and eur."""
    ada, bob, cy, dee = (
        customer(name=n, email=f"{n.lower()}@example.com") for n in ("Ada", "Bob", "Cy", "Dee")
    )
    eve = customer(card=None, name="Eve", email="eve@example.com")
    ok("subscriptions", "create", "--customer", ada, "--price", catalog["monthly"])
    bob_sub = ok("subscriptions", "create", "--customer", bob, "--price", f"{catalog['seat']}:2")
    ok("subscriptions", "create", "--customer", cy, "--price", catalog["eur"])
    ok(
        "subscriptions",
        "create",
        "--customer",
        dee,
        "--price",
        catalog["monthly"],
        "--trial-days",
        "20",
    )
    ok("coupons", "create", "--id", "TEN", "--percent-off", "10", "--duration", "forever")
    ok("customers", "update", ada, "--balance", "-700", "--currency", "usd")
    ok("invoices", "tick", "--to", "2027-02-20T00:00:00Z")
    ok("subscriptions", "update", bob_sub["id"], "--quantity", "5")
    ok("customers", "update", ada, "--coupon", "TEN")
    for amount in ("12000", "8000", "5000", "3000"):
        ok("invoices", "items", "create", "--customer", eve, "--amount", amount)
        draft = ok(
            "invoices",
            "create",
            "--customer",
            eve,
            "--pending-items",
            "include",
            "--collection-method",
            "send_invoice",
            "--days-until-due",
            "15",
        )
        ok("invoices", "finalize", draft["id"])
    eves = sorted(
        ok("invoices", "list", "--customer", eve, "--all")["data"], key=lambda i: i["total"]
    )
    ok("invoices", "pay", eves[0]["id"], "--paid-out-of-band")
    ok("invoices", "void", eves[1]["id"])
    ok("credit-notes", "create", "--invoice", eves[3]["id"], "--amount", "2000")
    ok("invoices", "tick", "--to", "2027-03-25T00:00:00Z")
    ok("invoices", "mark-uncollectible", eves[2]["id"])
    ok("subscriptions", "cancel", bob_sub["id"])
    ok("invoices", "tick", "--to", "2027-05-10T00:00:00Z")
    ok("subscriptions", "create", "--customer", bob, "--price", catalog["monthly"])
    ok("invoices", "tick", "--to", END)
    return {"customers": [ada, bob, cy, dee, eve]}


def test_revenue_reconciles_with_the_invoices_credit_notes_and_balances(
    ok, history, checked_ledger
) -> None:
    report = ok("reports", "revenue", "--from", "2027-01-01", "--to", END)
    expected: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for inv in ok("invoices", "list", "--all")["data"]:
        moments = inv["status_transitions"]
        for figure, instant, value in (
            ("invoiced", moments["finalized_at"], inv["total"]),
            ("collected", moments["paid_at"], inv["amount_paid"]),
            ("voided", moments["voided_at"], inv["total"]),
            (
                "written_off",
                moments["marked_uncollectible_at"],
                inv["amount_due"] - inv["amount_paid"],
            ),
        ):
            if instant is not None:
                expected[(month_of(instant), inv["currency"])][figure] += value
    for note in ok("credit-notes", "list", "--all")["data"]:
        if note["status"] == "issued":
            expected[(month_of(note["created"]), note["currency"])]["credit_notes"] += note["total"]
    for cid in history["customers"]:
        for txn in ok("balance", "list", cid, "--all")["data"]:
            if txn["type"] in ("applied_to_invoice", "unapplied_from_invoice"):
                key = (month_of(txn["created"]), txn["currency"])
                expected[key]["credit_applied"] += txn["amount"]
    assert report["currencies"] == ["eur", "usd"]
    assert len(report["periods"]) == 2 * 6
    for period in report["periods"]:
        figures = expected[(period["start"], period["currency"])]
        for name in (
            "invoiced",
            "collected",
            "voided",
            "written_off",
            "credit_notes",
            "credit_applied",
        ):
            assert period[name] == figures[name], (period["start"], period["currency"], name)
        assert period["net"] == (
            figures["invoiced"]
            - figures["voided"]
            - figures["credit_notes"]
            - figures["written_off"]
        )
    usd = sum(p["invoiced"] for p in report["periods"] if p["currency"] == "usd")
    assert usd > 0
    checked_ledger()


def _mrr_of(snapshot: dict[str, Any], at: int) -> int:
    """A subscription's MRR from its event snapshot, recomputed here."""
    if snapshot["status"] not in ("active", "past_due") or snapshot["pause_collection"]:
        return 0
    total = 0
    for item in snapshot["items"]["data"]:
        price = item["price"]
        interval, count = price["recurring"]["interval"], price["recurring"]["interval_count"]
        months = {"month": 1, "year": 12}[interval] * count
        amount = price["unit_amount"] * item["quantity"]
        total += (2 * amount + months) // (2 * months)
    return total


def _discounted(total: int, discount: dict[str, Any] | None, at: int) -> int:
    if not discount or discount["coupon"]["duration"] == "once":
        return total
    if discount.get("end") and at >= discount["end"]:
        return total
    percent = discount["coupon"]["percent_off"]
    return total - (2 * total * round(percent * 100) + 10_000) // 20_000


def test_mrr_reconciles_with_the_subscription_events(ok, history, checked_ledger) -> None:
    report = ok("reports", "mrr", "--from", "2027-01-01", "--to", END)
    events = ok("events", "list", "--all")["data"]
    snapshots = sorted(
        (
            e
            for e in events
            if e["type"].startswith("customer.subscription.")
            and e["type"] != "customer.subscription.trial_will_end"
        ),
        key=lambda e: e["created"],
    )
    discounts = sorted(
        (e for e in events if e["type"].startswith("customer.discount.")),
        key=lambda e: e["created"],
    )

    def per_customer(at: int) -> dict[tuple[str, str], tuple[int, int]]:
        latest: dict[str, dict[str, Any]] = {}
        for e in snapshots:
            if e["created"] <= at:
                latest[e["data"]["object"]["id"]] = e["data"]["object"]
        held: dict[str, dict[str, Any] | None] = {}
        for e in discounts:
            if e["created"] <= at and e["data"]["object"]["subscription"] is None:
                gone = e["type"] == "customer.discount.deleted"
                held[e["data"]["object"]["customer"]] = None if gone else e["data"]["object"]
        out: dict[tuple[str, str], tuple[int, int]] = defaultdict(lambda: (0, 0))
        for sub in latest.values():
            own = _mrr_of(sub, at)
            money = _discounted(own, sub["discount"] or held.get(sub["customer"]), at)
            key = (sub["customer"], sub["currency"])
            out[key] = (out[key][0] + money, out[key][1] + (money > 0))
        return out

    first_paid: dict[tuple[str, str], int] = {}
    for e in snapshots:
        sub = e["data"]["object"]
        if _mrr_of(sub, e["created"]) > 0:
            first_paid.setdefault((sub["customer"], sub["currency"]), e["created"])
    periods = [p for p in report["periods"] if p["currency"] == "usd"]
    assert periods[0]["start"] == ts("2027-01-01T00:00:00Z")
    for p in periods:
        before, after = per_customer(p["start"] - 1), per_customer(p["end"])
        usd_after = {k: v for k, v in after.items() if k[1] == "usd"}
        assert p["mrr"] == sum(m for m, _ in usd_after.values()), p["start"]
        assert p["arr"] == 12 * p["mrr"]
        assert p["active_subscriptions"] == sum(n for _, n in usd_after.values())
        assert p["paying_customers"] == sum(1 for m, _ in usd_after.values() if m > 0)
        moved: dict[str, int] = defaultdict(int)
        for key in set(before) | set(after):
            if key[1] != "usd":
                continue
            was, now = before[key][0], after[key][0]
            if was == now:
                continue
            if was == 0:
                kind = "reactivated" if first_paid.get(key, 1 << 62) < p["start"] - 1 else "new"
            elif now == 0:
                kind = "churned"
            else:
                kind = "expansion" if now > was else "contraction"
            moved[kind] += abs(now - was)
        for kind in ("new", "expansion", "contraction", "churned", "reactivated"):
            assert p[kind] == moved[kind], (p["start"], kind)
    kinds = {
        k
        for p in periods
        for k in ("new", "expansion", "contraction", "churned", "reactivated")
        if p[k]
    }
    assert kinds == {"new", "expansion", "contraction", "churned", "reactivated"}
    checked_ledger()


def test_aging_reconciles_with_the_open_invoices(ok, history) -> None:
    """Owed at the end of the day asked for: finalized by then, and not paid, voided or
    written off (marked uncollectible) by then."""
    as_of = ts("2027-06-01T23:59:59Z")  # a bare date is the whole day
    report = ok("reports", "aging", "--as-of", "2027-06-01")
    assert report["as_of"] == as_of
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for inv in ok("invoices", "list", "--all")["data"]:
        moments = inv["status_transitions"]
        if moments["finalized_at"] is None or moments["finalized_at"] > as_of:
            continue
        settled = (moments["paid_at"], moments["voided_at"], moments["marked_uncollectible_at"])
        if any(at is not None and at <= as_of for at in settled):
            continue
        due = (
            inv["due_date"]
            if inv["collection_method"] == "send_invoice"
            else moments["finalized_at"]
        )
        late = (as_of - due) // 86_400
        bucket = (
            "current"
            if late <= 0
            else "1_30"
            if late <= 30
            else "31_60"
            if late <= 60
            else "61_90"
            if late <= 90
            else "over_90"
        )
        expected[(inv["currency"], bucket)] += inv["amount_remaining"]
    for total in report["totals"]:
        for bucket in report["buckets"]:
            assert total[bucket] == expected[(total["currency"], bucket)], bucket
    assert sum(t["total"] for t in report["totals"]) == sum(expected.values()) > 0


def test_balances_reconcile_with_the_transactions(ok, history) -> None:
    report = ok("reports", "balances", "--from", "2027-02-01", "--to", END)
    start, end = ts("2027-02-01T00:00:00Z"), ts(END)
    before = within = credit = debit = 0
    for cid in history["customers"]:
        balance = 0
        for txn in ok("balance", "list", cid, "--all")["data"]:
            if txn["currency"] != "usd":
                continue
            balance += txn["amount"] if txn["created"] <= end else 0
            before += txn["amount"] if txn["created"] < start else 0
            within += txn["amount"] if start <= txn["created"] <= end else 0
        credit += -balance if balance < 0 else 0
        debit += balance if balance > 0 else 0
    (usd,) = [b for b in report["balances"] if b["currency"] == "usd"]
    assert (usd["credit"], usd["debit"]) == (credit, debit)
    assert usd["movement"]["start"] == before and usd["movement"]["change"] == within
    assert usd["movement"]["end"] == before + within
    assert sum(usd["movement"]["by_type"].values()) == within
