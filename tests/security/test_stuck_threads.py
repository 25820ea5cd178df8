"""Item 8: legacy threads stuck past the timeout are replaced, up to `[legacy] max_stuck_threads`;
past it the worker is restarted by its supervisor, or says it is not ready when it has none."""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx

from tests.security.conftest import Front, config_text, serve
from tests.security.raw import exchange
from tests.support.servers import free_port, running_server, venv_command


def stuck_config(max_stuck_threads: int, threads: int = 1) -> str:
    return config_text(threads=threads, max_pending=0, legacy_timeout=0.3).replace(
        "legacy_timeout = 0.3", f"legacy_timeout = 0.3\nmax_stuck_threads = {max_stuck_threads}"
    )


def test_a_thread_stuck_past_the_timeout_is_replaced(tmp_path: Path) -> None:
    with serve(tmp_path, stuck_config(max_stuck_threads=2)) as front:
        assert exchange(front.port, "GET", "/hang?seconds=5").status == 504

        assert exchange(front.port, "GET", "/echo").status == 200
        assert httpx.get(front.url + "/readyz?", timeout=10).status_code == 200


def test_past_the_bound_a_lone_worker_is_not_ready_and_the_log_says_why(tmp_path: Path) -> None:
    with serve(tmp_path, stuck_config(max_stuck_threads=1)) as front:
        assert exchange(front.port, "GET", "/hang?seconds=5").status == 504
        assert exchange(front.port, "GET", "/hang?seconds=5").status == 504

        ready = httpx.get(front.url + "/readyz", timeout=10)
        assert ready.status_code == 503
        assert ready.json()["checks"]["legacy_threads"]["ok"] is False
        assert "stuck" in ready.json()["checks"]["legacy_threads"]["detail"]
        assert any(
            line.get("event") == "legacy_threads_stuck" and "restart" in line.get("action", "")
            for line in front.log_lines()
        )


def keep_calling(front_url: str, seconds: float) -> list[tuple[int, int | None]]:
    """GET /pid for `seconds`, one request at a time: (status, pid) of each."""
    results: list[tuple[int, int | None]] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            response = httpx.get(front_url + "/pid", timeout=10)
        except httpx.RemoteProtocolError:
            # A new connection the retiring worker accepted as it stopped is closed unanswered,
            # its request never read (gunicorn's own workers do the same): an idempotent GET is
            # sent again, as HTTP clients do (RFC 9110, 9.2.2). Answered with an error, never.
            response = httpx.get(front_url + "/pid", timeout=10)
        pid = response.json().get("pid") if response.status_code == 200 else None
        results.append((response.status_code, pid))
    return results


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def assert_a_replacement_worker_takes_over(front: Front) -> None:
    hung = exchange(front.port, "GET", "/hang?seconds=30")
    calls = keep_calling(front.url, 4)

    assert hung.status == 504
    assert calls and all(status == 200 for status, _ in calls)  # nothing dropped
    restarted = {
        line["pid"] for line in front.log_lines() if line.get("event") == "legacy_threads_stuck"
    }
    assert restarted and "restart requested" in str(front.log_lines())
    assert front.wait_for(lambda: not any(process_exists(pid) for pid in restarted))
    assert not restarted & {pid for _, pid in calls[-5:]}  # a new worker answers instead


def test_past_the_bound_serve_with_workers_replaces_the_worker(tmp_path: Path) -> None:
    with serve(tmp_path, stuck_config(max_stuck_threads=0, threads=2), ("--workers", "2")) as front:
        assert_a_replacement_worker_takes_over(front)


def test_past_the_bound_gunicorn_replaces_the_worker(tmp_path: Path) -> None:
    config = tmp_path / "strangler.toml"
    config.write_text(stuck_config(max_stuck_threads=0, threads=2))
    port = free_port()
    argv = [
        venv_command("gunicorn"), "--worker-class", "uvicorn.workers.UvicornWorker",
        "--workers", "2", "--bind", f"127.0.0.1:{port}", "proxy.app:app_from_environment()",
    ]  # fmt: skip
    env = {"STRANGLER_CONFIG": str(config)}
    with running_server(argv, port, env=env, ready_path="/healthz") as url:
        log = Path(os.environ.get("TMPDIR", "/tmp")) / f"strangler-server-{port}.log"
        assert_a_replacement_worker_takes_over(Front(url, port, log))
