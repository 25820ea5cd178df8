"""Item 7: what the probes expose, and probes off the public port (`[health] listen`)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import httpx

from tests.security.edge_support import front_with
from tests.support.servers import free_port, running_server, strangler_serve_command

SECRET_URL = "postgresql://admin:s3cret@127.0.0.1:1/secretdb?password=hunter2&sslmode=disable"

CONFIG = """
[legacy]
app = "tests.security.edge_apps:legacy_echo"

[health]
timeout = 1
{extra}
"""


def test_readyz_shows_no_part_of_a_database_url(tmp_path: Path) -> None:
    config = CONFIG.format(extra=f'database_url = "{SECRET_URL}"')
    with front_with(tmp_path, config) as url:
        answer = httpx.get(url + "/readyz", timeout=10)

    assert answer.status_code == 503
    assert answer.json()["checks"]["database"]["ok"] is False
    for secret in ("admin", "s3cret", "hunter2", "secretdb", "127.0.0.1:1", "sslmode"):
        assert secret not in answer.text


def test_health_listen_serves_probes_and_metrics_on_their_own_address(tmp_path: Path) -> None:
    port = free_port()
    config = CONFIG.format(extra=f'listen = "127.0.0.1:{port}"')
    with front_with(tmp_path, config) as url:
        probes = f"http://127.0.0.1:{port}"
        live = httpx.get(probes + "/healthz")
        ready = httpx.get(probes + "/readyz")
        metrics = httpx.get(probes + "/metrics")
        elsewhere = httpx.get(probes + "/echo")
        public = httpx.get(url + "/metrics")

    assert live.status_code == 200
    assert ready.status_code == 200
    assert metrics.status_code == 200
    assert "# TYPE" in metrics.text
    assert elsewhere.status_code == 404
    assert public.json()["PATH_INFO"] == "/metrics"  # the legacy app answers it now


def test_urls_in_error_messages_keep_no_password_or_query_string() -> None:
    from proxy.redact import without_credentials

    shown = without_credentials(SECRET_URL)

    assert "s3cret" not in shown and "hunter2" not in shown
    assert shown.startswith("postgresql://admin:***@127.0.0.1:1/secretdb")
    assert without_credentials("sqlite:///shop.db") == "sqlite:///shop.db"


def test_health_listen_is_bound_by_every_worker_under_workers_n(tmp_path: Path) -> None:
    probes_port, port = free_port(), free_port()
    config = tmp_path / "strangler.toml"
    config.write_text(CONFIG.format(extra=f'listen = "127.0.0.1:{probes_port}"'))
    argv = [*strangler_serve_command(config, port), "--workers", "2"]
    with running_server(argv, port, ready_path="/healthz", timeout=60):
        deadline = time.monotonic() + 30
        while True:  # both workers up: the public port answers, then probe a few times
            try:
                statuses = {
                    httpx.get(f"http://127.0.0.1:{probes_port}/healthz").status_code
                    for _ in range(20)
                }
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        log = (Path(os.environ.get("TMPDIR", "/tmp")) / f"strangler-server-{port}.log").read_text()

    assert statuses == {200}
    assert "cannot bind" not in log  # no worker failed to take the address
    assert log.count("Application startup complete") == 2
