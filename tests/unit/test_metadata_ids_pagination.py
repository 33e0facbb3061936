import re

import pytest

from billcli.core.ids import check_id, new_id
from billcli.core.metadata import merged, parse_pairs
from billcli.core.pagination import Page, PageRequest, walk
from billcli.errors import InvalidRequest


def test_new_ids_have_the_prefix_and_24_alphanumerics():
    assert re.fullmatch(r"cus_[0-9A-Za-z]{24}", new_id("customer"))
    assert new_id("customer") != new_id("customer")


def test_check_id_refuses_another_prefix_or_stray_characters():
    assert check_id("cus_abc", "customer", param="customer") == "cus_abc"
    for bad in ("in_abc", "cus_", "cus_a-b", "abc"):
        with pytest.raises(InvalidRequest):
            check_id(bad, "customer", param="customer")


@pytest.mark.parametrize(
    ("pairs", "fragment"),
    [
        (["novalue"], "must be KEY=VALUE"),
        (["k" * 41 + "=v"], "longer than 40"),
        (["a[b]=v"], "may not contain"),
        (["k=" + "v" * 501], "at most 500"),
        (["=v"], "empty"),
    ],
)
def test_metadata_limits_are_stripes(pairs, fragment):
    with pytest.raises(InvalidRequest, match=re.escape(fragment)):
        parse_pairs(pairs)


def test_metadata_empty_value_removes_and_51_keys_are_refused():
    assert merged({"a": "1", "b": "2"}, parse_pairs(["a=", "c=3"])) == {"b": "2", "c": "3"}
    with pytest.raises(InvalidRequest, match="at most 50 keys"):
        merged({}, parse_pairs([f"k{i}=v" for i in range(51)]))


@pytest.mark.parametrize("limit", [0, 101])
def test_limit_outside_1_to_100_is_refused(limit):
    with pytest.raises(InvalidRequest, match="between 1 and 100"):
        PageRequest(limit)


def test_both_cursors_are_refused():
    with pytest.raises(InvalidRequest, match="cannot be used together"):
        PageRequest(10, starting_after="cus_a", ending_before="cus_b")


def test_walk_follows_cursors_until_has_more_is_false():
    items = [{"id": f"x_{i}"} for i in range(7)]

    def fetch(request):
        start = 0
        if request.starting_after:
            start = next(i for i, o in enumerate(items) if o["id"] == request.starting_after) + 1
        chunk = items[start : start + request.limit]
        return Page("/v1/x", chunk, start + request.limit < len(items))

    pages = list(walk(fetch, PageRequest(3)))
    assert [len(p.data) for p in pages] == [3, 3, 1]
    assert [o["id"] for p in pages for o in p.data] == [o["id"] for o in items]
