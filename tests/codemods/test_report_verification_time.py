"""The summary's verification line: the time verifying added, and the warm child's CPU."""

from __future__ import annotations

from rich.console import Console

from codemods.engine.report import print_summary
from codemods.engine.runner import RunResult


def printed(result: RunResult) -> str:
    console = Console(record=True, width=120)
    print_summary(result, console)
    return console.export_text()


def test_a_verified_run_prints_its_time_and_its_warm_child_s_cpu() -> None:
    result = RunResult(verification_seconds=0.5, verification_child_cpu=0.25)
    assert "verification: 0.50 s (its warm child: 0.25 s of CPU)" in printed(result)


def test_a_run_verified_by_a_cold_child_prints_its_time_only() -> None:
    lines = printed(RunResult(verification_seconds=0.5)).splitlines()
    assert "verification: 0.50 s" in lines


def test_an_unverified_run_prints_no_verification_line() -> None:
    assert "verification:" not in printed(RunResult())
