"""The verification's migrated empty database is kept between runs
(`codemods/django/verify_migrated.py`): a second run of the same project takes it from the cache
instead of migrating again, and answers as the first did; a database the sandbox copied from the
project is migrated and never cached; the key follows the settings, not the sandbox's folder."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from codemods.django.verify_migrated import folder, python_files
from proxy.cli import app
from tests.codemods.django.support import write_project
from tests.codemods.django.test_verify import PROJECT, SETTINGS


def verified_routes(project: Path, out: str) -> dict[str | None, Any]:
    report = project / f"{out}.json"
    arguments = ["minisite", "--out", out, "--report", str(report), "--settings", SETTINGS]
    result = CliRunner().invoke(app, ["codemod", "django", *arguments])
    assert result.exit_code == 0, result.output
    entries = json.loads(report.read_text())
    return {e["name"]: (e["status"], e["verified"]) for e in entries if e["kind"] == "route"}


def cached() -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in folder().glob("*.sqlite3")}


def test_a_second_run_takes_the_migrated_empty_database_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STRANGLER_VERIFY_WARM", raising=False)
    # a cache (and warm server) of its own: other tests' runs would evict its entry
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.setenv("STRANGLER_VERIFY_WARM_IDLE", "5")
    write_project(tmp_path / "minisite", PROJECT)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MINISITE_DB", str(tmp_path / "no-such.sqlite3"))  # an empty database
    first = verified_routes(tmp_path, "one")
    after_first = cached()
    second = verified_routes(tmp_path, "two")
    assert second == first
    assert first["hello"] == ("converted", True)
    assert after_first
    assert cached().items() >= after_first.items()  # taken from the cache, not written again


class Migrations:
    """`call_command("migrate", ...)` as recorded: it writes `schema` into the database file."""

    def __init__(self, target: Path) -> None:
        self.target, self.calls = target, 0

    def __call__(self, *arguments: Any, **options: Any) -> None:
        self.calls += 1
        self.target.write_bytes(b"schema")


@pytest.fixture
def sandbox_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database alias `verify` at a file of the sandbox, the cache in a folder of its own, and
    `migrate` recorded."""
    from types import SimpleNamespace

    import django.core.management
    import django.db
    from django.conf import settings

    from codemods.django import verify_migrated

    target = tmp_path / "sandbox" / "db" / "verify.sqlite3"
    target.parent.mkdir(parents=True)
    monkeypatch.setitem(settings.DATABASES, "verify", {"NAME": str(target)})
    monkeypatch.setattr(verify_migrated, "folder", lambda: tmp_path / "cache")
    (tmp_path / "cache").mkdir()
    monkeypatch.setattr(django.core.management, "call_command", Migrations(target))
    closed = SimpleNamespace(close=lambda: None)
    monkeypatch.setattr(django.db, "connections", {"verify": closed})
    monkeypatch.delenv("STRANGLER_VERIFY_WARM", raising=False)
    return target


def test_an_empty_database_is_migrated_once_then_copied_from_the_cache(
    sandbox_database: Path,
) -> None:
    from django.core import management

    from codemods.django.verify_migrated import migrate

    assert migrate("verify", sandbox_database.parent.parent) is False
    sandbox_database.unlink()  # the next run's sandbox: an empty database again
    assert migrate("verify", sandbox_database.parent.parent) is True
    assert sandbox_database.read_bytes() == b"schema"
    assert management.call_command.calls == 1  # type: ignore[attr-defined]


def test_a_copy_of_the_projects_database_is_migrated_and_not_cached(
    sandbox_database: Path, tmp_path: Path
) -> None:
    from django.core import management

    from codemods.django.verify_migrated import migrate

    sandbox_database.write_bytes(b"the user's rows")
    assert migrate("verify", sandbox_database.parent.parent) is False
    assert management.call_command.calls == 1  # type: ignore[attr-defined]
    assert list((tmp_path / "cache").iterdir()) == []


def test_the_key_changes_with_a_setting_and_not_with_the_sandboxs_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.conf import settings

    from codemods.django.verify_migrated import fingerprint

    one, two = tmp_path / "one", tmp_path / "two"
    monkeypatch.setattr(settings, "MEDIA_ROOT", str(one / "media"))
    first = fingerprint("default", one)
    monkeypatch.setattr(settings, "MEDIA_ROOT", str(two / "media"))
    assert fingerprint("default", two) == first
    monkeypatch.setattr(settings, "AUTH_PASSWORD_VALIDATORS", [{"NAME": "other"}])
    assert fingerprint("default", two) != first


def test_the_key_s_python_files_are_pathlib_s_recursive_glob(tmp_path: Path) -> None:
    for name in ("a.py", "b/c.py", "b/d.txt", "b-e/f.py", "g.py/h.py", ".hidden.py", "b/i/j.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    os.symlink(tmp_path / "b", tmp_path / "linked")
    os.symlink(tmp_path / "a.py", tmp_path / "b" / "alias.py")
    assert python_files(tmp_path) == sorted(tmp_path.rglob("*.py"))
