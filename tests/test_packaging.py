"""The wheel carries the toolkit (proxy, codemods with its runtime) and nothing else: the example
apps stay in the checkout, so a user's own `migrated` package never clashes with ours."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
# What the build reads, plus the example apps, which must be left out.
SOURCES = (
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "proxy",
    "codemods",
    "legacy_examples",
    "migrated",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The names in the wheel, built from a copy of the checkout (setuptools writes `build/` and
    `*.egg-info` beside the sources) with the virtualenv's own setuptools (no download)."""
    tree = tmp_path_factory.mktemp("checkout")
    for name in SOURCES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tree / name)
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "--wheel-dir", str(out), str(tree)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stdout + build.stderr
    (built,) = out.glob("strangler-*.whl")
    with zipfile.ZipFile(built) as archive:
        return archive.namelist()


def test_the_wheel_holds_only_the_toolkit_packages(wheel: list[str]) -> None:
    top_level = {name.split("/")[0] for name in wheel}
    assert top_level == {"proxy", "codemods", "strangler-0.1.0.dist-info"}


def test_the_wheel_carries_the_codemods_runtime(wheel: list[str]) -> None:
    assert "codemods/runtime/flask/compat.py" in wheel
    assert "codemods/runtime/common/validation.py" in wheel


def test_the_wheel_marks_both_packages_as_typed(wheel: list[str]) -> None:
    assert {"proxy/py.typed", "codemods/py.typed"} <= set(wheel)


def test_the_wheel_carries_the_mit_license(wheel: list[str]) -> None:
    assert "strangler-0.1.0.dist-info/licenses/LICENSE" in wheel


def test_the_wheel_carries_the_dashboard_s_assets(wheel: list[str]) -> None:
    assets = {"index.html", "login.html", "dashboard.js", "dashboard.css"}
    assert {f"proxy/admin/static/{name}" for name in assets} <= set(wheel)
