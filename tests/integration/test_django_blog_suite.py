"""The django_blog example's own suite passes in-process and over HTTP, on SQLite and PostgreSQL.

The suite (legacy_examples/django_blog/tests) is run in a subprocess, exactly as a person would run
it: in-process with pytest-django, or with `--base-url` against the blog served by gunicorn.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from legacy_examples.django_blog.testing_server import running_blog
from tests.support.servers import REPO_ROOT, run_pytest

SUITE = "legacy_examples/django_blog/tests"
README = REPO_ROOT / "legacy_examples/django_blog/README.md"
MIN_BEHAVIOURS = 40


def assert_suite_passed(result) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    passed = re.search(r"(\d+) passed", output)
    assert passed and int(passed[1]) >= MIN_BEHAVIOURS, output[-2000:]
    assert not re.search(r"\d+ (failed|error|skipped)", output), output[-2000:]


@pytest.mark.postgres
def test_suite_passes_in_process_on_postgresql(postgres_url: str) -> None:
    result = run_pytest([SUITE], env={"DATABASE_URL": postgres_url})

    assert_suite_passed(result)


def test_suite_passes_over_http_against_gunicorn_on_sqlite(tmp_path: Path) -> None:
    with running_blog(sqlite_path=tmp_path / "blog.sqlite3") as base_url:
        result = run_pytest([SUITE, "--base-url", base_url])

    assert_suite_passed(result)


@pytest.mark.postgres
def test_suite_passes_over_http_against_gunicorn_on_postgresql(postgres_url: str) -> None:
    with running_blog(database_url=postgres_url) as base_url:
        result = run_pytest([SUITE, "--base-url", base_url])

    assert_suite_passed(result)


def test_suite_passes_twice_against_the_same_server(tmp_path: Path) -> None:
    """Over HTTP nothing is rolled back: the tests must not depend on a pristine database."""
    with running_blog(sqlite_path=tmp_path / "blog.sqlite3") as base_url:
        first = run_pytest([SUITE, "--base-url", base_url, "-k", "api"])
        second = run_pytest([SUITE, "--base-url", base_url, "-k", "api"])

    assert first.returncode == 0, first.stdout[-4000:]
    assert second.returncode == 0, second.stdout[-4000:]
