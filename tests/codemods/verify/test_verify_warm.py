"""The warm verification server (`codemods/engine/verify/warm.py`): each run's child is forked
fresh from a process that imported only the frameworks, so one run sees nothing of another,
answers as a cold child does, and a server whose imported files changed is replaced."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from codemods.engine.verify import warm
from codemods.engine.verify.check import start, verify_run

from .support import ADAPTER, convert, legacy_app, routes

FAILING_VIEWS = """
from flask import Blueprint, jsonify

bp = Blueprint("views", __name__)


@bp.route("/hello")
def hello():
    return jsonify(greeting=undefined_name)


@bp.route("/items/<int:item_id>")
def item(item_id):
    return jsonify(id=item_id)
"""


def verified(tmp_path: Path, views: str | None = None) -> dict[str, bool | None]:
    legacy = legacy_app(tmp_path, views) if views else legacy_app(tmp_path)
    result, out = convert(legacy, tmp_path)
    pending = start(legacy, legacy.name, ADAPTER)
    verification = verify_run(result, out, pending)
    if isinstance(pending.process, warm.WarmChild):
        assert verification.child_cpu is not None and verification.child_cpu > 0
    return {name: finding.verified for name, finding in routes(result).items()}


def test_runs_forked_by_the_warm_server_see_nothing_of_each_other(tmp_path: Path) -> None:
    first = verified(tmp_path / "one")
    second = verified(tmp_path / "two", FAILING_VIEWS)
    third = verified(tmp_path / "three")
    assert first == third
    assert first["hello"] is True
    assert second["hello"] is False
    assert second["item"] is True


def test_a_warm_child_answers_as_a_cold_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm_outcome = verified(tmp_path / "warm", FAILING_VIEWS)
    monkeypatch.setenv("STRANGLER_VERIFY_WARM", "0")
    assert verified(tmp_path / "cold", FAILING_VIEWS) == warm_outcome


def test_turned_off_every_run_starts_a_cold_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STRANGLER_VERIFY_WARM", "0")
    legacy = legacy_app(tmp_path)
    pending = start(legacy, legacy.name, ADAPTER)
    assert isinstance(pending.process, subprocess.Popen)
    pending.process.communicate("", timeout=300)


def test_a_server_is_stale_once_a_file_it_imported_changes(tmp_path: Path) -> None:
    module = tmp_path / "imported.py"
    module.write_text("VALUE = 1\n")
    files = {str(module): module.stat().st_mtime_ns}
    assert warm.unchanged(files)
    os.utime(module, ns=(0, module.stat().st_mtime_ns + 1_000_000))
    assert not warm.unchanged(files)
    module.unlink()
    assert not warm.unchanged(files)


def test_the_server_lives_outside_the_users_tree(tmp_path: Path) -> None:
    folder = warm.server_folder()
    assert folder.stat().st_mode & 0o777 == 0o700
    assert Path.cwd() not in folder.parents


LIBRARY_VIEWS = """
import countedlib
from flask import Blueprint, jsonify

bp = Blueprint("views", __name__)


@bp.route("/hello")
def hello():
    return jsonify(greeting=countedlib.GREETING)
"""


def installed_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str
) -> tuple[Path, Path]:
    """`countedlib` in a site-packages folder of its own (a server of its own: its key covers
    PYTHONPATH), writing a line to a file each time it is imported."""
    site = tmp_path / "site-packages"
    site.mkdir()
    imports = tmp_path / "imports.txt"
    (site / "countedlib.py").write_text(
        f"with open({str(imports)!r}, 'a') as f:\n    f.write('imported\\n')\n"
        f"GREETING = 'hello'\n{code}"
    )
    monkeypatch.setenv("PYTHONPATH", str(site))
    monkeypatch.setenv("STRANGLER_VERIFY_WARM_IDLE", "30")
    return site, imports


def refused_by_the_server() -> str:
    """What this test's server refused (its file removed: the key is the test's alone)."""
    refused = warm.server_folder() / f"{warm.server_key(ADAPTER)}.refused"
    try:
        return refused.read_text()
    finally:
        refused.unlink(missing_ok=True)


def test_the_server_imports_an_installed_library_of_the_app_once_for_every_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, imports = installed_library(tmp_path, monkeypatch, "")
    runs = [verified(tmp_path / name, LIBRARY_VIEWS) for name in ("one", "two", "three")]
    assert runs == [{"hello": True}] * 3
    assert imports.read_text() == "imported\n"


def test_a_library_starting_a_thread_at_import_is_left_to_each_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threaded = (
        "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
    )
    _, imports = installed_library(tmp_path, monkeypatch, threaded)
    runs = [verified(tmp_path / name, LIBRARY_VIEWS) for name in ("one", "two")]
    assert runs == [{"hello": True}] * 2
    assert refused_by_the_server() == "countedlib\n"
    assert imports.read_text().count("imported") == 3  # the first server, then each child


def test_a_library_failing_at_import_after_starting_a_thread_is_refused_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = (
        "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
        "raise RuntimeError('half imported')\n"
    )
    installed_library(tmp_path, monkeypatch, failing)
    runs = [verified(tmp_path / name, LIBRARY_VIEWS) for name in ("one", "two")]
    assert runs == [{"hello": None}] * 2  # the legacy app does not load: nothing is called
    assert refused_by_the_server() == "countedlib\n"
