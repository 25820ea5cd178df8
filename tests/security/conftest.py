"""A real `strangler serve` per test module, with the security apps and a config to taste."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.support.servers import free_port, running_server, strangler_serve_command

BASE = """
[legacy]
app = "tests.security.apps:legacy"
threads = {threads}
max_pending = {max_pending}
legacy_timeout = {legacy_timeout}

[migrated]
app = "tests.security.apps:migrated_app"

[[routes]]
path = "/api/crash"
methods = ["GET"]
mode = "new"

[[routes]]
path = "/api/upload"
methods = ["POST"]
mode = "new"

[[routes]]
path = "/api/ok"
methods = ["GET"]
mode = "new"

[[routes]]
path = "/api/stats"
methods = ["GET"]
mode = "new"
"""


@dataclass(frozen=True)
class Front:
    url: str
    port: int
    log_path: Path

    def log_lines(self) -> list[dict[str, Any]]:
        lines = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                with suppress(ValueError):
                    lines.append(json.loads(line))
        return lines

    def raw_log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def request_line(self, request_id: str, timeout: float = 5.0) -> dict[str, Any]:
        """The access-log line of `request_id` (written once the request is over)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [
                line
                for line in self.log_lines()
                if line.get("request_id") == request_id and line.get("event") == "request"
            ]
            if found or time.monotonic() > deadline:
                assert found, f"no request line for {request_id}"
                return found[-1]
            time.sleep(0.05)

    def stats(self) -> dict[str, int]:
        """What the legacy app counted, read by a migrated route (no legacy thread needed)."""
        return dict(httpx.get(self.url + "/api/stats", timeout=10).json())

    def wait_for(self, condition: Callable[[], bool], timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.05)
        return condition()


def config_text(
    *, threads: int = 1, max_pending: int = 0, legacy_timeout: float = 5, extra: str = ""
) -> str:
    return (
        BASE.format(threads=threads, max_pending=max_pending, legacy_timeout=legacy_timeout)
        + "\n"
        + extra
    )


@contextmanager
def serve(tmp_path: Path, text: str, argv_extra: tuple[str, ...] = ()) -> Iterator[Front]:
    config = tmp_path / "strangler.toml"
    config.write_text(text)
    port = free_port()
    argv = [*strangler_serve_command(config, port), *argv_extra]
    with running_server(argv, port, ready_path="/healthz") as url:
        yield Front(
            url, port, Path(os.environ.get("TMPDIR", "/tmp")) / f"strangler-server-{port}.log"
        )
