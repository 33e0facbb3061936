"""Amounts as an operator types them: checked before anything is written.

The contract keeps Stripe's reading: a bare integer is in minor units (`500` is $5.00)
and a value with a decimal point is in major units (`5.00`). Two traps follow, and
this module closes both before a command opens its ledger:

- one command giving amounts in both forms (`--refund-amount 100 --credit-amount
  30.01`) is refused, naming both parameters: one of them is surely not meant;
- on a terminal, a bare integer worth less than one major unit (`--amount-off 5`, five
  cents) is said back in the currency's format and must be confirmed.

Scripts (no terminal) are never asked: for them a bare integer is minor units, as in
Stripe's API.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, Mapping
from typing import Any

from billcli.core.money import exponent, format_amount, parse_amount
from billcli.errors import InvalidRequest

# The options that take one amount, by parameter name.
SINGLE = ("amount", "unit_amount", "amount_off", "balance", "credit_amount", "refund_amount",
          "out_of_band_amount", "billing_threshold")  # fmt: skip
# `--line IL:AMOUNT` (not `IL:xQTY`), `--custom-line UNIT[xQTY]:TEXT` and
# `--tier UP_TO:UNIT[:FLAT]` carry amounts too.
_LINE_AMOUNT = re.compile(r"^[^:]+:([^x:][^:]*)$")
_CUSTOM_AMOUNT = re.compile(r"^([^:x]+)(?:x[^:]*)?:")
_TIER_AMOUNTS = re.compile(r"^[^:]+:([^:]+)(?::([^:]+))?$")
_DECIMAL = re.compile(r"^[+-]?[0-9]+\.[0-9]+$")
_BARE = re.compile(r"^[+-]?[0-9]+$")


def typed(options: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Each amount the command line gave: (option, text as typed)."""
    for name in SINGLE:
        value = options.get(name)
        if isinstance(value, str):
            yield "--" + name.replace("_", "-"), value.strip()
    for spec in options.get("line") or ():
        found = _LINE_AMOUNT.match(spec.strip())
        if found:
            yield "--line", found.group(1)
    for spec in options.get("custom_line") or ():
        found = _CUSTOM_AMOUNT.match(spec.strip())
        if found:
            yield "--custom-line", found.group(1).strip()
    for spec in options.get("tiers") or ():
        found = _TIER_AMOUNTS.match(spec.strip())
        if found:
            yield from (("--tier", part) for part in found.groups() if part is not None)


def check(options: Mapping[str, Any]) -> None:
    """Refuse amounts given in both forms; on a terminal, have a bare integer below one
    major unit confirmed."""
    amounts = list(typed(options))
    bare = [(option, text) for option, text in amounts if _BARE.match(text)]
    decimal = [(option, text) for option, text in amounts if _DECIMAL.match(text)]
    currency = options.get("currency")
    currency = currency.strip().lower() if isinstance(currency, str) else None
    if bare and decimal:
        (minor_option, minor), (major_option, major) = bare[0], decimal[0]
        raise InvalidRequest(
            f"Invalid {_param(minor_option)}: {minor_option} {minor} is in minor units "
            f"({_said(minor, currency)}) but {major_option} {major} is in major units "
            f"({_said(major, currency)}); write every amount of one command the same way "
            f"({_as_major(minor, currency)}, or {_as_minor(major, currency)})",
            param=_param(minor_option),
        )
    if not interactive():
        return
    for option, text in bare:
        places = exponent(currency or "usd")
        if places and 0 < abs(int(text)) < 10**places:
            meant, major = _said(text, currency), _as_major(text, currency)
            question = (
                f"{option} {text} means {text} minor units, {meant} ({major} would be "
                f"{_said(major, currency)}). Write {meant}"
            )
            if not _ask_on_terminal(question):
                raise InvalidRequest(
                    f"Invalid {_param(option)}: {option} {text} ({meant}) was not confirmed; "
                    f"nothing was written",
                    param=_param(option),
                )


def interactive() -> bool:
    """A person at a terminal, who can answer a question (not a script or a cron job)."""
    return sys.stdin.isatty() and sys.stderr.isatty()


def _ask_on_terminal(question: str) -> bool:
    sys.stderr.write(f"{question}? [y/N] ")
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def _param(option: str) -> str:
    return option.removeprefix("--").replace("-", "_")


def _said(text: str, currency: str | None) -> str:
    """The amount in the currency's format (usd's when the command names none)."""
    code = currency or "usd"
    shown = format_amount(parse_amount(text, code), code)
    return shown if currency else f"{shown} in usd"


def _as_major(text: str, currency: str | None) -> str:
    """A bare integer written in major units: `5` → `5.00`."""
    places = exponent(currency or "usd")
    if not places:
        return text
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text.lstrip("+"))
    return f"{sign}{digits}.{'0' * places}"


def _as_minor(text: str, currency: str | None) -> str:
    """A decimal written in minor units: `30.01` → `3001`."""
    return str(parse_amount(text, currency or "usd"))
