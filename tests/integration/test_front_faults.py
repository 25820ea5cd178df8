"""Legacy faults and transport behaviour through a real `strangler serve` process."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.servers import (
    free_port,
    running_front,
    running_server,
    venv_command,
)

CONFIG = """
[legacy]
app = "tests.unit.proxy.apps:flask_app"
threads = 2
max_pending = 0
legacy_timeout = 1
retry_after = 3
buffer_response_below = 65536

[migrated]
app = "tests.unit.proxy.apps:migrated_app"

[[routes]]
path = "/api/items"
methods = ["GET", "HEAD"]
mode = "new"
"""


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    config = tmp_path_factory.mktemp("faults") / "strangler.toml"
    config.write_text(CONFIG)
    with running_front(config) as url:
        yield url


def test_a_raising_legacy_handler_gives_the_legacy_app_s_own_500(front: str) -> None:
    response = httpx.get(front + "/boom")

    assert response.status_code == 500
    assert "Internal Server Error" in response.text
    assert "legacy_" not in response.text  # not the front's error format


def test_a_hung_handler_gets_504_while_other_requests_are_served(front: str) -> None:
    results: dict[str, httpx.Response] = {}

    def hang() -> None:
        results["hung"] = httpx.get(front + "/hang?seconds=2.5", timeout=30)

    hung = threading.Thread(target=hang)
    hung.start()
    others = [httpx.get(front + "/api/items", timeout=30) for _ in range(5)]
    hung.join()

    assert results["hung"].status_code == 504
    assert results["hung"].json()["error"] == "legacy_timeout"
    assert results["hung"].json()["request_id"] == results["hung"].headers["x-request-id"]
    assert all(response.status_code == 200 for response in others)


def wait_until_the_pool_is_free(front: str) -> None:
    """A hung handler from another test keeps its thread until it returns (threads cannot be
    killed); wait until two concurrent legacy calls both get a thread."""
    for _ in range(50):
        statuses: list[int] = []

        def call(into: list[int] = statuses) -> None:
            into.append(httpx.get(front + "/slow?seconds=0.3", timeout=30).status_code)

        pair = [threading.Thread(target=call) for _ in range(2)]
        for thread in pair:
            thread.start()
        for thread in pair:
            thread.join()
        if statuses == [200, 200]:
            return


def test_an_exhausted_pool_answers_503_with_retry_after(front: str) -> None:
    wait_until_the_pool_is_free(front)
    started = threading.Barrier(3)
    slow: list[httpx.Response] = []

    def occupy() -> None:
        started.wait()
        slow.append(httpx.get(front + "/slow?seconds=0.8", timeout=30))

    threads = [threading.Thread(target=occupy) for _ in range(2)]
    for thread in threads:
        thread.start()
    started.wait()
    probes: list[httpx.Response] = []
    while any(thread.is_alive() for thread in threads):  # probe while the slow calls run
        probes.append(httpx.get(front + "/echo", timeout=30))
        if probes[-1].status_code == 503:
            break
    for thread in threads:
        thread.join()

    # Two threads, nothing may wait: of three calls at once one is refused. On a busy machine a
    # probe can take a thread before the second slow call arrives; then that call is the one.
    answers = slow + probes
    refused = next((r for r in answers if r.status_code == 503), None)
    assert refused is not None
    assert refused.headers["retry-after"] == "3"
    assert refused.json()["error"] == "legacy_unavailable"
    assert all(r.status_code == 200 for r in answers if r is not refused)


def test_streaming_responses_arrive_in_pieces(front: str) -> None:
    with httpx.stream("GET", front + "/stream") as response:
        pieces = list(response.iter_raw())

    assert b"".join(pieces) == b"chunk 0\nchunk 1\nchunk 2\n"
    assert response.headers.get("transfer-encoding") == "chunked"


def test_a_large_response_is_streamed_through(front: str) -> None:
    with httpx.stream("GET", front + "/large?size=20000000") as response:
        total = sum(len(piece) for piece in response.iter_raw())

    assert total == 20_000_000


def test_a_large_chunked_upload_reaches_the_app_in_pieces(front: str) -> None:
    def body() -> Iterator[bytes]:
        for _ in range(200):
            yield b"u" * 65536

    response = httpx.post(front + "/upload/chunks", content=body(), timeout=60)

    assert response.json()["total"] == 200 * 65536
    assert response.json()["reads"] > 1


def test_one_json_log_line_per_request_with_route_side_status_and_duration(
    tmp_path: Path,
) -> None:
    config = tmp_path / "strangler.toml"
    config.write_text(CONFIG)
    port = free_port()
    argv = [venv_command("strangler"), "serve", "--config", str(config), "--port", str(port)]
    with running_server(argv, port, ready_path="/healthz") as url:
        httpx.get(url + "/api/items", headers={"X-Request-ID": "log-new"})
        httpx.get(url + "/echo", headers={"X-Request-ID": "log-legacy"})
    log = (Path("/tmp") / f"strangler-server-{port}.log").read_text()
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    by_id = {line["request_id"]: line for line in lines}

    assert by_id["log-new"]["side"] == "new" and by_id["log-new"]["route"] == "/api/items"
    assert by_id["log-legacy"]["side"] == "legacy" and by_id["log-legacy"]["route"] == "/echo"
    assert by_id["log-legacy"]["status"] == 200 and by_id["log-legacy"]["duration_ms"] > 0
    assert sum(1 for line in lines if line["request_id"] == "log-legacy") == 1


def test_gunicorn_with_uvicorn_workers_serves_the_front(tmp_path: Path) -> None:
    """The production command of docs/ops.md."""
    config = tmp_path / "strangler.toml"
    config.write_text(CONFIG)
    port = free_port()
    argv = [
        venv_command("gunicorn"), "--worker-class", "proxy.gunicorn_worker.StranglerUvicornWorker",
        "--workers", "2", "--bind", f"127.0.0.1:{port}", "proxy.app:app_from_environment()",
    ]  # fmt: skip
    with running_server(
        argv, port, env={"STRANGLER_CONFIG": str(config)}, ready_path="/healthz"
    ) as url:
        assert httpx.get(url + "/api/items").json()["side"] == "new"
        assert httpx.get(url + "/echo").json()["path"] == "/echo"


def test_serve_with_a_bad_config_exits_2_with_the_key_and_line(tmp_path: Path) -> None:
    config = tmp_path / "strangler.toml"
    config.write_text(CONFIG.replace("threads = 2", "threads = -2"))

    result = subprocess.run(
        [venv_command("strangler"), "serve", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert (
        "strangler.toml:4: legacy.threads: Input should be greater than or equal to 1"
        in result.stderr
    )
    assert sys.executable  # the venv's own strangler was used


def test_serve_with_several_workers_serves_the_front(tmp_path: Path) -> None:
    config = tmp_path / "strangler.toml"
    config.write_text(CONFIG)
    port = free_port()
    argv = [
        venv_command("strangler"), "serve", "--config", str(config), "--port", str(port),
        "--workers", "2",
    ]  # fmt: skip
    with running_server(argv, port, ready_path="/healthz") as url:
        assert httpx.get(url + "/api/items").json()["side"] == "new"
        assert httpx.get(url + "/echo").json()["path"] == "/echo"
