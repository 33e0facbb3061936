"""The one pagination request every list command shares, checked before any read."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from billcli.errors import InvalidRequest, NotFound

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
# Stripe's `created` filter: `created=T` (that second) or `created[gt|gte|lt|lte]=T`.
CREATED_BOUNDS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<=", "eq": "="}


class Tally:
    """Where a page that was asked for its `total_count` (`include[]=total_count`)
    leaves the number of objects its filters match, over every page."""

    def __init__(self) -> None:
        self.count: int | None = None


@dataclass(frozen=True)
class PageRequest:
    """Which slice of a newest-first list is wanted (Stripe's cursor pagination)."""

    limit: int = DEFAULT_LIMIT
    starting_after: str | None = None
    ending_before: str | None = None
    created: tuple[tuple[str, int], ...] = ()  # (bound, unix time): ("gte", 1700000000)
    tally: Tally | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidRequest(
                f"Invalid limit: {self.limit} (it must be between 1 and {MAX_LIMIT})",
                param="limit",
            )
        if self.starting_after and self.ending_before:
            raise InvalidRequest(
                "Invalid ending_before: starting_after and ending_before cannot be used together",
                param="ending_before",
            )

        for bound, _ in self.created:
            if bound not in CREATED_BOUNDS:
                raise InvalidRequest(
                    f"Received unknown parameter: created[{bound}]",
                    param=f"created[{bound}]",
                    code="parameter_unknown",
                )

    @property
    def cursor(self) -> str | None:
        return self.starting_after or self.ending_before

    @property
    def cursor_param(self) -> str:
        return "ending_before" if self.ending_before else "starting_after"

    @property
    def backwards(self) -> bool:
        """True when paging towards newer objects (`ending_before`)."""
        return self.ending_before is not None


@dataclass(frozen=True)
class Range:
    """A list filter on a time (`due_date[gte]=…`, or one exact value), as bounds."""

    gt: int | None = None
    gte: int | None = None
    lt: int | None = None
    lte: int | None = None

    def named(self) -> list[tuple[str, int]]:
        """(bound, value) of each bound given: ("gte", 1700000000)."""
        return [
            (name, value)
            for name in ("gt", "gte", "lt", "lte")
            if (value := getattr(self, name)) is not None
        ]

    def bounds(self) -> list[tuple[str, int]]:
        """(operator, value) of each bound given."""
        return [(CREATED_BOUNDS[name], value) for name, value in self.named()]


@dataclass(frozen=True)
class Page:
    """One page of Stripe objects, newest first, and whether more lie beyond it: a
    `list`, or a `search_result` whose `next_page` token continues it."""

    url: str
    data: list[dict[str, object]]
    has_more: bool
    next_page: str | None = None
    object_type: str = "list"

    def to_stripe(self) -> dict[str, object]:
        head: dict[str, object] = {
            "object": self.object_type,
            "url": self.url,
            "has_more": self.has_more,
        }
        if self.object_type == "search_result":
            head["next_page"] = self.next_page
        return head | {"data": self.data}


def sliced(url: str, rows: list[dict[str, object]], request: PageRequest, kind: str) -> Page:
    """One page of a list held whole, in its own order (a subscription's items): after
    `starting_after`, or the `limit` just before `ending_before`; a cursor that is not in
    the list is Stripe's `resource_missing`, naming the cursor's parameter."""
    ids = [row["id"] for row in rows]
    if request.tally is not None:
        request.tally.count = len(rows)
    start, end = 0, len(rows)
    if request.cursor is not None:
        if request.cursor not in ids:
            raise NotFound(kind, request.cursor, param=request.cursor_param)
        at = ids.index(request.cursor)
        start, end = (start, at) if request.backwards else (at + 1, end)
    if request.backwards:
        first = max(start, end - request.limit)
        return Page(url, rows[first:end], first > start)
    last = min(end, start + request.limit)
    return Page(url, rows[start:last], last < end)


def walk(fetch: Callable[[PageRequest], Page], first: PageRequest) -> Iterator[Page]:
    """Every page from `first` onwards, one at a time, so `--all` runs in constant memory."""
    request = first
    while True:
        page = fetch(request)
        yield page
        if not page.has_more or not page.data:
            return
        edge = page.data[0] if request.backwards else page.data[-1]
        cursor = str(edge["id"])
        request = (
            replace(request, starting_after=None, ending_before=cursor)
            if request.backwards
            else replace(request, starting_after=cursor, ending_before=None)
        )
