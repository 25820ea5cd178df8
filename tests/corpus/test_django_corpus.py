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
import re
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.corpus.django_apps import DJANGO_APPS
from tests.support.corpus import App, Prepared, tree_digest
from tests.support.corpus_report import Figures, Rule, module_of, uncovered_patterns
from tests.support.corpus_runs import (
    app_params,
    expect_known_failure,
    made_once,
    recorded_conversion,
    run_root,
)

pytestmark = pytest.mark.corpus

CLI = "import sys; from proxy.cli import main; sys.argv[0] = 'strangler'; main()"
GENERATED_PACKAGE = "corpus_generated"
# What the runner reports when a rule or the import update raised (codemods/engine/runner.py).
CRASH = re.compile(r"^(rule \S+ failed|import update failed): ")

# (check, app key) -> what fails today. Strict: when the codemods fix it, the XPASS fails the run
# and the line is removed.
KNOWN_FAILURES: dict[tuple[str, str], str] = {}


COVERAGE_LINE = re.compile(r"^routes in url_map: .*$", re.M)


@dataclass
class Ran:
    returncode: int
    stderr: str
    coverage: str | None = None  # the summary's "routes in url_map: ..." line

    @classmethod
    def of(cls, result: subprocess.CompletedProcess[str]) -> Ran:
        found = COVERAGE_LINE.search(result.stdout or "")
        return cls(result.returncode, result.stderr, found.group(0) if found else None)


@dataclass
class Conversion:
    """One app converted twice into the same DEST, its resolver's patterns and the imports."""

    prepared: Prepared
    out: Path
    first: Ran
    second: Ran
    report: list[dict[str, Any]]
    legacy_before: str
    legacy_after: str
    out_after_first: str
    out_after_second: str
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


def module_pairs(prepared: Prepared, out: Path) -> list[list[str]]:
    """[legacy module, generated module] for every generated module (`sys` when it has no twin)."""
    pairs = []
    for path in sorted(out.rglob("*.py")) if out.exists() else []:
        relative = path.relative_to(out).as_posix()
        inner = module_of(relative)
        twin = prepared.source / relative
        legacy = ".".join(filter(None, [prepared.app.package, inner])) if twin.exists() else "sys"
        pairs.append([legacy, ".".join(filter(None, [GENERATED_PACKAGE, inner]))])
    return pairs


def own_patterns(raw: list[dict[str, Any]], package: str) -> list[Rule]:
    """The resolver's patterns written in the app's own URLconfs."""
    return [
        Rule.of(pattern)
        for pattern in raw
        if pattern["urlconf"] == package or pattern["urlconf"].startswith(package + ".")
    ]


def convert(prepared: Prepared, work: Path) -> dict[str, Any]:
    """Everything the checks read, as JSON: two runs into `work`, the digests, the probe."""
    out = work / GENERATED_PACKAGE
    legacy_before = tree_digest(prepared.root)
    first = codemod(prepared, out, work / "report.json")
    legacy_after = tree_digest(prepared.root)
    out_after_first = tree_digest(out) if out.exists() else ""
    second = codemod(prepared, out, work / "report-second.json", verify=False)
    out_after_second = tree_digest(out) if out.exists() else ""
    scratch = work / "scratch"
    scratch.mkdir()
    payload = {
        "settings": prepared.app.settings,
        "sys_path": [str(work)],
        "pairs": module_pairs(prepared, out),
    }
    answer = prepared.probe("django", payload, cwd=scratch)
    report_file = work / "report.json"
    return {
        "first": asdict(Ran.of(first)),
        "second": asdict(Ran.of(second)),
        "report": json.loads(report_file.read_text()) if report_file.exists() else [],
        "legacy_before": legacy_before,
        "legacy_after": legacy_after,
        "out_after_first": out_after_first,
        "out_after_second": out_after_second,
        "rules": answer.get("rules"),
        "setup_error": answer.get("error"),
        "imports": answer.get("imports", {}),
    }


def shared_conversion(app: App, root: Path) -> Conversion:
    prepared, work, data = recorded_conversion(app, root, convert)
    rules = data.pop("rules")
    return Conversion(
        prepared=prepared,
        out=work / GENERATED_PACKAGE,
        first=Ran(**data.pop("first")),
        second=Ran(**data.pop("second")),
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
    crashes = [
        f"{entry['source']}: {reason}"
        for entry in conversion.report
        for reason in entry.get("reasons", [])
        for part in reason.split("; ")
        if CRASH.match(part)
    ]
    assert not crashes


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
