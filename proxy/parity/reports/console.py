"""The terminal: a rich progress bar while cases run, then a table per route."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from proxy.parity.runner import CaseOutcome, ParityRun, route_key


def summary_table(run: ParityRun) -> Table:
    table = Table(title="strangler parity")
    for column in ("route", "cases run", "equal", "differing", "noise", "errors"):
        table.add_column(column, justify="left" if column == "route" else "right")
    for summary in run.summaries():
        table.add_row(
            summary.route,
            str(summary.cases),
            f"[green]{summary.equal}[/]",
            f"[red bold]{summary.differing}[/]" if summary.differing else "0",
            f"[yellow]{summary.noise}[/]" if summary.noise else "0",
            f"[red bold]{summary.errors}[/]" if summary.errors else "0",
        )
    return table


def print_report(run: ParityRun, console: Console, *, shown: int = 20) -> None:
    console.print(summary_table(run))
    for summary in run.summaries():
        if summary.noisy_paths:
            console.print(f"[yellow]noise[/] {summary.route}: {', '.join(summary.noisy_paths)}")
    if run.not_routed:
        console.print(
            f"{run.not_routed} generated request(s) not compared: the front sends them to legacy "
            "(the route's path template does not match them)"
        )
    differing = run.differing
    groups: dict[tuple[str, ...], list[CaseOutcome]] = {}
    for outcome in differing:
        signature = (
            route_key(outcome.case),
            outcome.error or "",
            *sorted({str(d.path.generalised()) for d in outcome.comparison.real}),
        )
        groups.setdefault(signature, []).append(outcome)
    for outcomes in list(groups.values())[:shown]:
        first = outcomes[0]
        more = f" (and {len(outcomes) - 1} similar case(s))" if len(outcomes) > 1 else ""
        console.print(
            f"✗ {first.case.label} as {first.identity}{more}",
            style="red",
            highlight=False,
            markup=False,
        )
        if first.error:
            console.print(f"    error: {first.error}", highlight=False, markup=False)
        for difference in first.comparison.real:
            console.print(f"    {difference}", highlight=False, markup=False)
        console.print(f"    {first.request.curl(run.legacy_base)}", highlight=False, markup=False)
    if len(groups) > shown:
        console.print(f"... and {len(groups) - shown} more kinds of difference: see --html/--json")
    console.print(
        f"[red bold]{len(differing)} case(s) differ[/]"
        if differing
        else "[green]no real difference[/]"
    )
