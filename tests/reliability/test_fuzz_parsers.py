"""Fuzzing the parsers: any input is either read correctly or refused with a clear error."""

import csv
import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from billcli.core.dates import parse_instant
from billcli.core.imports import metadata_pairs, required_field, text_field
from billcli.core.metadata import parse_pairs
from billcli.core.money import MAX_AMOUNT, exponent, format_amount, parse_amount
from billcli.core.tick import parse_duration
from billcli.errors import InvalidRequest
from tests.reliability.figures import publish

currencies = st.sampled_from(["usd", "eur", "jpy", "krw", "bhd", "gbp"])


@settings(max_examples=400)
@given(text=st.text(max_size=14), currency=currencies)
def test_any_text_is_an_amount_or_a_clear_error(text, currency):
    try:
        value = parse_amount(text, currency)
    except InvalidRequest as error:
        assert error.param == "amount" and error.message.startswith("Invalid amount")
        return
    assert isinstance(value, int) and abs(value) <= MAX_AMOUNT


@settings(max_examples=300)
@given(value=st.integers(-MAX_AMOUNT, MAX_AMOUNT), currency=currencies)
def test_formatted_amounts_read_back_to_the_same_integer(value, currency):
    shown = format_amount(value, currency).replace(",", "")
    digits = "".join(ch for ch in shown if ch.isdigit() or ch == ".")
    major = parse_amount(("-" if value < 0 else "") + digits, currency)
    assert major == value
    assert exponent(currency) in (0, 2, 3)


@settings(max_examples=300)
@given(text=st.text(max_size=10))
def test_any_text_is_a_duration_or_a_clear_error(text):
    try:
        seconds = parse_duration(text)
    except InvalidRequest as error:
        assert error.param == "by"
        return
    assert seconds >= 0


@settings(max_examples=300)
@given(n=st.integers(0, 10**6), unit=st.sampled_from("smhdw"))
def test_durations_mean_what_they_say(n, unit):
    assert (
        parse_duration(f"{n}{unit}")
        == n * {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[unit]
    )


@settings(max_examples=300)
@given(text=st.text(max_size=30))
def test_any_text_is_a_time_or_a_clear_error(text):
    try:
        value = parse_instant(text, param="to")
    except InvalidRequest as error:
        assert error.param == "to"
        return
    except (OverflowError, ValueError):
        raise AssertionError(f"{text!r} escaped as a raw exception") from None
    assert isinstance(value, int)


@settings(max_examples=300)
@given(pairs=st.lists(st.text(max_size=60), max_size=5))
def test_any_metadata_is_pairs_or_a_clear_error(pairs):
    try:
        parsed = parse_pairs(pairs)
    except InvalidRequest as error:
        assert error.param.startswith("metadata")
        return
    assert all(len(k) <= 40 and "[" not in k and len(v) <= 500 for k, v in parsed.items())


@settings(max_examples=300)
@given(
    row=st.dictionaries(
        st.sampled_from(["customer", "amount", "metadata", "currency"]),
        st.one_of(
            st.text(max_size=20),
            st.integers(),
            st.none(),
            st.booleans(),
            st.dictionaries(st.text(max_size=5), st.text(max_size=5)),
        ),
    )
)
def test_any_import_row_is_read_or_refused_clearly(row):
    for column in ("customer", "amount", "currency"):
        try:
            value = text_field(row, column)
            assert value is None or isinstance(value, str)
        except InvalidRequest as error:
            assert error.param == column
    try:
        required_field(row, "amount")
    except InvalidRequest as error:
        assert error.param == "amount"
    try:
        metadata_pairs(row)
    except InvalidRequest as error:
        assert error.param == "metadata"
    publish("fuzz-parsers", parsers=["amount", "duration", "time", "metadata", "import row"])


def test_csv_and_json_cells_meet_the_same_parsers():
    cells = next(
        csv.DictReader(io.StringIO('customer,amount,metadata\ncus_x,-5.00,"{""a"": 1}"\n'))
    )
    assert parse_amount(required_field(cells, "amount"), "usd") == -500
    assert metadata_pairs(cells) == ("a=1",)
    assert metadata_pairs(json.loads('{"metadata": {"a": "1"}}')) == ("a=1",)
