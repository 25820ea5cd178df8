"""One conversion per corpus app and test run, shared by every xdist worker: the part of the
corpus tests that does not depend on the framework (tests/corpus/test_flask_corpus.py and
test_django_corpus.py each say how to convert an app and what to record of it)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.support.corpus import App, Prepared, locked, prepare_or_skip

T = TypeVar("T")


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
