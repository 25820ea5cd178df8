"""One conversion per corpus app and test run, shared by every xdist worker: the part of the
corpus tests that does not depend on the framework (tests/corpus/test_flask_corpus.py and
test_django_corpus.py each say how to convert an app and what to record of it)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pytest

from tests.support.corpus import App, Prepared, locked, prepare_or_skip, tree_digest
from tests.support.corpus_report import module_of

T = TypeVar("T")

CLI = "import sys; from proxy.cli import main; sys.argv[0] = 'strangler'; main()"
GENERATED_PACKAGE = "corpus_generated"
# What the runner reports when a rule or the import update raised (codemods/engine/runner.py).
CRASH = re.compile(r"^(rule \S+ failed|import update failed): ")
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
class TwoRuns:
    """One app converted twice into the same DEST: the runs, the first's report, and digests of
    the legacy tree around the first run and of the output after each."""

    prepared: Prepared
    out: Path
    first: Ran
    second: Ran
    report: list[dict[str, Any]]
    legacy_before: str
    legacy_after: str
    out_after_first: str
    out_after_second: str


class Codemod(Protocol):
    def __call__(
        self, prepared: Prepared, out: Path, report: Path, *, verify: bool = True
    ) -> subprocess.CompletedProcess[str]: ...


def two_runs(prepared: Prepared, work: Path, codemod: Codemod) -> dict[str, Any]:
    """`codemod` run twice into `work`'s generated package, as JSON (`TwoRuns` without its
    first two fields): the second run without verification (it writes nothing)."""
    out = work / GENERATED_PACKAGE
    legacy_before = tree_digest(prepared.root)
    first = codemod(prepared, out, work / "report.json")
    legacy_after = tree_digest(prepared.root)
    out_after_first = tree_digest(out) if out.exists() else ""
    second = codemod(prepared, out, work / "report-second.json", verify=False)
    report_file = work / "report.json"
    return {
        "first": asdict(Ran.of(first)),
        "second": asdict(Ran.of(second)),
        "report": json.loads(report_file.read_text()) if report_file.exists() else [],
        "legacy_before": legacy_before,
        "legacy_after": legacy_after,
        "out_after_first": out_after_first,
        "out_after_second": tree_digest(out) if out.exists() else "",
    }


def two_runs_of(prepared: Prepared, work: Path, data: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of a `TwoRuns` from `two_runs`' JSON, taken out of `data`."""
    return {
        "prepared": prepared,
        "out": work / GENERATED_PACKAGE,
        "first": Ran(**data.pop("first")),
        "second": Ran(**data.pop("second")),
        **{key: data.pop(key) for key in ("report", "legacy_before", "legacy_after")},
        **{key: data.pop(key) for key in ("out_after_first", "out_after_second")},
    }


def crashes(report: list[dict[str, Any]]) -> list[str]:
    """The report's reasons saying a rule or the import update raised, with their entries."""
    return [
        f"{entry['source']}: {reason}"
        for entry in report
        for reason in entry.get("reasons", [])
        for part in reason.split("; ")
        if CRASH.match(part)
    ]


def module_pairs(prepared: Prepared, out: Path) -> list[list[str]]:
    """[legacy module, generated module] for every generated module (`sys` when it has no twin)."""
    pairs = []
    for path in sorted(out.rglob("*.py")) if out.exists() else []:
        relative = path.relative_to(out).as_posix()
        inner = module_of(relative)
        twin = prepared.source / relative
        legacy = ".".join(filter(None, [prepared.app.package, inner])) if twin.exists() else "sys"
        pairs.append([legacy, ".".join(filter(None, [out.name, inner]))])
    return pairs


def recorded_conversion(
    app: App, root: Path, convert: Callable[[Prepared, Path], dict[str, Any]]
) -> tuple[Prepared, Path, dict[str, Any]]:
    """`convert(prepared, work)`'s record for `app` under `root`, made once for the whole run:
    the first process to take the app's lock converts, the others read what it recorded."""
    prepared = prepare_or_skip(app)
    work = root / f"corpus-{app.key}"
    record = work / "conversion.json"
    with locked(root / f"corpus-{app.key}.lock"):
        if not record.exists():
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            record.write_text(json.dumps(convert(prepared, work)), encoding="utf-8")
    return prepared, work, json.loads(record.read_text(encoding="utf-8"))


def run_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every xdist worker of this run shares (the session's own without xdist)."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


def made_once(make: Callable[[App], T]) -> Callable[[App], T]:
    """`make(app)`, made on first use and kept for the session, a skip or failure too, whatever
    order the tests of the apps run in."""
    made: dict[str, T | BaseException] = {}

    def of(app: App) -> T:
        if app.key not in made:
            try:
                made[app.key] = make(app)
            except BaseException as error:  # a skip (no network) or a failure, kept as is
                made[app.key] = error
        found = made[app.key]
        if isinstance(found, BaseException):
            raise found
        return found

    return of


def extra_apps(apps: tuple[App, ...]) -> tuple[App, ...]:
    """The published apps beyond the visible corpus, when `STRANGLER_CORPUS_EXTRA=1` asks for
    them (they prove new rules; the corpus figures and `make test` leave them out)."""
    return apps if os.environ.get("STRANGLER_CORPUS_EXTRA") == "1" else ()


def app_params(apps: tuple[App, ...]) -> list[Any]:
    """One test parameter per app, each app's tests in one xdist group."""
    return [
        pytest.param(app, id=app.key, marks=pytest.mark.xdist_group(f"corpus-{app.key}"))
        for app in apps
    ]


def expect_known_failure(
    request: pytest.FixtureRequest, known: dict[tuple[str, str], str], check: str, app: App
) -> None:
    """A strict xfail for a check an app is known to fail, with the reason."""
    reason = known.get((check, app.key))
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
