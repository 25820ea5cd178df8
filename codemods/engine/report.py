"""The JSON report and the summary table of a run."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from codemods.engine.findings import Status
from codemods.engine.runner import RunResult
from codemods.engine.verify.todo import what_to_do


def write_json(result: RunResult, path: Path) -> None:
    entries = [finding.as_json() for finding in result.findings]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(entries, indent=2) + "\n", encoding="utf-8")


def summary_table(result: RunResult) -> Table:
    table = Table(title="strangler codemod", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    actions = Counter(f.action for f in result.files)
    table.add_row("files", str(len(result.files)))
    for action in ("written", "would write", "unchanged", "kept", "skipped"):
        if actions[action]:
            table.add_row(f"  {action}", str(actions[action]))
    kinds = sorted({f.kind for f in result.findings if f.kind != "module"})
    for kind in kinds:
        for status in Status:
            count = result.count(status, kind)
            if count:
                table.add_row(f"{kind}s {status}", str(count))
    if result.verification_seconds is not None:
        routes = [f for f in result.findings if f.kind == "route"]
        for label, value in (("true", True), ("false", False), ("null", None)):
            count = sum(f.verified is value for f in routes)
            table.add_row(f"routes verified: {label}", str(count))
    tests = sum(1 for f in result.files if f.reason == "test module")
    if tests:
        table.add_row("  (skipped: the legacy app's own tests)", str(tests))
    for item in result.files:
        if item.action in ("kept", "skipped") and item.reason != "test module":
            table.add_row(f"[yellow]{item.action}[/] {item.source or item.target}", item.reason)
    return table


def to_do_table(result: RunResult) -> Table:
    """What a person must do: the reasons of the entries not converted, largest group first."""
    table = Table(title="what a person must do", show_header=True)
    table.add_column("entries", justify="right")
    table.add_column("reason")
    for count, text in what_to_do(result.findings):
        table.add_row(str(count), text)
    return table


def coverage_lines(result: RunResult, limit: int = 50) -> list[str]:
    """ "routes in url_map: N, in report: M" and the rules missing from the report."""
    coverage = result.route_coverage
    if coverage is None:
        return []
    if coverage.error is not None:
        return [f"routes in url_map: unknown (the legacy app's routes were not read: "
                f"{coverage.error})"]  # fmt: skip
    lines = [f"routes in url_map: {len(coverage.rules)}, in report: {coverage.reported}"]
    for rule in coverage.missing[:limit]:
        lines.append(f"  missing from the report: {rule.label()}")
    if len(coverage.missing) > limit:
        lines.append(f"  ... and {len(coverage.missing) - limit} more")
    return lines


def print_summary(result: RunResult, console: Console) -> None:
    console.print(summary_table(result))
    for line in coverage_lines(result):
        console.print(line, highlight=False, markup=False)
    if what_to_do(result.findings, limit=1):
        console.print(to_do_table(result))
    if result.verification_seconds is not None:
        child = result.verification_child_cpu
        cpu = "" if child is None else f" (its warm child: {child:.2f} s of CPU)"
        console.print(f"verification: {result.verification_seconds:.2f} s{cpu}")
