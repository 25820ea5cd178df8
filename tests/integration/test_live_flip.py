"""The multi-process flip: two fronts (`strangler serve --workers 2` each, one state store)
under load from client threads; `strangler cutover` flips a route, every one of the four
workers applies it without a restart, and no request is dropped or answered twice. Then a
restarted front starts from the store's mode, not the file's. With the SQLite file beside the
config and with the real Redis.

No timed assertion: the test waits for the flip with a generous deadline.
"""

from __future__ import annotations

import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.support import services
from tests.support.servers import REPO_ROOT, free_port, running_server, venv_command

DEADLINE = 120.0
WORKERS = 2
CONFIG = """
[legacy]
app = "tests.integration.flip_apps:legacy"
threads = 4
legacy_timeout = 5

[migrated]
app = "tests.integration.flip_apps:migrated"

[canary]
cookie_secret = "the flip test's canary secret"

[observability]
access_log = false

[[routes]]
path = "/api/where"
methods = ["GET"]
mode = "legacy"
"""


@dataclass
class Answers:
    """What the client threads saw: every request id sent, and each answer's side and pid."""

    sent: list[str] = field(default_factory=list)
    answered: dict[str, tuple[str, int]] = field(default_factory=dict)
    log: list[tuple[str, int, float]] = field(default_factory=list)  # side, pid, when
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def workers_on(self, side: str, since: float) -> set[int]:
        """The workers (pids) that answered on `side` after `since`."""
        with self.lock:
            return {
                pid for (answer_side, pid, at) in self.log if answer_side == side and at > since
            }


class Load:
    """Client threads sending `GET /api/where` to both fronts, each on a new connection (so the
    kernel spreads them over every worker), until stopped."""

    def __init__(self, bases: list[str], threads: int = 4) -> None:
        self.answers = Answers()
        self.stopped = threading.Event()
        self.threads = [
            threading.Thread(target=self.run, args=(bases[n % len(bases)],), daemon=True)
            for n in range(threads)
        ]
        for thread in self.threads:
            thread.start()

    def run(self, base: str) -> None:
        answers = self.answers
        while not self.stopped.is_set():
            request_id = uuid.uuid4().hex
            with answers.lock:
                answers.sent.append(request_id)
            try:
                with httpx.Client(timeout=30) as client:  # a new connection each time
                    response = client.get(f"{base}/api/where", headers={"X-Request-ID": request_id})
                body = response.json()
                assert response.status_code == 200, response.text
                assert body["request_id"] == request_id == response.headers["x-request-id"]
            except Exception as error:  # counted, reported by the test
                with answers.lock:
                    answers.failures.append(f"{request_id}: {type(error).__name__}: {error}")
                continue
            with answers.lock:
                answers.answered[request_id] = (body["side"], body["pid"])
                answers.log.append((body["side"], body["pid"], time.monotonic()))

    def stop(self) -> Answers:
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=60)
        return self.answers


def wait_until(condition: object, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {DEADLINE}s: {what}")
        time.sleep(0.2)


def front_command(config: Path, port: int) -> list[str]:
    return [venv_command("strangler"), "serve", "-c", str(config), "--port", str(port),
            "--workers", str(WORKERS)]  # fmt: skip


def strangler(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([venv_command("strangler"), *args], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def app_log(folder: Path) -> Counter[str]:
    """How many times each request id was answered, by any app of any worker."""
    counts: Counter[str] = Counter()
    for log in folder.glob("*.log"):
        counts.update(line for line in log.read_text().splitlines() if line)
    return counts


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def config(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "strangler.toml"
    if request.param == "sqlite":  # the default: strangler.state.db beside the config
        path.write_text(CONFIG)
        yield path
        return
    url, prefix = services.require_redis(), f"strangler-flip:{uuid.uuid4().hex}:"
    path.write_text(CONFIG + f'\n[store]\nurl = "{url}"\nkey_prefix = "{prefix}"\n')
    yield path
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def test_a_flip_reaches_every_worker_of_two_fronts_under_load_and_survives_a_restart(
    config: Path, tmp_path: Path
) -> None:
    logs = tmp_path / "answers"
    logs.mkdir()
    env = {"FLIP_LOG_DIR": str(logs), "PYTHONPATH": str(REPO_ROOT)}
    with ExitStack() as fronts:
        ports = [free_port(), free_port()]
        bases = [
            fronts.enter_context(
                running_server(
                    front_command(config, port), port, env=env, ready_path="/healthz", timeout=90
                )
            )
            for port in ports
        ]
        load = Load(bases)
        try:
            wait_until(lambda: len(load.answers.workers_on("legacy", 0)) == 2 * WORKERS,
                       "every worker answered legacy before the flip")  # fmt: skip
            flipped = strangler("cutover", "/api/where", "--to", "new", "--reason", "flip test",
                                "-c", str(config))  # fmt: skip
            assert flipped.returncode == 0, flipped.stdout + flipped.stderr
            flipped_at = time.monotonic()
            wait_until(lambda: len(load.answers.workers_on("new", flipped_at)) == 2 * WORKERS,
                       "every worker answered new after the flip")  # fmt: skip
        finally:
            answers = load.stop()

        assert answers.failures == []
        assert len(answers.answered) == len(answers.sent)  # none dropped
        workers = {pid for _, pid, _ in answers.log}
        assert len(workers) == 2 * WORKERS
        answered_by_apps = app_log(logs)
        assert set(answered_by_apps) == set(answers.sent)
        assert set(answered_by_apps.values()) == {1}  # none answered twice
        sides = Counter(side for side, _ in answers.answered.values())
        assert sides["legacy"] > 0 and sides["new"] > 0

    # Restart: the file still says legacy; the store's new wins.
    port = free_port()
    with running_server(front_command(config, port), port, env=env, ready_path="/healthz",
                        timeout=90) as base:  # fmt: skip
        for _ in range(8):
            with httpx.Client(timeout=30) as client:
                assert client.get(f"{base}/api/where").json()["side"] == "new"
    shown = strangler("routes", "-c", str(config), "--json")
    assert '"configured_mode": "legacy"' in shown.stdout and '"mode": "new"' in shown.stdout
