"""3-D Secure: a card that asks for authentication leaves the invoice's intent waiting
(no charge, not a failed attempt), the customer completes or fails Stripe's simulated
challenge under the hosted page's secret URL, and what waits off-session follows the
retry and dunning rules (facts §6.2; billcli-decisions, Payments)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import ledger_digest
from tests.payments.conftest import challenge_of, csrf, event_types, page_path

DAY = 86_400


def answer(client: TestClient, path: str, result: str) -> Any:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return client.post(path, data={"csrf": csrf(page.text), "result": result})


def test_a_first_invoice_that_needs_authentication_waits_with_the_subscription_incomplete(
    ok: Callable[..., Any],
    customer: Callable[..., str],
    monthly: str,
    client: TestClient,
    assert_valid: Any,
    checked_ledger: Any,
) -> None:
    cus = customer(card="pm_card_authenticationRequired")
    sub = ok("subscriptions", "create", "--customer", cus, "--price", monthly)
    assert sub["status"] == "incomplete"
    invoice = ok("invoices", "show", sub["latest_invoice"])
    assert (invoice["status"], invoice["attempted"], invoice["charge"]) == ("open", True, None)
    pi = ok("payment-intents", "show", invoice["payment_intent"])
    assert (pi["status"], pi["latest_charge"], pi["last_payment_error"]) == (
        "requires_action",
        None,
        None,
    )
    url = pi["next_action"]["redirect_to_url"]["url"]
    secret = invoice["hosted_invoice_url"].rsplit("/", 1)[1]
    assert url.startswith(f"{invoice['hosted_invoice_url']}/authenticate/")
    assert invoice["id"] not in url and secret in url
    assert ok("charges", "list", "--customer", cus)["data"] == []
    assert "invoice.payment_action_required" in event_types(ok)
    assert "invoice.payment_failed" not in event_types(ok)
    assert "payment_intent.requires_action" in event_types(ok)
    assert_valid(pi)
    hosted = client.get(page_path(invoice["hosted_invoice_url"])).text
    assert 'id="confirm-payment"' in hosted and page_path(url) in hosted

    done = answer(client, page_path(url), "complete")
    assert done.status_code == 200 and "this invoice is paid" in done.text
    assert ok("subscriptions", "show", sub["id"])["status"] == "active"
    paid = ok("invoices", "show", invoice["id"])
    assert (paid["status"], paid["amount_paid"], paid["attempt_count"]) == ("paid", 2000, 1)
    charge = ok("charges", "show", paid["charge"])
    secure = charge["payment_method_details"]["card"]["three_d_secure"]
    assert (charge["status"], secure["result"], secure["authentication_flow"]) == (
        "succeeded",
        "authenticated",
        "challenge",
    )
    assert client.get(page_path(url)).status_code == 404  # used: it changes nothing more
    checked_ledger()


def test_a_failed_authentication_makes_no_charge_and_the_link_works_once(
    ok: Callable[..., Any],
    incomplete: Callable[[str], Any],
    client: TestClient,
    ledger_path: Path,
    checked_ledger: Any,
) -> None:
    sub, invoice, path = incomplete("pm_card_threeDSecure2Required")
    cus = sub["customer"]
    page = client.get(path)
    failed = client.post(path, data={"csrf": csrf(page.text), "result": "fail"})
    assert failed.status_code == 402 and "Authentication failed" in failed.text
    pi = ok("payment-intents", "show", invoice["payment_intent"])
    assert (pi["status"], pi["payment_method"], pi["last_payment_error"]["code"]) == (
        "requires_payment_method",
        None,
        "payment_intent_authentication_failure",
    )
    assert ok("charges", "list", "--customer", cus)["data"] == []
    assert ok("invoices", "show", invoice["id"])["status"] == "open"
    assert ok("subscriptions", "show", sub["id"])["status"] == "incomplete"
    assert "invoice.payment_failed" in event_types(ok)
    before = ledger_digest(ledger_path)
    again = client.post(path, data={"csrf": csrf(page.text), "result": "complete"})
    assert again.status_code == 404 and "expired or was already used" in again.text
    assert ledger_digest(ledger_path) == before
    checked_ledger()


def test_the_page_is_only_under_its_invoices_own_hosted_page(
    ok: Callable[..., Any],
    customer: Callable[..., str],
    open_invoice: Any,
    client: TestClient,
    billcli: Any,
) -> None:
    cus = customer()
    invoice = open_invoice(cus, 3000)
    other = open_invoice(cus, 1000)
    result = billcli(
        "invoices",
        "pay",
        invoice["id"],
        "--payment-method",
        "pm_card_authenticationRequired",
        "--json",
    )
    assert result.code == 4
    assert result.json["error"]["code"] == "invoice_payment_intent_requires_action"
    path = challenge_of(ok, invoice["payment_intent"])
    action = path.rsplit("/", 1)[1]
    for elsewhere in (
        f"/authenticate/{action}",  # an invoice's challenge is never on its own
        page_path(other["hosted_invoice_url"]) + f"/authenticate/{action}",
        f"/i/{invoice['id']}/authenticate/{action}",
    ):
        assert client.get(elsewhere).status_code == 404, elsewhere
    shown = ok("invoices", "show", invoice["id"])
    assert (shown["attempt_count"], shown["attempted"], shown["status"]) == (1, True, "open")
    assert client.get(path).status_code == 200


def test_a_card_declined_after_authentication_fails_its_charge(
    ok: Callable[..., Any],
    customer: Callable[..., str],
    open_invoice: Any,
    client: TestClient,
    billcli: Any,
    checked_ledger: Any,
) -> None:
    invoice = open_invoice(customer(card="pm_card_threeDSecureRequiredChargeDeclined"), 1200)
    assert billcli("invoices", "pay", invoice["id"]).code == 4
    declined = answer(client, challenge_of(ok, invoice["payment_intent"]), "complete")
    assert declined.status_code == 402 and "Your card was declined." in declined.text
    (charge,) = ok("charges", "list", "--payment-intent", invoice["payment_intent"])["data"]
    assert (charge["status"], charge["outcome"]["reason"]) == ("failed", "generic_decline")
    assert charge["payment_method_details"]["card"]["three_d_secure"]["result"] == ("authenticated")
    assert ok("invoices", "show", invoice["id"])["status"] == "open"
    checked_ledger()


def test_an_incomplete_subscription_expires_after_23_hours_and_its_page_with_it(
    ok: Callable[..., Any],
    incomplete: Callable[[str], Any],
    client: TestClient,
    ledger_path: Path,
    checked_ledger: Any,
) -> None:
    sub, invoice, path = incomplete("pm_card_authenticationRequired")
    ok("invoices", "tick", "--by", f"{23 * 3600 - 1}s")
    assert ok("subscriptions", "show", sub["id"])["status"] == "incomplete"
    ok("invoices", "tick", "--by", "1s")
    assert ok("subscriptions", "show", sub["id"])["status"] == "incomplete_expired"
    assert ok("invoices", "show", invoice["id"])["status"] == "void"
    pi = ok("payment-intents", "show", invoice["payment_intent"])
    assert (pi["status"], pi["cancellation_reason"], pi["next_action"]) == (
        "canceled",
        "void_invoice",
        None,
    )
    before = ledger_digest(ledger_path)
    assert client.get(path).status_code == 404
    assert ledger_digest(ledger_path) == before
    checked_ledger()


def test_an_off_session_renewal_waits_emails_the_page_and_follows_the_retries(
    ok: Callable[..., Any], customer: Callable[..., str], monthly: str, checked_ledger: Any
) -> None:
    cus = customer()
    sub = ok("subscriptions", "create", "--customer", cus, "--price", monthly)
    ok("customers", "update", cus, "--payment-method", "pm_card_authenticationRequired")
    ok("invoices", "tick", "--to", str(sub["current_period_end"] + 3600))
    renewal = ok("invoices", "show", ok("subscriptions", "show", sub["id"])["latest_invoice"])
    assert (renewal["status"], renewal["attempt_count"]) == ("open", 1)
    assert renewal["next_payment_attempt"] == renewal["status_transitions"]["finalized_at"] + DAY
    assert ok("subscriptions", "show", sub["id"])["status"] == "past_due"
    mail = ok("invoices", "outbox")["data"][0]
    assert (
        mail["url"] == renewal["hosted_invoice_url"] and "Confirm your payment" in mail["subject"]
    )
    link = ok("payment-intents", "show", renewal["payment_intent"])["next_action"]
    ok("invoices", "tick", "--by", "15d")  # the seven retries, each still waiting
    after = ok("invoices", "show", renewal["id"])
    assert (after["attempt_count"], after["status"]) == (8, "uncollectible")
    pi = ok("payment-intents", "show", renewal["payment_intent"])
    assert pi["status"] == "requires_action" and pi["next_action"] == link  # the same page
    charged = ok("charges", "list", "--customer", cus, "--all")["data"]
    assert [c["invoice"] for c in charged] == [sub["latest_invoice"]]  # none for the renewal
    mails = [m for m in ok("invoices", "outbox", "--all")["data"] if m["invoice"] == renewal["id"]]
    assert len(mails) == 8
    assert ok("subscriptions", "show", sub["id"])["status"] == "canceled"  # dunning: cancel
    checked_ledger()


def test_a_card_set_up_for_off_session_use_renews_without_the_customer(
    ok: Callable[..., Any],
    customer: Callable[..., str],
    monthly: str,
    client: TestClient,
    checked_ledger: Any,
) -> None:
    cus = customer(card=None)
    setup = ok(
        "setup-intents",
        "create",
        "--customer",
        cus,
        "--payment-method",
        "pm_card_authenticationRequiredOnSetup",
        "--confirm",
    )
    assert setup["status"] == "requires_action"
    answer(client, page_path(setup["next_action"]["redirect_to_url"]["url"]), "complete")
    card = ok("setup-intents", "show", setup["id"])["payment_method"]
    ok("customers", "update", cus, "--default-payment-method", card)
    sub = ok("subscriptions", "create", "--customer", cus, "--price", monthly)
    assert sub["status"] == "incomplete"  # on-session, card 3155 asks every time
    first = ok("invoices", "show", sub["latest_invoice"])
    answer(client, challenge_of(ok, first["payment_intent"]), "complete")
    ok("invoices", "tick", "--to", str(sub["current_period_end"] + 3600))
    renewal = ok("invoices", "show", ok("subscriptions", "show", sub["id"])["latest_invoice"])
    assert (renewal["billing_reason"], renewal["status"]) == ("subscription_cycle", "paid")
    checked_ledger()


def test_a_page_sent_before_the_customer_was_deleted_charges_nothing(
    ok: Callable[..., Any],
    incomplete: Callable[[str], Any],
    client: TestClient,
    billcli: Any,
    ledger_path: Path,
    checked_ledger: Any,
) -> None:
    """Nothing is charged to a deleted customer: the deletion cancels the intent that
    waited for 3-D Secure (`abandoned`), so its page, opened afterwards, is the same
    expired page as a used one, and completing it changes nothing."""
    sub, invoice, path = incomplete("pm_card_authenticationRequired")
    page = client.get(path)
    assert page.status_code == 200
    ok("customers", "delete", sub["customer"])
    pi = ok("payment-intents", "show", invoice["payment_intent"])
    assert (pi["status"], pi["cancellation_reason"], pi["next_action"]) == (
        "canceled",
        "abandoned",
        None,
    )
    before = ledger_digest(ledger_path)
    late = client.post(path, data={"csrf": csrf(page.text), "result": "complete"})
    assert late.status_code == 404 and "expired or was already used" in late.text
    assert client.get(path).status_code == 404
    assert ledger_digest(ledger_path) == before
    assert ok("charges", "list", "--customer", sub["customer"])["data"] == []
    assert ok("invoices", "show", invoice["id"])["status"] == "open"
    checked_ledger()
