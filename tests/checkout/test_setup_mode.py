"""Setup mode: the session saves a card through a SetupIntent, charges nothing, and
with `customer_creation=always` makes a customer who owns the card."""

from __future__ import annotations

from tests.payments.conftest import event_types
from tests.web.conftest import csrf


def test_a_setup_session_saves_the_card_for_a_new_customer_and_charges_nothing(
    ok, at_start, fill_in, checked_ledger
):
    made = ok("checkout", "sessions", "create", "--mode", "setup", "--customer-creation",
              "always", "--success-url", "https://shop.example/saved")  # fmt: skip
    assert (made["amount_total"], made["payment_status"], made["currency"]) == (
        0, "no_payment_required", None,
    )  # fmt: skip
    assert fill_in(made["url"], email="grace@example.com").status_code == 200
    done = ok("checkout", "sessions", "show", made["id"])
    assert (done["status"], done["payment_status"]) == ("complete", "no_payment_required")
    si = ok("setup-intents", "show", done["setup_intent"])
    assert (si["status"], si["usage"]) == ("succeeded", "off_session")
    card = ok("payment-methods", "show", si["payment_method"])
    assert card["customer"] == done["customer"]
    assert ok("customers", "show", done["customer"])["email"] == "grace@example.com"
    assert ok("charges", "list")["data"] == []
    assert "checkout.session.completed" in event_types(ok)
    checked_ledger()


def test_a_3ds_card_saved_in_setup_mode_completes_after_the_challenge(
    ok, at_start, fill_in, client, checked_ledger
):
    made = ok("checkout", "sessions", "create", "--mode", "setup",
              "--success-url", "https://shop.example/saved")  # fmt: skip
    answer = fill_in(made["url"], card="pm_card_authenticationRequiredOnSetup")
    assert answer.status_code == 303
    challenge = answer.headers["location"].removeprefix("http://127.0.0.1:4242")
    page = client.get(challenge)
    back = client.post(challenge, data={"csrf": csrf(page.text), "result": "complete"})
    assert "/return?" in back.text
    returned = back.text.split("url=")[1].split('"')[0].replace("&amp;", "&")
    done = client.get(returned.removeprefix("http://127.0.0.1:4242"))
    assert "https://shop.example/saved" in done.text
    assert ok("checkout", "sessions", "show", made["id"])["status"] == "complete"
    checked_ledger()
