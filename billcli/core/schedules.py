"""Subscription schedules' rules: how phases lie back to back, when the clock looks at
a schedule, and which statuses may still change.

Notes B.1–B.5: a phase lasts until its `end_date`, or `iterations` times its price's
interval (one when neither is given); the next phase starts where it ends. Release and
cancel only while `not_started` or `active`; the first phase of an update must keep the
current phase's start; `expiring` is sent seven days before the last phase ends. Pure:
instants and intervals are given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from billcli.core.dates import moment
from billcli.core.ids import check_id
from billcli.core.invoicing import check_choice
from billcli.core.metadata import merged, parse_pairs
from billcli.core.periods import boundary
from billcli.errors import InvalidRequest

if TYPE_CHECKING:
    from billcli.core.records.schedules import SubscriptionSchedule

STATUSES = ("not_started", "active", "completed", "released", "canceled")
LIVE = ("not_started", "active")
END_BEHAVIORS = ("release", "cancel")
PRORATION_BEHAVIORS = ("create_prorations", "always_invoice", "none")
COLLECTION_METHODS = ("charge_automatically", "send_invoice")
EXPIRING_NOTICE_S = 7 * 86_400
MAX_PHASES = 10
MAX_DESCRIPTION = 500
DEFAULT_DAYS_UNTIL_DUE = 30


@dataclass(frozen=True)
class Settings:
    """What a phase's subscription is billed with beside its items: a schedule's
    `default_settings`, or one phase's own (each unset one falls back to the default)."""

    collection_method: str | None = None
    days_until_due: int | None = None  # invoice_settings[days_until_due]
    default_payment_method: str | None = None
    description: str | None = None

    def checked(self, where: str | None = None) -> Settings:
        """`where`: a phase (its collection_method is the phase's own, checked there)."""
        at = f"{where}[{{}}]" if where else "default_settings[{}]"
        if where is None and self.collection_method is not None:
            check_choice(self.collection_method, COLLECTION_METHODS, at.format("collection_method"))
            self.check_due(self.collection_method, where)
        if self.days_until_due is not None and self.days_until_due < 0:
            param = at.format("invoice_settings][days_until_due")
            raise InvalidRequest(f"Invalid {param}: it cannot be negative", param=param)
        if self.default_payment_method is not None:
            check_id(self.default_payment_method, "payment_method",
                     param=at.format("default_payment_method"))  # fmt: skip
        if self.description is not None and len(self.description) > MAX_DESCRIPTION:
            param = at.format("description")
            raise InvalidRequest(
                f"Invalid {param}: at most {MAX_DESCRIPTION} characters", param=param
            )
        return self

    def check_due(self, collection_method: str, where: str | None) -> None:
        """Stripe's rule: days_until_due only with send_invoice."""
        if self.days_until_due is not None and collection_method != "send_invoice":
            at = (
                f"{where}[invoice_settings][days_until_due]"
                if where
                else ("default_settings[invoice_settings][days_until_due]")
            )
            raise InvalidRequest(
                f"Invalid {at}: only with collection_method send_invoice", param=at
            )

    def stored(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}


def effective(phase: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """A phase's billing settings: its own, else the schedule's default_settings, else
    Stripe's (charge_automatically; 30 days to pay a sent invoice)."""
    own = {**(phase.get("settings") or {}), "collection_method": phase.get("collection_method")}
    settings = {k: own.get(k) if own.get(k) is not None else defaults.get(k) for k in (
        "collection_method", "days_until_due", "default_payment_method", "description"
    )}  # fmt: skip
    settings["collection_method"] = settings["collection_method"] or "charge_automatically"
    if settings["collection_method"] == "send_invoice":
        settings["days_until_due"] = settings["days_until_due"] or DEFAULT_DAYS_UNTIL_DUE
    else:
        settings["days_until_due"] = None
    return settings


# What of a phase its subscription is given (`phases.apply_phase`), beside its settings.
APPLIED = ("items", "coupon", "trial_end", "metadata")


def changes_subscription(
    before: dict[str, Any],
    after: dict[str, Any],
    defaults_before: dict[str, Any],
    defaults_after: dict[str, Any],
) -> bool:
    """Whether a new version of the current phase changes what its subscription is
    given: its items, coupon, trial, metadata or billing settings."""
    return any(before.get(k) != after.get(k) for k in APPLIED) or effective(
        before, defaults_before
    ) != effective(after, defaults_after)


@dataclass(frozen=True)
class PhaseInput:
    """One phase as asked: its items (price, quantity) and how long it lasts."""

    items: tuple[tuple[str, int], ...] = ()
    start_date: int | str | None = None  # an update's first phase may say "now"
    end_date: int | None = None
    iterations: int | None = None
    duration: tuple[str, int] | None = None  # (interval, count): instead of the price's
    proration_behavior: str | None = None
    coupon: str | None = None
    trial_end: int | None = None
    trial: bool = False  # a trial for the whole phase
    collection_method: str | None = None
    currency: str | None = None  # the prices' currency, when the request says it
    metadata: tuple[str, ...] = ()
    settings: Settings = field(default_factory=Settings)

    def checked(self, n: int) -> PhaseInput:
        where = f"phases[{n}]"
        self.settings.checked(where)
        if isinstance(self.start_date, str) and (n or self.start_date != "now"):
            raise InvalidRequest(
                f"Invalid {where}[start_date]: '{self.start_date}' (a time"
                + ("" if n else ", or now")
                + ")",
                param=f"{where}[start_date]",
            )
        if not self.items:
            raise InvalidRequest(
                f"Missing required param: {where}[items].", param=f"{where}[items]"
            )
        lengths = [name for name in ("end_date", "iterations", "duration") if getattr(self, name)]
        if len(lengths) > 1:
            raise InvalidRequest(
                f"Invalid {where}[{lengths[1]}]: give {lengths[0]} or {lengths[1]}, not both",
                param=f"{where}[{lengths[1]}]",
            )
        if self.duration is not None and self.duration[1] < 1:
            raise InvalidRequest(
                f"Invalid {where}[duration][interval_count]: must be at least 1",
                param=f"{where}[duration][interval_count]",
            )
        if self.trial and self.trial_end is not None:
            raise InvalidRequest(
                f"Invalid {where}[trial]: give trial or trial_end, not both",
                param=f"{where}[trial]",
            )
        if self.iterations is not None and self.iterations < 1:
            raise InvalidRequest(
                f"Invalid {where}[iterations]: must be at least 1", param=f"{where}[iterations]"
            )
        if self.proration_behavior is not None:
            check_choice(self.proration_behavior, PRORATION_BEHAVIORS,
                         f"{where}[proration_behavior]")  # fmt: skip
        if self.collection_method is not None:
            check_choice(self.collection_method, COLLECTION_METHODS,
                         f"{where}[collection_method]")  # fmt: skip
            self.settings.check_due(self.collection_method, where)
        for m, (_, quantity) in enumerate(self.items):
            if quantity < 0:
                raise InvalidRequest(
                    f"Invalid {where}[items][{m}][quantity]: it cannot be negative",
                    param=f"{where}[items][{m}][quantity]",
                )
        parse_pairs(self.metadata)
        return self


def check_phases(phases: Sequence[PhaseInput]) -> None:
    if not phases:
        raise InvalidRequest("Missing required param: phases.", param="phases")
    if len(phases) > MAX_PHASES:
        raise InvalidRequest(f"Invalid phases: at most {MAX_PHASES}", param="phases")
    for n, phase in enumerate(phases):
        phase.checked(n)


def lay_out(
    start: int, phases: Sequence[PhaseInput], intervals: Sequence[tuple[str, int]], currency: str
) -> list[dict[str, Any]]:
    """The phases back to back from `start`: each ends at its `end_date`, or after
    `iterations` (one by default) of its price's interval."""
    laid: list[dict[str, Any]] = []
    at = start
    for n, (phase, (interval, count)) in enumerate(zip(phases, intervals, strict=True)):
        if n and isinstance(phase.start_date, int) and phase.start_date != at:
            word = "overlap" if phase.start_date < at else "leave a gap between them"
            raise InvalidRequest(
                f"Invalid phases[{n}][start_date]: phases must follow each other; "
                f"{moment(phase.start_date)} would {word} (phases[{n - 1}] ends at "
                f"{moment(at)})",
                param=f"phases[{n}][start_date]",
            )
        if phase.currency is not None and phase.currency.lower() != currency:
            raise InvalidRequest(
                f"Invalid phases[{n}][currency]: the phase's prices are in {currency}",
                param=f"phases[{n}][currency]",
            )
        end = phase.end_date
        if end is None and phase.duration is not None:
            end = boundary(at, phase.duration[0], phase.duration[1], 1)
        if end is None:
            end = boundary(at, interval, count, phase.iterations or 1)
        if end <= at:
            raise InvalidRequest(
                f"Invalid phases[{n}][end_date]: the phase must end after it starts "
                f"({moment(end)} is not after {moment(at)})",
                param=f"phases[{n}][end_date]",
            )
        laid.append(
            {
                "start_date": at,
                "end_date": end,
                "items": [{"price": p, "quantity": q} for p, q in phase.items],
                "proration_behavior": phase.proration_behavior or "create_prorations",
                "coupon": phase.coupon,
                "trial_end": end if phase.trial else phase.trial_end,
                "collection_method": phase.collection_method,
                "metadata": merged({}, parse_pairs(phase.metadata)),
                "currency": currency,
                "settings": {
                    k: v for k, v in phase.settings.stored().items() if k != "collection_method"
                },
            }
        )
        at = end
    return laid


def phase_at(phases: Sequence[dict[str, Any]], now: int) -> int | None:
    """The index of the phase `now` falls in (None before the first, after the last)."""
    for n, phase in enumerate(phases):
        if phase["start_date"] <= now < phase["end_date"]:
            return n
    return None


def next_action_at(s: SubscriptionSchedule) -> int | None:
    """When the clock must next look: the start, the current phase's end, the notice."""
    if s.status not in LIVE or not s.phases:
        return None
    if s.status == "not_started":
        return s.start_date
    instants = [int(s.phases[s.phase or 0]["end_date"])]
    last_end = int(s.phases[-1]["end_date"])
    if not s.expiring_sent:
        instants.append(last_end - EXPIRING_NOTICE_S)
    return min(instants)


def require_live(s: SubscriptionSchedule, doing: str) -> None:
    """Release, cancel and update only a schedule that is not_started or active."""
    if s.status not in LIVE:
        done = {"release": "released", "cancel": "canceled", "update": "updated"}[doing]
        raise InvalidRequest(
            f"You cannot {doing} a subscription schedule that is currently in the "
            f"`{s.status}` status. It must be in `not_started, active` status to be {done}.",
            param="schedule",
        )


def check_update_start(s: SubscriptionSchedule, first_start: int | str | None, now: int) -> int:
    """An update's first phase starts where the current phase started (or, before the
    schedule starts, anywhere from now on: "now" is `now`); no phase may lie wholly in
    the past."""
    if first_start == "now":
        first_start = now
    assert not isinstance(first_start, str), first_start  # refused by PhaseInput.checked
    if s.status == "active":
        current = int(s.phases[s.phase or 0]["start_date"])
        if first_start is not None and first_start != current:
            raise InvalidRequest(
                "You can not modify the start date of the current phase.",
                param="phases[0][start_date]",
            )
        return current
    if first_start is None:
        raise InvalidRequest(
            "The subscription schedule update is missing at least one phase with a "
            "`start_date` to anchor end dates to.",
            param="phases[0][start_date]",
        )
    if first_start < now:
        raise InvalidRequest(
            f"Invalid phases[0][start_date]: {moment(first_start)} is in the past; a "
            "schedule that has not started can only start from now on",
            param="phases[0][start_date]",
        )
    return first_start


def check_not_past(phases: Sequence[dict[str, Any]], now: int) -> None:
    for n, phase in enumerate(phases):
        if phase["end_date"] <= now:
            raise InvalidRequest(
                f"Invalid phases[{n}][end_date]: {moment(phase['end_date'])} is in the past; "
                "send only the current and future phases",
                param=f"phases[{n}][end_date]",
            )
