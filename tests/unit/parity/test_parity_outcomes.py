"""Parity outcomes: 'both failed' is its own outcome and not a pass; the apps' stderr is
summarised per route; retired routes are skipped with a note; curl names real base URLs."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
from rich.console import Console

from proxy.diff import Response
from proxy.parity.app_errors import summarise
from proxy.parity.cases import ParityCase, ParityRequest
from proxy.parity.config import ConfigError, ParityConfig, config_from_dict
from proxy.parity.reports.console import print_report
from proxy.parity.reports.json_report import report_document
from proxy.parity.runner import ParityRun, ParityRunner
from proxy.parity.session import ParitySession, RunOptions, UsageError

TRACEBACK = """[2026-01-01 00:00:00] ERROR in app: Exception on /api/items/9 [GET]
Traceback (most recent call last):
  File "app.py", line 3, in get_item
    db.get(9)
OverflowError: Python int too large to convert to SQLite INTEGER
"""


class ScriptedSide:
    """A side that answers `status` and writes `stderr` (as an app logging an error would)."""

    def __init__(self, name: str, status: int, stderr: str = "") -> None:
        self.name = name
        self.base_url = "http://testserver"
        self.status = status
        self.stderr = stderr

    async def send(self, request: ParityRequest) -> Response:
        sys.stderr.write(self.stderr)
        return Response(self.status, (("content-type", "text/plain"),), b"Internal Server Error")

    async def aclose(self) -> None:
        pass


LEGACY = {"app": "tests.unit.parity.apps:legacy"}  # never imported by these tests


def config(*routes: dict[str, object]) -> ParityConfig:
    return config_from_dict({"legacy": LEGACY, "routes": list(routes)}, base_dir=Path("."))


ITEMS = {"path": "/api/items/{id}", "methods": ["GET"], "mode": "new"}


def run_against(legacy: ScriptedSide, new: ScriptedSide) -> ParityRun:
    parity_config = config(ITEMS)
    case = ParityCase(ParityRequest("GET", "/api/items/9"), parity_config.routes[0], "hand-written")
    runner = ParityRunner(parity_config, legacy, new, None)
    return asyncio.run(runner.run([case]))


def test_a_500_on_both_sides_is_both_failed_and_not_a_pass() -> None:
    run = run_against(ScriptedSide("legacy", 500), ScriptedSide("new", 500))
    assert [o.verdict for o in run.outcomes] == ["both failed"]
    assert run.exit_code == 1
    (summary,) = run.summaries()
    assert (summary.both_failed, summary.equal) == (1, 0)
    assert report_document(run)["summary"]["both_failed"] == 1


def test_the_console_says_both_sides_failed_and_with_what() -> None:
    console = Console(record=True, width=200)
    print_report(run_against(ScriptedSide("legacy", 500), ScriptedSide("new", 502)), console)
    text = console.export_text()
    assert "both failed: legacy answered 500, new answered 502" in text
    assert "1 case(s) differ (1 where both sides failed)" in text


def test_the_apps_tracebacks_are_kept_off_stderr_and_counted_per_route(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run = run_against(ScriptedSide("legacy", 500, TRACEBACK), ScriptedSide("new", 500, TRACEBACK))
    assert capsys.readouterr().err == ""
    line = "OverflowError: Python int too large to convert to SQLite INTEGER"
    assert run.app_errors.as_dict() == {"GET /api/items/{id}": {line: 3}}  # legacy twice, new once
    console = Console(record=True, width=200)
    print_report(run, console)
    assert f"GET /api/items/{{id}}: 3x {line}" in console.export_text()


def test_a_traceback_is_summarised_by_its_exception_line() -> None:
    assert summarise(TRACEBACK + TRACEBACK.replace("Overflow", "Key")) == [
        "OverflowError: Python int too large to convert to SQLite INTEGER",
        "KeyError: Python int too large to convert to SQLite INTEGER",
    ]


def test_other_output_is_summarised_by_its_first_line() -> None:
    assert summarise("\nwarning: slow query\nmore\n") == ["warning: slow query"]
    assert summarise("") == []


def test_retired_routes_are_not_compared_and_are_noted() -> None:
    retired = {"path": "/api/old", "methods": ["GET"], "mode": "retired"}
    session = ParitySession(config(ITEMS, retired), RunOptions())
    assert [r.path for r in session.routes] == ["/api/items/{id}"]
    assert session.skipped_retired == ["GET /api/old"]
    run = ParityRun([], {}, "", "", None, False, [], skipped_retired=session.skipped_retired)
    console = Console(record=True, width=200)
    print_report(run, console)
    assert "skipped GET /api/old: retired (the front answers it 404)" in console.export_text()


def test_asking_for_a_retired_route_is_bad_input() -> None:
    retired = {"path": "/api/old", "methods": ["GET"], "mode": "retired"}
    with pytest.raises(UsageError, match="retired"):
        ParitySession(config(ITEMS, retired), RunOptions(routes=["/api/old"]))


def test_curl_base_urls_default_to_the_front_and_can_be_configured() -> None:
    assert config().parity.curl.legacy == "http://127.0.0.1:8000"
    configured = config_from_dict(
        {
            "legacy": LEGACY,
            "parity": {"curl": {"legacy": "http://127.0.0.1:5000/", "new": "https://shop.test"}},
        },
        base_dir=Path("."),
    )
    assert (configured.parity.curl.legacy, configured.parity.curl.new) == (
        "http://127.0.0.1:5000", "https://shop.test",
    )  # fmt: skip
    with pytest.raises(ConfigError, match="http"):
        config_from_dict(
            {"legacy": LEGACY, "parity": {"curl": {"legacy": "testserver"}}}, base_dir=Path(".")
        )


def test_a_side_that_is_not_there_cannot_be_reached() -> None:
    session = ParitySession(
        config(ITEMS), RunOptions(legacy_url="http://127.0.0.1:9", new_url="http://127.0.0.1:9")
    )
    with pytest.raises(UsageError, match=r"--legacy-url: cannot reach http://127\.0\.0\.1:9"):
        session.run()
