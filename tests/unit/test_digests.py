"""The copy's proof: a table's digest ignores the order rows come in (the engines read
them in different orders) and sees any change of a value, even of its type alone."""

from __future__ import annotations

from billcli.core.digests import TableDigest, first_difference, ledger_digest

ROWS = [(1, "cus_a", 500, None), (2, "cus_b", -250, "note"), (3, "cus_c", 0, "x")]


def digest_of(*batches: list[tuple[object, ...]]) -> TableDigest:
    digest = TableDigest()
    for batch in batches:
        digest.add(batch)
    return digest


def test_the_digest_of_a_table_is_the_same_in_any_order_and_any_batching() -> None:
    once = digest_of(ROWS)
    assert digest_of(list(reversed(ROWS))) == once
    assert digest_of(ROWS[2:], ROWS[:1], ROWS[1:2]) == once
    assert once.rows == 3


def test_a_changed_value_a_changed_type_or_a_lost_row_changes_it() -> None:
    once = digest_of(ROWS)
    assert digest_of([*ROWS[:2], (3, "cus_c", 1, "x")]).total != once.total
    assert digest_of([*ROWS[:2], (3, "cus_c", 0.0, "x")]).total != once.total  # a float
    assert digest_of([*ROWS[:2], (3, "cus_c", "0", "x")]).total != once.total  # a text
    assert digest_of(ROWS[:2]).rows == 2


def test_the_first_difference_names_the_table_and_how_it_differs() -> None:
    source = {"charges": digest_of(ROWS), "customers": digest_of(ROWS[:1])}
    assert first_difference(source, {**source}) is None
    short = {**source, "charges": digest_of(ROWS[:2])}
    assert first_difference(source, short) == (
        "charges",
        "3 rows in the source, 2 in the copy",
    )
    changed = {**source, "customers": digest_of([(1, "cus_a", 501, None)])}
    assert first_difference(source, changed) == (
        "customers",
        "the same number of rows, but their content differs",
    )
    assert ledger_digest(source) != ledger_digest(short)
