"""The process entry point: the one place where failures become exit codes.

Expected failures print one line on stderr (and the Stripe error object on stdout
with `--json`); a bug prints one line too, with a hint that `BILLCLI_DEBUG=1` shows
the traceback. Nothing else in billcli calls `sys.exit`.
"""

from __future__ import annotations

import json
import os
import sys
from typing import NoReturn

from billcli.errors import BillingError, ExitCode, ExitStatus


def _fail(error: BillingError, as_json: bool) -> int:
    if as_json:
        sys.stdout.write(json.dumps(error.to_stripe(), indent=2, ensure_ascii=False) + "\n")
    sys.stderr.write(f"error: {error.summary}\n")
    for line in error.details:
        sys.stderr.write(f"  {line}\n")
    return int(error.exit_code)


def run(args: list[str]) -> int:
    """Run billcli with `args`; return the exit status."""
    as_json = "--json" in args
    try:
        # startup: Typer and click load only for lines the fast path leaves to them
        from billcli.cli import fastpath

        status = fastpath.run(args, os.environ)
        return _run_typer(args) if status is None else status
    except BillingError as error:
        return _fail(error, as_json)
    except ExitStatus as done:
        return int(done.status)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        # A reader such as `head` went away: stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return int(ExitCode.OK)
    except Exception as bug:
        if os.environ.get("BILLCLI_DEBUG"):
            # startup: Typer and click load only for lines the fast path leaves to them
            import traceback

            traceback.print_exc()
        message = f"internal error: {type(bug).__name__}: {bug}"
        hint = "" if os.environ.get("BILLCLI_DEBUG") else " (BILLCLI_DEBUG=1 shows the traceback)"
        sys.stderr.write(message.splitlines()[0] + hint + "\n")
        if as_json:
            body = {"error": {"type": "api_error", "message": message}}
            sys.stdout.write(json.dumps(body, indent=2) + "\n")
        return int(ExitCode.INTERNAL)


def _run_typer(args: list[str]) -> int:
    """Run the line through Typer: every line the fast path leaves to it."""
    # startup: Typer and click load only for lines the fast path leaves to them
    import click

    # startup: Typer and click load only for lines the fast path leaves to them
    from billcli.cli.app import build, named
    from billcli.cli.fastpath import negations_last

    args = negations_last(args)
    try:
        app = build(*named(args))
        # Outside standalone mode click returns the status of `typer.Exit` instead of raising.
        status = app(args, prog_name="billcli", standalone_mode=False)
        return status if isinstance(status, int) else int(ExitCode.OK)
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.exceptions.UsageError as usage:
        usage.show()
        return int(ExitCode.USAGE)
    except click.exceptions.ClickException as other:
        other.show()
        return int(other.exit_code)
    except click.exceptions.Abort as interrupted:
        raise KeyboardInterrupt from interrupted


def main() -> NoReturn:
    sys.exit(run(sys.argv[1:]))
