"""`ledger check`'s invariants of card sources, tokens, deleted plans and promotion codes,
each shown to catch what it names."""

from __future__ import annotations

from billcli.core.discount_checks import check_promotion_code
from billcli.core.records import Customer
from billcli.core.records.catalog import Price
from billcli.core.records.discounts import Discount, PromotionCode
from billcli.core.records.payments import PaymentMethod, Token
from billcli.core.source_checks import check_default_sources, check_deleted_plans, check_tokens


def _card(card_id: str, customer: str | None) -> PaymentMethod:
    return PaymentMethod(card_id, customer, 1, "pm_card_visa", "visa", "4242")


def test_a_default_source_must_be_a_saved_card_of_its_customer() -> None:
    methods = {c.id: c for c in (_card("card_a", "cus_a"), _card("card_b", None))}
    methods["pm_x"] = _card("pm_x", "cus_a")
    customers = [
        Customer("cus_a", 1, default_source="card_a"),
        Customer("cus_b", 1, default_source="card_b"),  # detached
        Customer("cus_c", 1, default_source="pm_x"),  # no card source
        Customer("cus_d", 1, default_source="card_gone"),
    ]
    assert [p.object_id for p in check_default_sources(customers, methods)] == [
        "cus_b",
        "cus_c",
        "cus_d",
    ]


def test_a_token_is_used_exactly_when_its_card_exists() -> None:
    methods = {"card_1": _card("card_1", "cus_a")}
    tokens = [
        Token("tok_1", 1, "card_1", "pm_card_visa", used=True),
        Token("tok_2", 1, "card_2", "pm_card_visa", used=True),
        Token("tok_3", 1, "card_1", "pm_card_visa", used=False),
        Token("tok_4", 1, "card_4", "pm_card_visa"),
    ]
    assert [p.object_id for p in check_tokens(tokens, methods)] == ["tok_2", "tok_3"]


def test_a_deleted_plan_is_inactive_and_recurring() -> None:
    prices = [
        Price("gold", "prod", 1, "usd", active=False, interval="month", deleted=True),
        Price("live", "prod", 1, "usd", active=True, interval="month", deleted=True),
        Price("once", "prod", 1, "usd", active=False, deleted=True),
    ]
    assert [p.object_id for p in check_deleted_plans(prices)] == ["live", "once"]


def test_a_codes_redemptions_are_its_discounts_of_its_coupon_within_its_limit() -> None:
    code = PromotionCode("promo_1", "SPRING", "TEN", 1, max_redemptions=1, times_redeemed=2)
    discounts = [
        Discount("di_1", "TEN", 1, "cus_a", promotion_code="promo_1"),
        Discount("di_2", "OTHER", 1, "cus_b", promotion_code="promo_1"),
    ]
    said = [p.message for p in check_promotion_code(code, discounts)]
    assert said == ["redeemed 2 times, over 1", "its discount di_2 is of coupon OTHER, not of TEN"]
