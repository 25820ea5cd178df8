"""bench/codemod_speed/instructions.py: the workload valgrind counts runs on both examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.codemod_speed import instructions

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _from_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # as instructions.sh runs it: the examples' packages importable


@pytest.mark.parametrize(
    ("framework", "folder"),
    [("flask", "legacy_examples/flask_shop"), ("django", "legacy_examples/django_blog")],
)
@pytest.mark.parametrize("mode", ["none", "codemod", "bare"])
def test_the_counted_workload_runs_each_mode_on_each_example(
    framework: str, folder: str, mode: str
) -> None:
    assert instructions.main(framework, folder, mode, 1) == 0


def test_the_workload_reads_the_modules_the_codemod_converts_not_the_apps_tests() -> None:
    paths = ["/".join(parts) for parts, _ in instructions.modules("legacy_examples/flask_shop")]
    assert "app.py" in paths or any(p.endswith("__init__.py") for p in paths)
    assert not any(p.startswith("tests/") or "/test_" in p for p in paths)
