"""`strangler codemod django` on published reusable Django apps (see django_apps.py), each served
by a minimal site of ours (django_sites/).

For each app, in its own venv: the codemod runs without a crash and writes nothing into the
legacy tree; its report has an entry for every URL pattern the site's resolver serves from the
app; every generated module imports wherever its legacy twin imports; a second run changes
nothing. A check today's codemods fail is a strict xfail naming what fails (KNOWN_FAILURES). The
figures of each app go to the corpus summary.

Each app costs three processes: the codemod with its verification, the second run (no
verification: it writes nothing), and one probe that sets Django up, lists the resolver's
patterns and imports every legacy module and its generated twin.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.corpus.django_apps import DJANGO_APPS
from tests.support.corpus import App, Prepared
from tests.support.corpus_report import Figures, Rule, uncovered_patterns
from tests.support.corpus_runs import (
    CLI,
    GENERATED_PACKAGE,
    TwoRuns,
    app_params,
    crashes,
    expect_known_failure,
    made_once,
    module_pairs,
    recorded_conversion,
    run_root,
    two_runs,
    two_runs_of,
)

pytestmark = pytest.mark.corpus

# (check, app key) -> what fails today. Strict: when the codemods fix it, the XPASS fails the run
# and the line is removed.
KNOWN_FAILURES: dict[tuple[str, str], str] = {}


@dataclass
class Conversion(TwoRuns):
    """One app converted twice into the same DEST, its resolver's patterns and the imports."""

    rules: list[Rule] | None  # the app's own URL patterns; None when Django does not set up
    setup_error: str | None
    imports: dict[str, dict[str, str | None]]


def codemod(
    prepared: Prepared, out: Path, report: Path, *, verify: bool = True
) -> subprocess.CompletedProcess[str]:
    """`strangler codemod django SRC --out DEST --settings SITE --report FILE`, run in the app's
    venv from the root of its unpacked sdist."""
    app = prepared.app
    argv = ["-c", CLI, "codemod", "django", app.source, "--out", str(out)]
    argv += ["--settings", app.settings, "--report", str(report)]
    if not verify:
        argv.append("--no-verify")  # verification writes no file: the second run skips it
    return prepared.run(argv, env=dict(app.verify_env), timeout=1800)


def own_patterns(raw: list[dict[str, Any]], package: str) -> list[Rule]:
    """The resolver's patterns written in the app's own URLconfs."""
    return [
        Rule.of(pattern)
        for pattern in raw
        if pattern["urlconf"] == package or pattern["urlconf"].startswith(package + ".")
    ]


def convert(prepared: Prepared, work: Path) -> dict[str, Any]:
    """Everything the checks read, as JSON: two runs into `work`, the digests, the probe."""
    ran = two_runs(prepared, work, codemod)
    scratch = work / "scratch"
    scratch.mkdir()
    out = work / GENERATED_PACKAGE
    payload = {
        "settings": prepared.app.settings,
        "sys_path": [str(work)],
        "pairs": module_pairs(prepared, out),
    }
    answer = prepared.probe("django", payload, cwd=scratch)
    return {
        **ran,
        "rules": answer.get("rules"),
        "setup_error": answer.get("error"),
        "imports": answer.get("imports", {}),
    }


def shared_conversion(app: App, root: Path) -> Conversion:
    prepared, work, data = recorded_conversion(app, root, convert)
    rules = data.pop("rules")
    return Conversion(
        **two_runs_of(prepared, work, data),
        rules=None if rules is None else own_patterns(rules, app.package),
        **data,
    )


@pytest.fixture(scope="session")
def django_conversions(tmp_path_factory: pytest.TempPathFactory) -> Callable[[App], Conversion]:
    root = run_root(tmp_path_factory)
    return made_once(lambda app: shared_conversion(app, root))


@pytest.fixture(params=app_params(DJANGO_APPS))
def conversion(
    request: pytest.FixtureRequest, django_conversions: Callable[[App], Conversion]
) -> Conversion:
    return django_conversions(request.param)


def expect(request: pytest.FixtureRequest, check: str, conversion: Conversion) -> None:
    expect_known_failure(request, KNOWN_FAILURES, check, conversion.prepared.app)


def test_the_codemod_runs_without_a_crash(
    conversion: Conversion, request: pytest.FixtureRequest
) -> None:
    expect(request, "crash", conversion)
    assert conversion.first.returncode == 0, conversion.first.stderr[-3000:]
    assert not crashes(conversion.report)


def test_the_legacy_tree_is_left_as_it_was(
    conversion: Conversion, request: pytest.FixtureRequest
) -> None:
    expect(request, "legacy-unchanged", conversion)
    assert conversion.legacy_after == conversion.legacy_before


def test_the_report_has_every_url_pattern_of_the_resolver(
    conversion: Conversion, request: pytest.FixtureRequest, record_property: Any
) -> None:
    app = conversion.prepared.app
    expected = conversion.rules or []
    missing = uncovered_patterns(expected, conversion.report)
    figures = Figures.of(app.key, expected, len(missing), conversion.report)
    figures.framework = "django"
    if conversion.setup_error:
        figures.url_map = None
        figures.note = f"Django does not set up: {conversion.setup_error[:120]}"
    record_property("corpus_figures", json.dumps(figures.__dict__))
    print(f"\n{app.key}: {figures}")
    expect(request, "coverage", conversion)
    assert conversion.rules, (
        f"no URL pattern found; Django does not set up: {conversion.setup_error}"
    )
    assert not missing, [f"{r.rule} (name {r.endpoint}) -> {r.module}.{r.name}" for r in missing]


def test_the_codemod_s_own_route_check_counts_the_resolver_s_patterns(
    conversion: Conversion, request: pytest.FixtureRequest
) -> None:
    expect(request, "own-route-check", conversion)
    expected = conversion.rules or []
    missing = uncovered_patterns(expected, conversion.report)
    reported = len(expected) - len(missing)
    assert conversion.first.coverage == (
        f"routes in url_map: {len(expected)}, in report: {reported}"
    )


def test_every_generated_module_imports_where_its_legacy_twin_imports(
    conversion: Conversion, request: pytest.FixtureRequest
) -> None:
    expect(request, "imports", conversion)
    assert conversion.out.exists() and any(conversion.out.rglob("*.py")), "no module written"
    assert conversion.setup_error is None, conversion.setup_error
    broken = {
        module: errors["generated"]
        for module, errors in conversion.imports.items()
        if errors["legacy"] is None and errors["generated"] is not None
    }
    assert not broken, json.dumps(broken, indent=1)[:4000]


def test_a_second_run_changes_nothing(
    conversion: Conversion, request: pytest.FixtureRequest
) -> None:
    expect(request, "idempotent", conversion)
    assert conversion.second.returncode == 0, conversion.second.stderr[-3000:]
    assert conversion.out_after_second == conversion.out_after_first
