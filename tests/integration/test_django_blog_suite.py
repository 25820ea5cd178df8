"""The django_blog example's own suite passes in-process and over HTTP, on SQLite and PostgreSQL.

The suite (legacy_examples/django_blog/tests) is run in a subprocess, exactly as a person would run
it: in-process with pytest-django, or with `--base-url` against the blog served by gunicorn.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from legacy_examples.django_blog.testing_server import blog_environment, running_blog
from tests.support import blog_settings
from tests.support.servers import REPO_ROOT, run_pytest
from tests.test_docs_examples import MARKED_BLOCK

SUITE = "legacy_examples/django_blog/tests"
README = REPO_ROOT / "legacy_examples/django_blog/README.md"
MIN_BEHAVIOURS = 40
SETTINGS = blog_settings.__name__  # the blog's, with a fast password hasher


def assert_suite_passed(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    passed = re.search(r"(\d+) passed", output)
    assert passed and int(passed[1]) >= MIN_BEHAVIOURS, output[-2000:]
    assert not re.search(r"\d+ (failed|error|skipped)", output), output[-2000:]


@pytest.mark.postgres
def test_suite_passes_in_process_on_postgresql(postgres_url: str) -> None:
    result = run_pytest(
        [SUITE], env={"DATABASE_URL": postgres_url, "DJANGO_SETTINGS_MODULE": SETTINGS}
    )

    assert "django_blog suite: in-process on postgresql" in result.stdout
    assert_suite_passed(result)


def test_suite_passes_over_http_against_gunicorn_on_sqlite_again_and_again(
    tmp_path: Path,
) -> None:
    # over HTTP nothing is rolled back: a second run meets the first run's data
    with running_blog(sqlite_path=tmp_path / "blog.sqlite3", settings_module=SETTINGS) as base_url:
        first = run_pytest([SUITE, "--base-url", base_url])
        second = run_pytest([SUITE, "--base-url", base_url])

    assert f"django_blog suite: over HTTP against {base_url}" in first.stdout
    assert_suite_passed(first)
    assert_suite_passed(second)


@pytest.mark.postgres
def test_suite_passes_over_http_against_gunicorn_on_postgresql(postgres_url: str) -> None:
    with running_blog(database_url=postgres_url, settings_module=SETTINGS) as base_url:
        result = run_pytest([SUITE, "--base-url", base_url])

    assert_suite_passed(result)


def readme_blocks() -> list[list[str]]:
    """The `$ ` lines of each block marked `<!-- doc-test -->` in the blog's README."""
    return [
        [line[2:] for line in block["body"].splitlines() if line.startswith("$ ")]
        for block in MARKED_BLOCK.finditer(README.read_text())
    ]


@pytest.mark.parametrize("commands", readme_blocks(), ids=" && ".join)
def test_readme_commands_run_as_shown(commands: list[str], tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        **blog_environment(sqlite_path=tmp_path / "blog.sqlite3", settings_module=SETTINGS),
    }
    for command in commands:
        result = subprocess.run(
            command, shell=True, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600
        )

        assert result.returncode == 0, (
            f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
