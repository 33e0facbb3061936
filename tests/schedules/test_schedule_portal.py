"""The portal shows a subscription's scheduled change: the next phase's items from the
day it starts, or the day the schedule ends the subscription."""

from __future__ import annotations

import html as markup
import re

from tests.schedules.conftest import months_after
from tests.web.test_portal_pages import open_portal, session_path


def _scheduled(page: str, sub: str) -> str:
    found = re.search(rf'id="scheduled-{sub}">(.*?)</p>', page, re.S)
    assert found, "the subscription shows its scheduled change"
    return " ".join(markup.unescape(found.group(1)).split())


def test_the_portal_shows_the_next_phase_and_then_the_scheduled_end(
    client,
    ok,
    customer,
    monthly,
    premium,
    at_start,
):
    ok("portal", "configurations", "create")
    ada = customer()
    phases = ["--phase", f"{monthly} iterations=1", "--phase", f"{premium}:2 iterations=1"]
    made = ok("subscription-schedules", "create", "--customer", ada, "--end-behavior", "cancel",
              *phases)  # fmt: skip
    page = open_portal(client, session_path(ok, ada))
    switch = ok("subscription-schedules", "show", made["id"])["phases"][1]["start_date"]
    assert switch == months_after(at_start, 1)
    assert _scheduled(page, made["subscription"]) == (
        "Scheduled change on 2027-04-01: Pro plan · 2 × $50.00 / month."
    )
    ok("invoices", "tick", "--to", str(switch))
    page = open_portal(client, session_path(ok, ada))
    assert _scheduled(page, made["subscription"]) == "Scheduled to end on 2027-05-01."
    assert "Renews" not in page
