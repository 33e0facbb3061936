"""`reports tax` for people: per currency, each rate's tax per period (invoiced,
credited, voided, net, and the taxable amount it was computed on), a chart of each
rate's net over the window, and the window's net per jurisdiction."""

from __future__ import annotations

from rich.text import Text

from billcli.render.columns import KEEP
from billcli.render.report_parts import (
    Obj,
    amount,
    bar,
    chart,
    covers,
    heading,
    note,
    period_label,
    span_words,
    table,
)
from billcli.render.tables import console
from billcli.render.text import rate_words

FIGURES = ("taxable", "invoiced", "credited", "voided", "net")


def tax_view(report: Obj) -> None:
    out = console()
    by = report["by"]
    heading(f"Tax by {by} and rate, {span_words(report)}")
    rates = {r["id"]: rate_words(r) for r in report["rates"]}
    for currency in report["currencies"]:
        rows = [p for p in report["periods"] if p["currency"] == currency]
        out.print(Text(f"\n{currency.upper()}", style="bold cyan"))
        table(
            [by, "rate", "where", *FIGURES],
            (
                [
                    period_label(p, by),
                    rates[p["tax_rate"]],
                    p["jurisdiction"],
                    *(amount(p[k], currency) for k in FIGURES),
                ]
                for p in rows
                if any(p[k] for k in FIGURES)
            ),
            [KEEP, KEEP, 5, 6, 7, 4, 3, KEEP],
            text=(1, 2),
        )
        left_out = "(periods without tax left out; --json and --csv list them)"
        out.print(Text(left_out, style="dim"))
        nets: dict[str, int] = {}
        for p in rows:
            nets[p["tax_rate"]] = nets.get(p["tax_rate"], 0) + p["net"]
        top = max([*nets.values(), 0])
        chart(
            [
                f"{rates[rate][:24]:<25}{bar(net, top, '█')} {amount(net, currency)}"
                for rate, net in nets.items()
            ],
            "█ net tax over the window, per rate",
        )
        places = [j for j in report["jurisdictions"] if j["currency"] == currency]
        out.print()
        table(
            ["jurisdiction", "taxable", "net tax"],
            (
                [j["jurisdiction"], amount(j["taxable"], currency), amount(j["net"], currency)]
                for j in places
            ),
            [KEEP, 6, KEEP],
        )
    covers(report)
    note(report)
