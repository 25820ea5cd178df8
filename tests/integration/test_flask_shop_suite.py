"""flask_shop's own suite passes in-process and over HTTP, on SQLite and on PostgreSQL.

(In-process on SQLite is the suite itself, collected by `make test`.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from legacy_examples.flask_shop.testing_server import running_flask_shop
from tests.support.servers import REPO_ROOT, free_port, run_pytest, running_server
from tests.test_docs_examples import MARKED_BLOCK

SUITE = "legacy_examples/flask_shop"
README = REPO_ROOT / SUITE / "README.md"

pytestmark = pytest.mark.slow


def assert_suite_passed(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert " passed" in output
    assert "skipped" not in output


@pytest.mark.postgres
def test_suite_passes_in_process_on_postgresql(postgres_url: str) -> None:
    assert_suite_passed(run_pytest([SUITE], env={"DATABASE_URL": postgres_url}))


def test_suite_passes_over_http_against_gunicorn_on_sqlite_twice(tmp_path: Path) -> None:
    """Twice against one server: the tests share its database and must not depend on order."""
    with running_flask_shop(f"sqlite:///{tmp_path / 'shop.db'}", tmp_path / "uploads") as url:
        assert_suite_passed(run_pytest([SUITE, "--base-url", url]))
        assert_suite_passed(run_pytest([SUITE, "--base-url", url]))


@pytest.mark.postgres
def test_suite_passes_over_http_against_gunicorn_on_postgresql(
    postgres_url: str, tmp_path: Path
) -> None:
    with running_flask_shop(postgres_url, tmp_path / "uploads") as url:
        assert_suite_passed(run_pytest([SUITE, "--base-url", url]))


def test_demo_script_seeds_and_serves_the_shop(tmp_path: Path) -> None:
    port = free_port()
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
    with running_server(
        ["bash", "scripts/demo.sh", "127.0.0.1", str(port)], port, env=env, ready_path="/"
    ) as url:
        products = httpx.get(f"{url}/api/products", params={"per_page": 100}).json()
        assert products["total"] == 30
        assert httpx.get(url + "/").status_code == 200


def readme_commands() -> list[str]:
    return [
        line[2:]
        for block in MARKED_BLOCK.finditer(README.read_text())
        for line in block["body"].splitlines()
        if line.startswith("$ ")
    ]


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs_as_shown(command: str) -> None:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        command, shell=True, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
