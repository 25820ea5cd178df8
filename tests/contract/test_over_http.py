"""--legacy-url/--new-url: the same planted twins served by real servers on loopback (gunicorn
for the Flask app, uvicorn for the FastAPI twin), sharing one SQLite file that parity restores."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from proxy.parity.runner import ParityRun, route_key
from tests.contract.conftest import planted_project, run_planted
from tests.support.servers import free_port, running_server, venv_command


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, str]]:
    directory = planted_project(tmp_path_factory.mktemp("http"))
    env = {
        "PLANTED_DB": str(directory / "planted.db"),
        "PLANTED_DIFFERENCES": "extra_row,missing_field",
    }
    legacy_port, new_port = free_port(), free_port()
    with ExitStack() as stack:
        legacy = stack.enter_context(
            running_server(
                [venv_command("gunicorn"), "--workers", "1", "--bind", f"127.0.0.1:{legacy_port}",
                 "tests.contract.planted.legacy_app:create_app()"],
                legacy_port, env=env, ready_path="/api/ping",
            )
        )  # fmt: skip
        new = stack.enter_context(
            running_server(
                [sys.executable, "-m", "uvicorn", "--factory", "--port", str(new_port),
                 "--host", "127.0.0.1", "tests.contract.planted.migrated_app:create_app"],
                new_port, env=env, ready_path="/api/ping",
            )
        )  # fmt: skip
        yield directory, legacy, new


@pytest.fixture(scope="module")
def http_run(served: tuple[Path, str, str]) -> ParityRun:
    directory, legacy, new = served
    return run_planted(directory, (), legacy_url=legacy, new_url=new, max_examples=5, seed=3)


def test_over_http_reports_the_planted_response_difference(http_run: ParityRun) -> None:
    differing = {route_key(o.case) for o in http_run.differing}
    assert differing == {"GET /api/products/{product_id}", "POST /api/products/{product_id}/buy"}


def test_over_http_compares_writes_of_real_servers(http_run: ParityRun) -> None:
    texts = {str(d) for o in http_run.differing for d in o.comparison.real}
    assert any(t.startswith("rows.stats[name=purchases]: <missing> != ") for t in texts)


def test_over_http_measures_noise(http_run: ParityRun) -> None:
    assert http_run.noise["GET /api/ping"].sorted_text() == ["$.at", "$.request_id"]


def test_over_http_reproduction_uses_the_real_urls(
    http_run: ParityRun, served: tuple[Path, str, str]
) -> None:
    _, legacy, new = served
    outcome = http_run.differing[0]
    assert legacy in outcome.request.curl(http_run.legacy_base)
    assert http_run.new_base == new
