import pytest

from billcli.core.money import format_amount, minimum_charge, normalize_currency, parse_amount
from billcli.errors import InvalidRequest


@pytest.mark.parametrize(
    ("text", "currency", "expected"),
    [
        ("-500", "usd", -500),
        ("-5.00", "usd", -500),
        ("5.5", "usd", 550),
        ("12", "jpy", 12),
        ("500", "jpy", 500),
        ("1.234", "bhd", 1234),
        ("+7", "eur", 7),
        ("99999999", "usd", 99999999),
    ],
)
def test_amounts_read_integers_as_minor_units_and_decimals_as_major(text, currency, expected):
    assert parse_amount(text, currency) == expected


@pytest.mark.parametrize(
    ("text", "currency", "fragment"),
    [
        ("abc", "usd", "not a whole number"),
        ("1.234", "usd", "finer than allowed"),
        ("5.5", "jpy", "finer than allowed"),
        ("123456789", "usd", "more than 8 digits"),
        ("1e3", "usd", "not a whole number"),
        ("", "usd", "not a whole number"),
    ],
)
def test_bad_amounts_are_refused_naming_the_parameter(text, currency, fragment):
    with pytest.raises(InvalidRequest, match=fragment) as caught:
        parse_amount(text, currency, param="balance")
    assert caught.value.param == "balance"


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (-500, "usd", "-$5.00"),
        (500, "jpy", "¥500"),
        (1230, "eur", "€12.30"),
        (123456, "usd", "$1,234.56"),
        (1234, "bhd", "1.234 BHD"),
        (0, "krw", "₩0"),
    ],
)
def test_amounts_are_formatted_in_their_currency(amount, currency, shown):
    assert format_amount(amount, currency) == shown


def test_unknown_currency_is_refused():
    with pytest.raises(InvalidRequest, match="not a supported ISO code"):
        normalize_currency("xyz")
    assert normalize_currency("EUR") == "eur"


def test_minimum_charge_follows_the_table_then_the_decided_fallback():
    assert minimum_charge("usd") == 50
    assert minimum_charge("gbp") == 30
    assert minimum_charge("jpy") == 50
    assert minimum_charge("krw") == 0
    assert minimum_charge("zar") == 50
