"""The tree stays ruff and mypy clean (the same checks as `make lint`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.servers import REPO_ROOT

VENV_BIN = Path(sys.executable).parent


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = run(str(VENV_BIN / "ruff"), "check", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout


def test_mypy_finds_nothing_in_proxy_codemods_and_migrated() -> None:
    result = run(str(VENV_BIN / "mypy"))
    assert result.returncode == 0, result.stdout[-5000:]
