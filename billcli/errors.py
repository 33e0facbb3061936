"""Every failure a user can meet, as one hierarchy carrying Stripe's error fields.

Each kind names its exit code so that ``cli.main`` is the only place that turns an
exception into a process status, and scripts can rely on the contract's table.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any


class ExitCode(IntEnum):
    """The contract's exit statuses (docs: cli-contract §4)."""

    OK = 0
    INVALID_REQUEST = 1
    USAGE = 2
    LEDGER_UNUSABLE = 3
    CARD_DECLINED = 4
    IDEMPOTENCY = 5
    NOT_FOUND = 6
    INTERNAL = 70
    INTERRUPTED = 130


class ExitStatus(Exception):
    """A command that has printed its answer and ends with a status other than 0 (a
    `ledger check` that found problems): not an error to report again."""

    def __init__(self, status: ExitCode):
        super().__init__(int(status))
        self.status = status


# Where a person finds the ids that do exist, named in "no such …" errors.
_LISTS = {
    "customer": "billcli customers list",
    "invoice": "billcli invoices list",
    "invoiceitem": "billcli invoices items list",
    "customer balance transaction": "billcli balance list CUSTOMER",
    "event": "billcli events list",
    "email": "billcli invoices outbox",
    "PaymentMethod": "billcli payment-methods list --customer CUSTOMER",
    "payment_intent": "billcli payment-intents list",
    "charge": "billcli charges list",
    "refund": "billcli refunds list",
    "setup_intent": "billcli setup-intents list",
    "tax ID": "billcli customers tax-ids list CUSTOMER",
}


class BillingError(Exception):
    """Base of every expected failure; never shown with a traceback."""

    type = "api_error"
    exit_code = ExitCode.INTERNAL
    # The HTTP status the API answers with, where it is not its kind's usual one.
    http_status: int | None = None

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.param = param
        self.code = code

    @property
    def summary(self) -> str:
        """The one line a person reads on stderr."""
        return self.message

    @property
    def details(self) -> list[str]:
        """Further lines under the one-line message (the bad rows of an import)."""
        return []

    def to_stripe(self) -> dict[str, Any]:
        """The Stripe error object (`{"error": {...}}`), without empty fields."""
        body: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.code:
            body["code"] = self.code
        if self.param:
            body["param"] = self.param
        return {"error": body}


class InvalidRequest(BillingError):
    """A bad value, a call in the wrong state, or a clock moving backwards."""

    type = "invalid_request_error"
    exit_code = ExitCode.INVALID_REQUEST

    @classmethod
    def missing(cls, param: str, hint: str = "") -> InvalidRequest:
        """Stripe's answer to a required parameter left out (`hint`: what may stand
        instead, in parentheses)."""
        said = f" ({hint})" if hint else ""
        return cls(f"Missing required param: {param}{said}.", param=param, code="parameter_missing")

    @classmethod
    def exclusive(cls, names: tuple[str, ...], param: str) -> InvalidRequest:
        """Stripe's answer to parameters that cannot be given together (`param`: the
        one it names)."""
        return cls(
            f"You may only specify one of these parameters: {', '.join(sorted(names))}.",
            param=param,
            code="parameters_exclusive",
        )

    @classmethod
    def already_exists(cls, kind: str) -> InvalidRequest:
        """Stripe's answer to an `id` given that an object of the `kind` already has
        (coupons, products and plans take ids of their own)."""
        return cls(f"{kind} already exists.", param="id", code="resource_already_exists")

    def respelled(self, param: str) -> None:
        """Name the parameter as the request spelled it (`price_data[currency]` for a
        service's `currency`): in `param`, and where the message names it."""
        if self.param is not None:
            self.message = self.message.replace(f" {self.param}:", f" {param}:", 1)
            self.message = self.message.replace(f" {self.param}.", f" {param}.", 1)
            self.args = (self.message,)
        self.param = param


class BadUsage(InvalidRequest):
    """Options that cannot go together, found after parsing; exits as a usage error."""

    exit_code = ExitCode.USAGE


class NotFound(InvalidRequest):
    """An id that does not exist in this ledger (or belongs to someone else)."""

    exit_code = ExitCode.NOT_FOUND

    def __init__(
        self,
        kind: str,
        object_id: str,
        *,
        param: str | None = None,
        message: str | None = None,
        code: str = "resource_missing",
    ):
        super().__init__(message or f"No such {kind}: '{object_id}'", param=param, code=code)
        self.kind = kind

    def respelled(self, param: str) -> None:
        """Only the parameter: the message names the kind of object ("No such coupon"),
        whatever the request called the parameter."""
        self.param = param

    @property
    def summary(self) -> str:
        """The message, and where to find the ids that do exist."""
        hint = _LISTS.get(self.kind)
        return f"{self.message}; see `{hint}`" if hint else self.message


class LinkExpired(InvalidRequest):
    """A portal or invoice link that is unknown, used or out of date.

    It carries only where the customer may go back to, never whose link it was.
    """

    def __init__(self, message: str, *, return_url: str | None = None):
        super().__init__(message, code="link_expired")
        self.return_url = return_url


class CardDeclined(BillingError):
    """A simulated card refused a charge, an attachment or a setup, or a payment waits
    for the customer to authenticate (`invoice_payment_intent_requires_action`).

    `recorded` says the failed attempt was written (its charge, the intent's error, the
    invoice's attempt) and must be committed before the error is reported: the CLI and
    the API raise it after their transaction ends, never through it.
    """

    type = "card_error"
    exit_code = ExitCode.CARD_DECLINED

    def __init__(
        self,
        message: str,
        *,
        code: str = "card_declined",
        decline_code: str | None = None,
        param: str | None = None,
        doc_url: str | None = None,
        charge: str | None = None,
        payment_intent: dict[str, Any] | None = None,
        setup_intent: dict[str, Any] | None = None,
        recorded: bool = False,
    ):
        super().__init__(message, param=param, code=code)
        self.decline_code = decline_code
        self.doc_url = doc_url
        self.charge = charge
        self.payment_intent = payment_intent
        self.setup_intent = setup_intent
        self.recorded = recorded

    @property
    def summary(self) -> str:
        reason = ", ".join(filter(None, [self.code, self.decline_code]))
        where = f" ({self.param})" if self.param else ""
        return f"{self.message} [{reason}]{where}"

    def to_stripe(self) -> dict[str, Any]:
        body = super().to_stripe()
        extra = {
            "decline_code": self.decline_code,
            "doc_url": self.doc_url,
            "charge": self.charge,
            "payment_intent": self.payment_intent,
            "setup_intent": self.setup_intent,
        }
        body["error"].update({key: value for key, value in extra.items() if value})
        return body


class IdempotencyConflict(BillingError):
    """An idempotency key replayed with other parameters or by another command."""

    type = "idempotency_error"
    exit_code = ExitCode.IDEMPOTENCY


class LedgerUnusable(BillingError):
    """The ledger file cannot be used: not SQLite, not a ledger, newer, locked, full."""

    type = "api_error"
    exit_code = ExitCode.LEDGER_UNUSABLE


class LedgerDamaged(LedgerUnusable):
    """SQLite, or billcli reading a row back, found the ledger file damaged: the command
    stops before writing anything, and `ledger check` names what is damaged."""
