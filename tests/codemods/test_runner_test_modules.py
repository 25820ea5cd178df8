"""Which legacy modules are the app's own tests (skipped by every codemod run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemods.engine.runner import is_test_module


@pytest.mark.parametrize(
    "relative", ["app/tests.py", "app/tests/utils.py", "test_app.py", "app_test.py", "conftest.py"]
)
def test_the_apps_own_tests_are_test_modules(relative: str) -> None:
    assert is_test_module(Path(relative))


@pytest.mark.parametrize("relative", ["app/views.py", "app/testing.py", "app/contest.py"])
def test_application_modules_are_not(relative: str) -> None:
    assert not is_test_module(Path(relative))
