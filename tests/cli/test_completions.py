"""Committed completion scripts match the app, and bash really completes with them."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "completions"))

from generate import scripts  # noqa: E402


def test_committed_completion_scripts_are_current():
    for name, text in scripts().items():
        committed = (REPO / "completions" / name).read_text()
        assert committed == text, f"completions/{name} is stale: run completions/generate.py"


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_and_options_through_the_script(tmp_path):
    shim = tmp_path / "billcli"
    shim.write_text(f'#!/bin/sh\nexec {sys.executable} -m billcli "$@"\n')
    shim.chmod(0o755)
    probe = (
        f"source {REPO / 'completions' / 'billcli.bash'}\n"
        "COMP_WORDS=(billcli customers li); COMP_CWORD=2\n"
        "_billcli_completion billcli\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}
    out = subprocess.run(
        ["bash", "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["list"]


def bash_complete(tmp_path, ledger_path, line):
    """Candidates bash's completion function offers for `line` (the word at its end)."""
    shim = tmp_path / "bin" / "billcli"
    shim.parent.mkdir(exist_ok=True)
    shim.write_text(f'#!/bin/sh\nexec {sys.executable} -m billcli "$@"\n')
    shim.chmod(0o755)
    words = line.split(" ")
    probe = (
        f"source {REPO / 'completions' / 'billcli.bash'}\n"
        f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
        "_billcli_completion billcli\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    env = {
        **os.environ,
        "PATH": f"{shim.parent}:{os.environ['PATH']}",
        "BILLCLI_LEDGER": str(ledger_path),
    }
    done = subprocess.run(
        ["bash", "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert done.stderr == ""
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_offers_customer_ids_then_only_payable_invoices(tmp_path, ledger_path, books):
    assert sorted(bash_complete(tmp_path, ledger_path, "billcli balance list ")) == sorted(
        [books["ada"], books["grace"]]
    )
    assert bash_complete(tmp_path, ledger_path, "billcli balance list gra") == [books["grace"]]
    assert bash_complete(tmp_path, ledger_path, "billcli balance list ada@") == [books["ada"]]
    assert bash_complete(tmp_path, ledger_path, "billcli invoices pay ") == [books["open"]]
    assert bash_complete(tmp_path, ledger_path, "billcli invoices finalize ") == [books["draft"]]
    assert bash_complete(tmp_path, ledger_path, f"billcli balance show {books['ada']} ") == [
        books["txn"]
    ]
    assert bash_complete(tmp_path, ledger_path, "billcli invoices list --status un") == [
        "uncollectible"
    ]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_a_missing_ledger_completes_nothing_and_creates_nothing(tmp_path):
    missing = tmp_path / "nowhere" / "ledger.db"
    assert bash_complete(tmp_path, missing, "billcli customers show ") == []
    assert not missing.parent.exists()


def test_zsh_and_fish_get_names_as_help(ledger_path, books):
    for shell in ("zsh", "fish"):
        env = {
            **os.environ,
            "BILLCLI_LEDGER": str(ledger_path),
            "_BILLCLI_COMPLETE": f"complete_{shell}",
            "_TYPER_COMPLETE_ARGS": "billcli customers show ",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        }
        out = subprocess.run(
            [sys.executable, "-m", "billcli"], env=env, capture_output=True, text=True
        ).stdout
        assert books["ada"] in out and "Ada Lovelace <ada@example.com>" in out, (shell, out)


HEAVY = ("rich", "sqlite_utils", "pygments", "starlette", "jinja2", "uvicorn", "fpdf")


@pytest.mark.parametrize(
    "line", ["billcli balance list ", "billcli portal sessions create --configuration "]
)
def test_completion_imports_neither_rich_nor_sqlite_utils_nor_the_web_stack(
    ledger_path, books, line
):
    code = (
        "import os, sys\n"
        "os.environ['_BILLCLI_COMPLETE'] = 'complete_bash'\n"
        f"os.environ['COMP_WORDS'] = {line!r}\n"
        f"os.environ['COMP_CWORD'] = '{len(line.split())}'\n"
        "from billcli.cli.main import run\n"
        "try:\n    run([])\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
    )
    env = {**os.environ, "BILLCLI_LEDGER": str(ledger_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_install_completion_writes_the_script_where_the_shell_reads_it(tmp_path):
    # The shell named, not detected: shellingham reads the test's process tree, which
    # under pytest-xdist does not always lead to a shell (Typer's own tests do this).
    env = {**os.environ, "HOME": str(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "billcli", "--install-completion", "bash"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    installed = tmp_path / ".bash_completions" / "billcli.sh"
    assert "_billcli_completion" in installed.read_text()
    assert str(installed) in (tmp_path / ".bashrc").read_text()


def shell_needed(name: str) -> None:
    """Skip when the shell is missing, except in CI (`.ci/run` installs it)."""
    if shutil.which(name) is None:
        if os.environ.get("BILLCLI_REQUIRE_SHELLS"):
            pytest.fail(f"{name} is required here and not installed")
        pytest.skip(f"{name} is not installed (apt-get install {name})")


def shim_path(tmp_path):
    shim = tmp_path / "bin" / "billcli"
    shim.parent.mkdir(exist_ok=True)
    shim.write_text(f'#!/bin/sh\nexec {sys.executable} -m billcli "$@"\n')
    shim.chmod(0o755)
    return f"{shim.parent}:{os.environ['PATH']}"


def test_fish_offers_customer_ids_with_names_in_a_real_fish(tmp_path, ledger_path, books):
    shell_needed("fish")
    probe = f"source {REPO / 'completions' / 'billcli.fish'}; complete -C 'billcli balance list '"
    env = {**os.environ, "PATH": shim_path(tmp_path), "BILLCLI_LEDGER": str(ledger_path)}
    out = subprocess.run(
        ["fish", "--no-config", "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert f"{books['ada']}\tAda Lovelace <ada@example.com>" in out.splitlines()


def test_zsh_offers_customer_ids_with_names_on_a_real_tab(tmp_path, ledger_path, books):
    shell_needed("zsh")
    shell_needed("tmux")
    session = f"billcli-zsh-{os.getpid()}"
    env = {
        **os.environ,
        "PATH": shim_path(tmp_path),
        "BILLCLI_LEDGER": str(ledger_path),
        "HOME": str(tmp_path),
        "TMUX": "",
    }
    tmux = ["tmux", "-L", session]
    subprocess.run(
        [*tmux, "new-session", "-d", "-x", "200", "-y", "40", "zsh -f"], env=env, check=True
    )
    try:
        script = REPO / "completions" / "billcli.zsh"
        setup = f"autoload -U compinit && compinit -u && source {script}"
        subprocess.run([*tmux, "send-keys", setup, "Enter"], check=True)
        # The first TAB inserts the ids' common prefix; the next one lists them.
        subprocess.run([*tmux, "send-keys", "billcli balance list ", "Tab"], check=True)
        screen = ""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "Ada Lovelace" not in screen:
            time.sleep(1)
            subprocess.run([*tmux, "send-keys", "Tab"], check=True)
            screen = subprocess.run(
                [*tmux, "capture-pane", "-p"], capture_output=True, text=True, check=True
            ).stdout
    finally:
        subprocess.run([*tmux, "kill-server"], check=False)
    assert books["ada"] in screen and "Ada Lovelace <ada@example.com>" in screen, screen


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_offers_products_the_right_kind_of_price_and_subscriptions(tmp_path, ledger_path, ok):
    ok("products", "create", "--name", "Pro plan", "--id", "pro")
    monthly = ok(
        "prices",
        "create",
        "--product",
        "pro",
        "--currency",
        "usd",
        "--unit-amount",
        "2000",
        "--recurring-interval",
        "month",
        "--nickname",
        "Monthly",
    )["id"]
    setup = ok("prices", "create", "--product", "pro", "--currency", "usd", "--unit-amount", "500")[
        "id"
    ]
    ada = ok("customers", "create", "--name", "Ada", "--payment-method", "pm_card_visa")["id"]
    sub = ok("subscriptions", "create", "--customer", ada, "--price", monthly)["id"]
    assert bash_complete(tmp_path, ledger_path, "billcli products show p") == ["pro"]
    offered = bash_complete(
        tmp_path, ledger_path, f"billcli subscriptions create --customer {ada} --price "
    )
    assert offered == [monthly]  # only recurring prices
    one_time = bash_complete(
        tmp_path, ledger_path, f"billcli invoices items create --customer {ada} --price "
    )
    assert one_time == [setup]
    assert bash_complete(tmp_path, ledger_path, "billcli subscriptions show ") == [sub]
    assert bash_complete(tmp_path, ledger_path, "billcli prices show ") == [setup, monthly]


def test_bash_offers_coupons_by_code_or_name_and_credit_notes(tmp_path, ledger_path, ok):
    ok("coupons", "create", "--id", "SPRING10", "--percent-off", "10", "--name", "Spring")
    ok("coupons", "create", "--id", "FLAT5", "--amount-off", "500", "--currency", "usd")
    ada = ok("customers", "create", "--name", "Ada")["id"]
    ok("invoices", "items", "create", "--customer", ada, "--amount", "1000")
    draft = ok("invoices", "create", "--customer", ada, "--pending-items", "include")["id"]
    ok("invoices", "finalize", draft)
    note = ok("credit-notes", "create", "--invoice", draft, "--amount", "100")["id"]
    assert bash_complete(tmp_path, ledger_path, "billcli cou") == ["coupons"]
    assert bash_complete(tmp_path, ledger_path, "billcli coupons show S") == ["SPRING10"]
    assert bash_complete(tmp_path, ledger_path, f"billcli customers update {ada} --coupon F") == [
        "FLAT5"
    ]
    assert bash_complete(tmp_path, ledger_path, "billcli credit-notes void cn_") == [note]


def test_bash_offers_active_tax_rates_wherever_a_rate_is_named(tmp_path, ledger_path, ok):
    vat = ok("tax-rates", "create", "--display-name", "VAT", "--percentage", "20")["id"]
    old = ok("tax-rates", "create", "--display-name", "Old", "--percentage", "19")["id"]
    ok("tax-rates", "update", old, "--no-active")
    ada = ok("customers", "create", "--name", "Ada")["id"]
    assert bash_complete(tmp_path, ledger_path, "billcli tax-rates show txr_") == [old, vat]
    line = f"billcli invoices items create --customer {ada} --amount 100 --tax-rate txr_"
    assert bash_complete(tmp_path, ledger_path, line) == [vat]
    line = f"billcli subscriptions create --customer {ada} --default-tax-rate "
    assert bash_complete(tmp_path, ledger_path, line) == [vat]


def test_bash_offers_payment_methods_intents_charges_and_refunds(tmp_path, ledger_path, ok):
    ada = ok("customers", "create", "--name", "Ada", "--payment-method", "pm_card_visa")["id"]
    card = ok("customers", "show", ada)["invoice_settings"]["default_payment_method"]
    paid = ok(
        "payment-intents",
        "create",
        "--amount",
        "900",
        "--currency",
        "usd",
        "--payment-method",
        card,
        "--customer",
        ada,
        "--confirm",
    )
    waiting = ok("payment-intents", "create", "--amount", "500", "--currency", "usd")
    refund = ok("refunds", "create", "--charge", paid["latest_charge"], "--amount", "100")
    setup = ok("setup-intents", "create", "--customer", ada)
    line = "billcli invoices pay in_x --payment-method "
    offered = bash_complete(tmp_path, ledger_path, line + "pm_")
    assert offered[0] == card and "pm_card_visa" in offered
    assert bash_complete(tmp_path, ledger_path, "billcli payment-methods show pm_card_v") == [
        "pm_card_visa",
        "pm_card_visa_debit",
        "pm_card_visa_chargeDeclined",
        "pm_card_visa_chargeDeclinedInsufficientFunds",
        "pm_card_visa_chargeDeclinedLostCard",
        "pm_card_visa_chargeDeclinedStolenCard",
        "pm_card_visa_chargeDeclinedVelocityLimitExceeded",
    ]
    new = bash_complete(
        tmp_path, ledger_path, "billcli customers create --payment-method pm_card_vi"
    )
    assert new == ["pm_card_visa", "pm_card_visa_debit"]  # only cards that can be saved
    confirmable = bash_complete(tmp_path, ledger_path, "billcli payment-intents confirm pi_")
    assert confirmable == [waiting["id"]]
    assert bash_complete(tmp_path, ledger_path, "billcli refunds create --charge ch_") == [
        paid["latest_charge"]
    ]
    assert bash_complete(tmp_path, ledger_path, "billcli refunds show re_") == [refund["id"]]
    assert bash_complete(tmp_path, ledger_path, "billcli setup-intents show seti_") == [setup["id"]]


def test_bash_offers_only_intents_that_hold_a_capture_to_payment_intents_capture(
    tmp_path, ledger_path, ok
):
    def intent(*extra):
        made = ok(
            "payment-intents",
            "create",
            *("--amount", "900", "--currency", "usd", "--payment-method", "pm_card_visa"),
            *extra,
        )
        return made["id"]

    held = intent("--capture-method", "manual", "--confirm")
    intent("--confirm")  # succeeded
    intent()  # waiting for its confirmation
    line = "billcli payment-intents capture pi_"
    assert bash_complete(tmp_path, ledger_path, line) == [held]


def test_bash_completes_the_fields_of_a_search_query(tmp_path, ledger_path, ok):
    ok("ledger", "init")
    assert bash_complete(tmp_path, ledger_path, "billcli customers search em") == ["email:"]
    assert bash_complete(tmp_path, ledger_path, "billcli customers search meta") == ["metadata['"]
    fields = bash_complete(tmp_path, ledger_path, "billcli subscriptions search ")
    assert fields == ["canceled_at:", "created:", "metadata['", "status:"]


ID_OPTIONS = {
    "--customer": "customers",
    "--invoice": "invoices",
    "--subscription": "subscriptions",
    "--price": "prices",
    "--product": "products",
    "--coupon": "coupons",
    "--promotion-code": "promotion_codes",
    "--payment-method": "payment_methods",
    "--default-payment-method": "payment_methods",
    "--payment-intent": "payment_intents",
    "--charge": "charges",
    "--tax-rate": "tax_rates",
    "--default-tax-rate": "tax_rates",
}


def test_every_option_that_takes_an_id_completes_ids_of_its_kind():
    """A filter such as `invoices items list --customer` completes as `invoices list
    --customer` does: the options are declared once, in `cli/options.py` or beside."""
    from billcli.cli.signature_table import table

    lacking = [
        f"{command} {param['opts'][0]}"
        for command, entry in table().items()
        for param in entry.get("params", [])
        if param["opts"][:1]
        and param["opts"][0] in ID_OPTIONS
        and (param["completer"] or [None])[0] != ID_OPTIONS[param["opts"][0]]
    ]
    assert lacking == []
