"""Search, by property: the parser takes any text without crashing, and every query
finds exactly what a brute-force filter over the same rows finds, in the same order."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from billcli.core.search import FIELDS, Kind, parse
from billcli.errors import InvalidRequest

ALPHABET = st.sampled_from(list("abcAB:~'\"-[]<>=! \\xyz0123456789ANDOR.\x00é"))


@given(st.text(ALPHABET, max_size=60) | st.text(max_size=60))
@settings(max_examples=400)
def test_any_text_parses_or_is_one_error_naming_a_column(text: str) -> None:
    for resource in FIELDS:
        try:
            query = parse(text, resource)
        except InvalidRequest as error:
            found = re.match(r"Invalid query: col (\d+): \S", error.message)
            assert found, error.message
            assert 1 <= int(found.group(1)) <= len(text) + 1
            assert error.param == "query" and "\n" not in error.message
        else:
            assert 1 <= len(query.clauses) <= 10
            assert all(c.field in FIELDS[resource] for c in query.clauses)


WORDS = [
    "ada",
    "lovelace",
    "grace",
    "hopper",
    "alan",
    "turing",
    "Fan",
    "CLUB",
    "o'neil",
    'say "hi"',
]
PLANS = ["pro", "free", "Pro"]
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _seed(billcli: Callable[..., Any], rng: random.Random, tmp_path: Path) -> None:
    import csv
    import json

    source = tmp_path / "people.csv"
    with source.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "email", "phone", "metadata"])
        for n in range(60):
            name = " ".join(rng.sample(WORDS, rng.randint(1, 3)))
            domain = rng.choice(["example.com", "navy.example", "EXAMPLE.org"])
            email = f"{re.sub('[^a-z]', '', name.split()[0].lower())}{n}@{domain}"
            phone = rng.choice(["", "+44 20 7946 0000", f"+1 555 01{n:02d}"])
            plan = rng.choice([*PLANS, None])
            writer.writerow([name, email, phone, json.dumps({"plan": plan} if plan else {})])
    assert billcli("customers", "import", str(source)).code == 0


def _matches(
    customer: dict[str, Any], field: str, operator: str, value: Any, key: str | None
) -> bool:
    """The rule the search implements, written again plainly (ASCII case folding)."""
    if field == "metadata":
        held = customer["metadata"].get(key)
        return held is None if value is None else held == value
    held = customer[field]
    if value is None:
        return held in (None, "")
    if held is None:
        return False
    if FIELDS["customer"][field] is Kind.NUMBER:
        return {
            ":": held == value,
            "=": held == value,
            ">": held > value,
            "<": held < value,
            ">=": held >= value,
            "<=": held <= value,
        }[operator]
    folded, wanted = held.translate(ASCII_LOWER), value.translate(ASCII_LOWER)
    return wanted in folded if operator == "~" else wanted == folded


def _quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


@st.composite
def clauses(draw: st.DrawFn, people: list[dict[str, Any]]) -> tuple[str, tuple[Any, ...]]:
    person = draw(st.sampled_from(people))
    field = draw(st.sampled_from(["name", "email", "phone", "metadata", "created"]))
    negated = draw(st.booleans())
    key = None
    if field == "created":
        operator = draw(st.sampled_from([":", "=", ">", "<", ">=", "<="]))
        value: Any = person["created"] + draw(st.integers(-2, 2))
        text = f"created{operator}{value}"
    elif field == "metadata":
        key = "plan"
        value = draw(st.sampled_from([*PLANS, None, "nope"]))
        text = "metadata['plan']:" + ("null" if value is None else _quote(value))
        operator = ":"
    else:
        whole = person[field] or ""
        operator = draw(st.sampled_from([":", "~"]))
        if operator == "~":
            start = draw(st.integers(0, max(len(whole) - 3, 0)))
            value = whole[start : start + draw(st.integers(3, 8))]
            if len(value) < 3:
                value = "xyz"
            value = draw(st.sampled_from([value, value.upper(), value.lower()]))
        else:
            # A value under 3 characters is matched without the trigram index.
            value = draw(st.sampled_from([whole, whole.upper(), whole[:2], None])) or None
        text = f"{field}{operator}" + ("null" if value is None else _quote(value))
        if value is None:
            operator = ":"
    return ("-" if negated else "") + text, (field, operator, value, key, negated)


@pytest.mark.slow
def test_every_search_agrees_with_a_brute_force_filter(
    ok: Callable[..., Any], billcli: Callable[..., Any], tmp_path: Path
) -> None:
    _seed(billcli, random.Random(7), tmp_path)
    people = ok("customers", "list", "--all")["data"]

    @given(st.lists(clauses(people), min_size=1, max_size=4), st.sampled_from(["AND", "OR"]))
    # The edges, always tried: a negation over a field some rows lack (matched with and
    # without the trigram index), a key some rows lack, a case-folded substring.
    @example([("-phone:'+4'", ("phone", ":", "+4", None, True))], "AND")
    @example([("-phone:'+44 20 7946 0000'", ("phone", ":", "+44 20 7946 0000", None, True))], "AND")
    @example([("-metadata['plan']:'pro'", ("metadata", ":", "pro", "plan", True))], "AND")
    @example(
        [
            ("metadata['plan']:null", ("metadata", ":", None, "plan", False)),
            ("name~'LOVEL'", ("name", "~", "LOVEL", None, False)),
        ],
        "OR",
    )
    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def agree(drawn: list[tuple[str, tuple[Any, ...]]], joiner: str) -> None:
        query = f" {joiner} ".join(text for text, _ in drawn)
        done = billcli("customers", "search", "--all", "--json", "--", query)
        assert done.code == 0, (query, done.err)
        found = [c["id"] for c in done.json["data"]]

        def keep(c: dict[str, Any]) -> bool:
            results = [_matches(c, f, op, v, k) != neg for _, (f, op, v, k, neg) in drawn]
            return all(results) if joiner == "AND" else any(results)

        assert found == [c["id"] for c in people if keep(c)], query

    agree()
