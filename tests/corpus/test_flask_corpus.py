"""`strangler codemod flask` on published Flask apps nobody here wrote (see flask_apps.py).

For each app, in its own venv: the codemod runs without a crash and writes nothing into the
legacy tree; its report covers every route of the app's own `url_map`; every generated module
imports wherever its legacy twin imports; a second run changes nothing. A check today's codemods
fail is a strict xfail naming what fails, so it turns into a pass (and an XPASS failure to
clean up) as the codemods improve. The figures of each app go to the corpus summary.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.corpus.flask_apps import EXTRA_FLASK_APPS, FLASK_APPS
from tests.support.corpus import App, Prepared
from tests.support.corpus_report import Figures, Rule, registrations, uncovered
from tests.support.corpus_runs import (
    CLI,
    TwoRuns,
    app_params,
    crashes,
    expect_known_failure,
    extra_apps,
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
    """One app converted twice into the same DEST, and its own routes."""

    rules: list[Rule] | None  # the app's own rules; None when the app does not build
    build_error: str | None


def codemod(
    prepared: Prepared, out: Path, report: Path, *, verify: bool = True
) -> subprocess.CompletedProcess[str]:
    """`strangler codemod flask SRC --out DEST --report FILE`, run in the app's venv from the
    root of its unpacked sdist (so the legacy package is importable as in a checkout)."""
    argv = ["-c", CLI, "codemod", "flask", prepared.app.source, "--out", str(out)]
    if not verify:
        argv.append("--no-verify")  # verification writes no file: the second run skips it
    else:
        argv += verification_builds(prepared.app, out)
    env = dict(prepared.app.verify_env)
    return prepared.run([*argv, "--report", str(report)], env=env, timeout=1800)


def verification_builds(app: App, out: Path) -> list[str]:
    """`--app`/`--new-app` for the apps whose sides verification cannot build by itself."""
    argv = []
    if app.verify_with_build:
        legacy = out.parent / "verify_legacy_app.py"
        legacy.write_text(app.build, encoding="utf-8")
        argv += ["--app", f"{legacy}:app"]
    if app.new_build:
        new = out.parent / "verify_new_app.py"
        new.write_text(app.new_build.format(package=out.name), encoding="utf-8")
        argv += ["--new-app", f"{new}:app"]
    return argv


def own_rules(prepared: Prepared, scratch: Path) -> tuple[list[Rule] | None, str | None]:
    answer = prepared.probe("routes", {"build": prepared.app.build}, cwd=scratch)
    if "error" in answer:
        return None, answer["error"]
    rules = [Rule.of(raw) for raw in answer["rules"]]
    return [rule for rule in rules if rule.owned_by(prepared.app.package)], None


def convert(prepared: Prepared, work: Path) -> dict[str, Any]:
    """Everything the checks read, as JSON: two runs into `work`, the digests, the app's rules."""
    ran = two_runs(prepared, work, codemod)
    scratch = work / "scratch"
    scratch.mkdir()
    rules, build_error = own_rules(prepared, scratch)
    return {
        **ran,
        "rules": None if rules is None else [asdict(rule) for rule in rules],
        "build_error": build_error,
    }


def shared_conversion(app: App, root: Path) -> Conversion:
    prepared, work, data = recorded_conversion(app, root, convert)
    rules = data.pop("rules")
    return Conversion(
        **two_runs_of(prepared, work, data),
        rules=None if rules is None else [Rule.of(raw) for raw in rules],
        **data,
    )


@pytest.fixture(scope="session")
def conversions(tmp_path_factory: pytest.TempPathFactory) -> Callable[[App], Conversion]:
    root = run_root(tmp_path_factory)
    return made_once(lambda app: shared_conversion(app, root))


@pytest.fixture(params=app_params(FLASK_APPS + extra_apps(EXTRA_FLASK_APPS)))
def conversion(
    request: pytest.FixtureRequest, conversions: Callable[[App], Conversion]
) -> Conversion:
    return conversions(request.param)


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


def test_the_report_covers_every_route_of_the_url_map(
    conversion: Conversion, request: pytest.FixtureRequest, record_property: Any
) -> None:
    app, root = conversion.prepared.app, conversion.prepared.root
    # An app that does not build here is held to the registrations found in its text instead.
    expected = conversion.rules
    if expected is None:
        expected = registrations(root, app.package)
    missing = uncovered(expected, conversion.report, root)
    figures = Figures.of(app.key, expected, len(missing), conversion.report)
    if conversion.build_error:
        figures.url_map = None
        figures.note = f"app does not build: {conversion.build_error[:120]}"
    record_property("corpus_figures", json.dumps(figures.__dict__))
    print(f"\n{app.key}: {figures}")
    expect(request, "coverage", conversion)
    assert expected, f"no route found; the app does not build: {conversion.build_error}"
    assert not missing, [f"{r.rule or '?'} -> {r.module}.{r.name}" for r in missing]


def test_every_generated_module_imports_where_its_legacy_twin_imports(
    conversion: Conversion, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    expect(request, "imports", conversion)
    pairs = module_pairs(conversion.prepared, conversion.out)
    assert pairs, "the codemod wrote no module"
    payload = {"sys_path": [str(conversion.out.parent)], "pairs": pairs}
    answer = conversion.prepared.probe("imports", payload, cwd=tmp_path)
    broken = {
        module: errors["generated"]
        for module, errors in answer.items()
        if errors["legacy"] is None and errors["generated"] is not None
    }
    assert not broken, json.dumps(broken, indent=1)[:4000]


def test_a_second_run_changes_nothing(
    conversion: Conversion, request: pytest.FixtureRequest
) -> None:
    expect(request, "idempotent", conversion)
    assert conversion.second.returncode == 0, conversion.second.stderr[-3000:]
    assert conversion.out_after_second == conversion.out_after_first
