"""The seam machine: a hypothesis state machine that interleaves, on one ledger, what a
billing operator does (subscriptions created, changed, cancelled, paused; coupons on and
off; customers deleted; credit notes; balance adjustments; cards that decline; the clock
moving) and after every step checks, from its own bookkeeping (`seam_model`):

- `ledger check` finds the ledger consistent;
- every change's preview is the invoice it makes (at once, or at the renewal);
- nothing is billed or charged to a deleted customer or an ended subscription;
- no credit for unused time exceeds what was paid for that time;
- `reports revenue` and `reports mrr` agree with the sums kept here.

`tests/property/test_seams.py` runs a short profile; `bench/seams.py` a long one.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, multiple, rule

from tests.property.seam_model import (
    Cli,
    Done,
    customer_lines,
    lines_of,
    money_of,
    mrr_of,
    paid_for,
    revenue_of,
)

START = "2027-01-31T12:00:00Z"
COUPONS = ("HALF", "FIVE", "ONCE")
CARDS = ("pm_card_visa", "pm_card_chargeCustomerFail")
PAUSES = (None, "keep_as_draft", "mark_uncollectible", "void")


@dataclass
class Expected:
    """A change's preview, waiting for the renewal it previewed."""

    subscription: str
    created: int
    lines: list[tuple[Any, ...]]
    money: tuple[int, int]
    known: frozenset[str]  # the customer's invoices when it was made


class SeamMachine(RuleBasedStateMachine):
    customers = Bundle("customers")
    subscriptions = Bundle("subscriptions")
    runs = steps = 0  # counted over every run, for the bench's report
    checked: ClassVar[dict[str, int]] = {}  # what the checks compared, by kind

    @classmethod
    def count(cls, kind: str) -> None:
        cls.checked[kind] = cls.checked.get(kind, 0) + 1

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="billcli-seams-"))
        self.cli = Cli(self.folder / "ledger.db")
        self.cli.ok("invoices", "tick", "--to", START)
        self.cli.ok("products", "create", "--name", "Pro", "--id", "pro")
        self.price = {
            name: self.cli.ok("prices", "create", "--product", "pro", "--currency", "usd",
                              "--unit-amount", amount, "--recurring-interval", interval)["id"]
            for name, amount, interval in (
                ("basic", "2000", "month"), ("plus", "3500", "month"), ("yearly", "20000", "year")
            )
        }  # fmt: skip
        for args in (
            ("--id", "HALF", "--percent-off", "50", "--duration", "forever"),
            ("--id", "FIVE", "--amount-off", "500", "--currency", "usd", "--duration", "forever"),
            ("--id", "ONCE", "--percent-off", "25"),
        ):
            self.cli.ok("coupons", "create", *args)
        self.deleted: dict[str, tuple[int, dict[str, tuple[Any, ...]]]] = {}
        self.expected: dict[str, Expected] = {}
        SeamMachine.runs += 1

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _step(self, customer: str | None = None) -> None:
        """One more step; something of `customer` changes, so a preview waiting for its
        renewal no longer holds."""
        SeamMachine.steps += 1
        if customer is not None:
            self.expected.pop(customer, None)

    def _refused(self, done: Done, *codes: int) -> bool:
        """A refusal is one of `codes` (exit 1 invalid, 6 not found)."""
        if done.code:
            assert done.code in codes, (done.code, done.err)
        self.count("operations refused (one line, exit 1 or 6)" if done.code else "operations done")
        return bool(done.code)

    # -- customers, their money and their cards ---------------------------------

    @rule(target=customers, coupon=st.sampled_from((None, *COUPONS)))
    def add_customer(self, coupon: str | None) -> str:
        self._step()
        extra = ["--coupon", coupon] if coupon else []
        made = self.cli.ok("customers", "create", "--name", "Seam", "--email",
                           "seam@example.com", "--payment-method", CARDS[0], *extra)  # fmt: skip
        return str(made["id"])

    @rule(customer=customers, coupon=st.sampled_from((None, *COUPONS)))
    def customer_coupon(self, customer: str, coupon: str | None) -> None:
        self._step(customer)
        change = ["--coupon", coupon] if coupon else ["--remove-discount"]
        self._refused(self.cli.run("customers", "update", customer, *change, "--json"), 1, 6)

    @rule(customer=customers, card=st.sampled_from(CARDS))
    def swap_card(self, customer: str, card: str) -> None:
        self._step()  # a card changes what is collected, not what is invoiced
        self._refused(self.cli.run("customers", "update", customer, "--payment-method", card,
                                   "--json"), 6)  # fmt: skip

    @rule(customer=customers, amount=st.integers(-5000, 5000).filter(bool))
    def adjust_balance(self, customer: str, amount: int) -> None:
        self._step()  # the balance changes what is due, not the lines and totals compared
        self._refused(self.cli.run("balance", "create", customer, "--amount", str(amount),
                                   "--json"), 6)  # fmt: skip

    @rule(customer=customers, data=st.data())
    def credit_note(self, customer: str, data: st.DataObject) -> None:
        """A credit note on one of the customer's open or paid invoices, within its room
        (a deleted customer's invoices are left alone: nothing of theirs moves). It
        changes invoices made already, not the next one."""
        self._step()
        if customer in self.deleted:
            return
        found = self.cli.run("invoices", "list", "--customer", customer, "--all", "--json")
        if self._refused(found, 6):
            return
        rooms = []
        for inv in found.json["data"]:
            if inv["status"] not in ("open", "paid") or inv["total"] <= 0:
                continue
            notes = self.cli.every("credit-notes", "list", "--invoice", inv["id"])
            room = inv["total"] - sum(n["total"] for n in notes if n["status"] == "issued")
            if inv["status"] == "open":
                room = min(room, inv["amount_remaining"])
            if room > 0:
                rooms.append((inv["id"], room))
        if rooms:
            invoice, room = data.draw(st.sampled_from(rooms))
            amount = data.draw(st.integers(1, room))
            self.cli.ok("credit-notes", "create", "--invoice", invoice, "--amount", str(amount))

    @rule(customer=customers)
    def delete_customer(self, customer: str) -> None:
        self._step(customer)
        done = self.cli.run("customers", "delete", customer, "--json")
        if self._refused(done, 6):
            return
        self.count("customers deleted")
        now = self.cli.ok("ledger", "clock")["now"]
        seen = {i["id"]: _collection(i) for i in self.cli.every("invoices", "list", "--customer",
                                                                 customer)}  # fmt: skip
        self.deleted[customer] = (now, seen)

    # -- subscriptions ------------------------------------------------------------

    @rule(
        target=subscriptions,
        customer=customers,
        plan=st.sampled_from(("basic", "plus", "yearly")),
        quantity=st.integers(1, 4),
        trial=st.booleans(),
    )
    def subscribe(self, customer: str, plan: str, quantity: int, trial: bool) -> Any:
        self._step(customer)
        extra = ["--trial-days", "20"] if trial else []
        done = self.cli.run("subscriptions", "create", "--customer", customer, "--price",
                            f"{self.price[plan]}:{quantity}", *extra, "--json")  # fmt: skip
        if self._refused(done, 6):
            return multiple()  # its customer was deleted meanwhile
        return str(done.json["id"])

    @rule(sub=subscriptions, quantity=st.integers(0, 5), renew=st.booleans(),
          behavior=st.sampled_from((None, "always_invoice", "none")))  # fmt: skip
    def change_quantity(self, sub: str, quantity: int, behavior: str | None, renew: bool) -> None:
        extra = ["--proration-behavior", behavior] if behavior else []
        self._change(sub, lambda s: ["--quantity", str(quantity), *extra], renew)

    @rule(sub=subscriptions, plan=st.sampled_from(("basic", "plus", "yearly")),
          renew=st.booleans())  # fmt: skip
    def switch_price(self, sub: str, plan: str, renew: bool) -> None:
        """A price of the same interval, or month ↔ year (a new period, invoiced now)."""
        self._change(sub, lambda s: ["--item", f"{_item(s)['id']}={self.price[plan]}"], renew)

    @rule(sub=subscriptions)
    def reset_anchor(self, sub: str) -> None:
        self._change(sub, lambda s: ["--billing-cycle-anchor", "now"])

    @rule(sub=subscriptions)
    def end_trial(self, sub: str) -> None:
        self._change(sub, lambda s: ["--trial-end", "now"])

    @rule(sub=subscriptions, coupon=st.sampled_from((None, *COUPONS)), renew=st.booleans())
    def subscription_coupon(self, sub: str, coupon: str | None, renew: bool) -> None:
        change = ["--coupon", coupon] if coupon else ["--remove-discount"]
        self._change(sub, lambda s: change, renew)

    @rule(sub=subscriptions, at_end=st.booleans())
    def cancel_at_period_end(self, sub: str, at_end: bool) -> None:
        flag = "--cancel-at-period-end" if at_end else "--no-cancel-at-period-end"
        self._change(sub, lambda s: [flag])

    @rule(sub=subscriptions, renew=st.booleans(), behavior=st.sampled_from(PAUSES))
    def pause(self, sub: str, behavior: str | None, renew: bool) -> None:
        change = ["--pause-collection", behavior] if behavior else ["--resume-collection"]
        self._change(sub, lambda s: change, renew)

    @rule(sub=subscriptions, prorate=st.booleans(), invoice_now=st.booleans())
    def cancel_now(self, sub: str, prorate: bool, invoice_now: bool) -> None:
        found = self.cli.run("subscriptions", "show", sub, "--json")
        if self._refused(found, 6):
            return
        customer = found.json["customer"]
        self._step(customer)
        before = {line.key for line in customer_lines(self.cli, customer)}
        flags = ["--prorate"] * prorate + ["--invoice-now"] * invoice_now
        if not self._refused(self.cli.run("subscriptions", "cancel", sub, *flags, "--json"), 1):
            self._check_credits(customer, before)

    def _change(self, sub: str, args_of: Any, renew: bool = False) -> None:
        """Preview a change, make it, and hold the two to each other (with `renew`, at
        once: the clock runs to the renewal the preview showed)."""
        found = self.cli.run("subscriptions", "show", sub, "--json")
        if self._refused(found, 6):
            return
        shown = found.json
        customer, args = shown["customer"], args_of(shown)
        self._step(customer)
        before = {line.key for line in customer_lines(self.cli, customer)}
        known = frozenset(i["id"] for i in self.cli.every("invoices", "list", "--customer",
                                                          customer))  # fmt: skip
        preview = self.cli.run("invoices", "upcoming", "--customer", customer, "--subscription",
                               sub, *args, "--json")  # fmt: skip
        done = self.cli.run("subscriptions", "update", sub, *args, "--json")
        _agree_on_refusal(preview, done, customer in self.deleted)
        if done.code:
            return
        after = done.json
        if preview.code:  # nothing to preview: it ends at its period end, billing nothing
            assert after["cancel_at_period_end"], preview.err
        elif after["latest_invoice"] != shown["latest_invoice"]:
            made = self.cli.ok("invoices", "show", after["latest_invoice"])
            assert made["billing_reason"] == "subscription_update"
            assert lines_of(preview.json) == lines_of(made), (args, preview.json, made)
            assert money_of(preview.json) == money_of(made), args
            self.count("previews equal to the invoice made at once")
        else:
            self.expected[customer] = Expected(
                sub, preview.json["created"], lines_of(preview.json), money_of(preview.json), known
            )
        self._check_credits(customer, before)
        if renew:
            self.tick_to_a_renewal()

    def _check_credits(self, customer: str, before: set[str]) -> None:
        """No credit a change made exceeds what was paid for its time (the lines that
        existed before the change, to the second)."""
        lines = customer_lines(self.cli, customer)
        earlier = [line for line in lines if line.key in before]
        for line in lines:
            if line.key in before or not line.proration or line.net >= 0 or line.item is None:
                continue
            paid = paid_for(earlier, line.item, line.start, line.end)
            assert -line.net <= paid, (line, paid)
            self.count("credits for unused time within what was paid")

    # -- the clock --------------------------------------------------------------------

    @rule(hours=st.integers(1, 45 * 24))
    def tick(self, hours: int) -> None:
        self._step()
        self.cli.ok("invoices", "tick", "--by", f"{hours}h")
        self._renewals()

    @rule()
    def tick_to_a_renewal(self) -> None:
        """Straight to the renewal a preview showed (and an hour on, to finalize it)."""
        self._step()
        if self.expected:
            when = min(e.created for e in self.expected.values()) + 3600
            self.cli.ok("invoices", "tick", "--to", str(when))
            self._renewals()

    def _renewals(self) -> None:
        """The renewals the waiting previews showed, compared with them when made."""
        now = self.cli.ok("ledger", "clock")["now"]
        for customer, expected in list(self.expected.items()):
            made = [
                i
                for i in reversed(self.cli.every("invoices", "list", "--customer", customer))
                if i["id"] not in expected.known
            ]
            if not made and now < expected.created:
                continue
            del self.expected[customer]
            first = made[0] if made else None
            if (
                first is not None
                and first["subscription"] == expected.subscription
                and (first["billing_reason"] == "subscription_cycle")
            ):
                assert first["created"] == expected.created
                assert lines_of(first) == expected.lines, (first, expected)
                assert money_of(first) == expected.money
                self.count("previews equal to the renewal they showed")

    # -- after every step ---------------------------------------------------------------

    @invariant()
    def ledger_is_consistent(self) -> None:
        done = self.cli.run("ledger", "check")
        assert done.code == 0, done.out
        self.count("ledger checks consistent")

    @invariant()
    def nothing_is_billed_after_an_end(self) -> None:
        """A deleted customer gets no invoice and no charge; an ended subscription no
        period after its end (its final invoice is made at the end itself)."""
        for customer, (at, seen) in self.deleted.items():
            for inv in self.cli.every("invoices", "list", "--customer", customer):
                assert inv["id"] in seen and inv["created"] <= at, inv
                assert _collection(inv) == seen[inv["id"]], (inv, seen[inv["id"]])
        for sub in self.cli.every("subscriptions", "list", "--status", "ended"):
            if sub["ended_at"] is None:  # expired before its first payment: never renewed
                continue
            for inv in self.cli.every("invoices", "list", "--customer", sub["customer"]):
                if inv["subscription"] != sub["id"]:
                    continue
                assert inv["created"] <= sub["ended_at"], (sub["id"], inv)
                for line in inv["lines"]["data"]:
                    if line["type"] == "subscription":
                        assert line["period"]["start"] <= sub["ended_at"], (sub["id"], line)

    @invariant()
    def reports_agree_with_the_sums_kept_here(self) -> None:
        invoices = self.cli.every("invoices", "list")
        notes = self.cli.every("credit-notes", "list")
        report = self.cli.ok("reports", "revenue", "--from", START[:10])
        expected = revenue_of(invoices, notes)
        for figure, total in expected.items():
            assert sum(p[figure] for p in report["periods"]) == total, figure
        discounts = {c["id"]: c["discount"] for c in self.cli.every("customers", "list")}
        subs = self.cli.every("subscriptions", "list", "--status", "all")
        mrr = sum(mrr_of(s, discounts.get(s["customer"])) for s in subs)
        periods = self.cli.ok("reports", "mrr", "--from", START[:10])["periods"]
        assert (periods[-1]["mrr"] if periods else 0) == mrr
        self.count("reports equal to the sums kept here")


def _item(sub: dict[str, Any]) -> dict[str, Any]:
    return dict(sub["items"]["data"][0])


def _collection(inv: dict[str, Any]) -> tuple[Any, ...]:
    """What collecting an invoice changes: its status, attempts and payment."""
    return inv["status"], inv["attempt_count"], inv["amount_paid"], inv["auto_advance"]


def _agree_on_refusal(preview: Done, done: Done, deleted: bool) -> None:
    """A change the update refuses, its preview refuses alike (same exit, same
    parameter); a deleted customer's preview is refused as well, naming the customer."""
    if not done.code:
        if preview.code:
            assert preview.json["error"].get("code") == "invoice_upcoming_none", preview.err
        return
    if deleted:  # the preview names the customer (gone), the update the subscription
        assert preview.code, done.err
        return
    assert preview.code == done.code, (preview.err, done.err)
    assert preview.json["error"]["param"] == done.json["error"]["param"]
