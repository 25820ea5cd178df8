"""The terminal: a rich progress bar while cases run, then a table per route."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from proxy.parity.runner import BOTH_FAILED, CaseOutcome, ParityRun, route_key


def summary_table(run: ParityRun) -> Table:
    table = Table(title="strangler parity")
    columns = ("route", "cases run", "equal", "differing", "noise", "both failed", "errors")
    for column in columns:
        if column == "route":
            table.add_column(column, overflow="fold")  # wrapped, never cut with "…"
        else:
            table.add_column(column, justify="right")
    for summary in run.summaries():
        table.add_row(
            summary.route,
            str(summary.cases),
            f"[green]{summary.equal}[/]",
            f"[red bold]{summary.differing}[/]" if summary.differing else "0",
            f"[yellow]{summary.noise}[/]" if summary.noise else "0",
            f"[red bold]{summary.both_failed}[/]" if summary.both_failed else "0",
            f"[red bold]{summary.errors}[/]" if summary.errors else "0",
        )
    return table


def _plain(console: Console, text: str, style: str | None = None) -> None:
    """One line as written: no markup, and never wrapped (a curl command stays pasteable)."""
    console.print(text, style=style, highlight=False, markup=False, soft_wrap=True)


def print_report(run: ParityRun, console: Console, *, shown: int = 20) -> None:
    for note in run.live_mode_notes:
        _plain(console, note)
    for route in run.skipped_retired:
        _plain(console, f"skipped {route}: retired (the front answers it 404)")
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
            outcome.verdict,
            outcome.error or "",
            *sorted({str(d.path.generalised()) for d in outcome.comparison.real}),
        )
        groups.setdefault(signature, []).append(outcome)
    for outcomes in list(groups.values())[:shown]:
        first = outcomes[0]
        more = f" (and {len(outcomes) - 1} similar case(s))" if len(outcomes) > 1 else ""
        _plain(console, f"✗ {first.case.label} as {first.identity}{more}", style="red")
        if first.error:
            _plain(console, f"    error: {first.error}")
        if first.verdict == BOTH_FAILED and first.legacy and first.new:
            _plain(
                console,
                f"    both failed: legacy answered {first.legacy.response.status}, "
                f"new answered {first.new.response.status}",
            )
        else:
            for difference in first.comparison.real:
                _plain(console, f"    {difference}")
        _plain(console, f"    {first.request.curl(run.legacy_base)}")
    if len(groups) > shown:
        console.print(f"... and {len(groups) - shown} more kinds of difference: see --html/--json")
    print_app_errors(run, console)
    both_failed = sum(o.verdict == BOTH_FAILED for o in differing)
    if differing:
        console.print(
            f"[red bold]{len(differing)} case(s) differ[/]"
            + (f" ({both_failed} where both sides failed)" if both_failed else "")
        )
    else:
        console.print("[green]no real difference[/]")


def print_app_errors(run: ParityRun, console: Console) -> None:
    """The apps' own error logs, one line per route and kind of exception."""
    errors = run.app_errors.as_dict()
    if not errors:
        return
    total = sum(sum(counts.values()) for counts in errors.values())
    _plain(console, f"the apps logged {total} error(s) while the cases ran (kept off stderr):")
    for route, counts in errors.items():
        for line, count in counts.items():
            _plain(console, f"    {route}: {count}x {line}")
