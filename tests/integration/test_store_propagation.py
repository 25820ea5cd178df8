"""A change written by one process reaches other processes' watchers without a restart, and a
process started later begins from the live state: for the SQLite file and the real Redis.

Deadlines are generous (the machine may be loaded); how fast it is, is bench/store_propagation.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from proxy.store import Desired, RouteKey, open_store
from tests.support import services
from tests.support.servers import REPO_ROOT

ROUTE = RouteKey.of("/api/products", ["GET", "POST"])
DEADLINE = 30.0


class Follower:
    """`python -m proxy.store.follow` in its own process; its JSON lines in a queue."""

    def __init__(self, url: str, prefix: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "proxy.store.follow", url, "--prefix", prefix],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for(lambda line: line.get("ready") is True)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def wait_for(self, wanted: Any) -> dict[str, Any]:
        for line in self.seen:
            if wanted(line):
                return line
        deadline = time.monotonic() + DEADLINE
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            self.seen.append(line)
            if wanted(line):
                return line
        raise AssertionError(f"no matching line from the follower within {DEADLINE}s")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)  # a guard against a hang; a loaded CI machine took over 10 s


@contextmanager
def followers(url: str, prefix: str, count: int) -> Iterator[list[Follower]]:
    started: list[Follower] = []
    try:
        for _ in range(count):
            started.append(Follower(url, prefix))
        yield started
    finally:
        for follower in started:
            follower.stop()


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'state.db'}", "strangler:"
        return
    url, prefix = services.require_redis(), f"strangler-test:{uuid.uuid4().hex}:"
    yield url, prefix
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def is_change(mode: str, version: int) -> Any:
    return lambda line: line.get("mode") == mode and line.get("version") == version


def test_two_processes_apply_a_change_without_a_restart(store_url: tuple[str, str]) -> None:
    url, prefix = store_url
    with open_store(url, key_prefix=prefix) as store, followers(url, prefix, 2) as running:
        store.compare_and_set(ROUTE, 0, Desired("canary", 10), who="ana", why="week 2")
        for follower in running:
            line = follower.wait_for(is_change("canary", 1))
            assert (line["route"], line["weight"]) == ("GET,POST /api/products", 10)
        store.compare_and_set(ROUTE, 1, Desired("legacy"), who="ana", why="rollback")
        for follower in running:
            follower.wait_for(is_change("legacy", 2))


def test_a_process_started_after_a_change_begins_from_the_live_state(
    store_url: tuple[str, str],
) -> None:
    url, prefix = store_url
    with open_store(url, key_prefix=prefix) as store:
        store.compare_and_set(ROUTE, 0, Desired("new"), who="ana")
    with followers(url, prefix, 1) as (restarted,):
        restarted.wait_for(is_change("new", 1))
