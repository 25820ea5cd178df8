"""Shadow mode through a real front (`strangler serve`): the client always gets legacy's answer,
whatever the new side does; what is mirrored, counted, recorded and replayed; automatic rollback
by shadow differences and by the new side's 5xx. No timed assertions: every wait polls with a
generous deadline."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from proxy.store import open_store
from tests.support.servers import (
    free_port,
    running_front,
    running_server,
    strangler_serve_command,
    venv_command,
)

DEADLINE = 60.0
CONFIG = """
[legacy]
app = "tests.integration.shadow_apps:legacy_app"
threads = 4

[migrated]
app = "tests.integration.shadow_apps:migrated_app"

[store]
url = "sqlite:///state.db"

[shadow]
timeout = 120
budget = 0  # the CPU budget has its own tests; here every copy is compared, whatever the load
noise_warmup = 0
noise_sample = 0.0
record = "recorded.jsonl"
record_sample = 1.0

[parity]
phases = []

[observability]
access_log = false

[[routes]]
path = "/api/items"
methods = ["GET"]
mode = "shadow"
rollback = { enabled = false }

[[routes]]
path = "/api/quote"
methods = ["POST"]
mode = "shadow"
side_effect_free = true
rollback = { enabled = false }

[[routes]]
path = "/api/login"
methods = ["POST"]
mode = "shadow"
rollback = { enabled = false }

[[routes]]
path = "/api/visits"
methods = ["GET"]
mode = "shadow"
rollback = { min_samples = 5, max_diff_rate = 0.2, max_5xx_rate = 0.2 }

[[routes]]
path = "/_test/new/state"
methods = ["GET"]
mode = "new"

[[routes]]
path = "/_test/new/{mode}"
methods = ["POST"]
mode = "new"
"""
LEGACY_ITEMS = {"items": [{"id": 1, "name": "pen"}], "page": "1"}


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "strangler.toml"
    path.write_text(CONFIG)
    return path


@pytest.fixture
def front(config: Path) -> Iterator[str]:
    shared = config.parent / "new-side"
    shared.mkdir()
    with running_front(config, env={"SHADOW_TEST_DIR": str(shared)}) as url:
        yield url


def new_side(front: str, mode: str) -> None:
    httpx.post(f"{front}/_test/new/{mode}", timeout=10).raise_for_status()


def new_state(front: str) -> dict[str, Any]:
    answer: dict[str, Any] = httpx.get(f"{front}/_test/new/state", timeout=10).json()
    return answer


def eventually(check: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + DEADLINE
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {DEADLINE:g}s: {what}")
        time.sleep(0.1)


def strangler(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [venv_command("strangler"), *map(str, args)], capture_output=True, text=True, timeout=300,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


def status(config: Path) -> dict[str, dict[str, Any]]:
    result = strangler("status", "--json", "-c", config)
    assert result.returncode == 0, result.stderr
    return {row["path"]: row for row in json.loads(result.stdout)}


def test_a_hanging_shadow_does_not_hold_the_client_s_answer(front: str) -> None:
    new_side(front, "hang")

    response = httpx.get(f"{front}/api/items", timeout=30)

    assert (response.status_code, response.json()) == (200, LEGACY_ITEMS)
    # The mirrored request is in the new side's handler, still held: the client had its answer
    # before the handler was released.
    state = eventually(lambda: (s := new_state(front))["inside"] == 1 and s, "shadow entered")
    assert state["mirrored_seen"] >= 1
    new_side(front, "release")
    eventually(lambda: new_state(front)["inside"] == 0, "shadow released")


def test_a_failing_shadow_leaves_the_client_s_answer_as_legacy_gave_it(front: str) -> None:
    new_side(front, "fail")

    responses = [httpx.get(f"{front}/api/items", timeout=30) for _ in range(5)]

    assert [(r.status_code, r.json()) for r in responses] == [(200, LEGACY_ITEMS)] * 5
    # The new side's 500 is an answer like any other: compared, and it differs.
    eventually(
        lambda: (
            'strangler_shadow_compared_total{result="differed",route="GET /api/items"} 5.0'
            in httpx.get(f"{front}/metrics").text
        ),
        "five differing comparisons counted",
    )


def test_differences_reach_status_with_a_curl_without_credentials(front: str, config: Path) -> None:
    new_side(front, "differ")

    httpx.get(f"{front}/api/items?page=2", headers={"Cookie": "session=s3cret"}, timeout=30)

    row = eventually(
        lambda: (found := status(config)["/api/items"])["shadow"]["differed"] >= 1 and found,
        "the difference counted in strangler status",
    )
    assert row["shadow"] == {"compared": 1, "differed": 1, "dropped": 0}
    latest = row["latest_differences"][0]
    assert latest["target"] == "/api/items?page=2"
    assert any("extra" in line for line in latest["differences"])
    assert "/api/items?page=2" in latest["curl"] and "s3cret" not in latest["curl"]


def test_only_safe_methods_are_mirrored_unless_the_route_is_side_effect_free(
    front: str,
) -> None:
    new_side(front, "same")

    login = httpx.post(f"{front}/api/login", json={"user": "ann", "password": "pw"}, timeout=30)
    quote = httpx.post(f"{front}/api/quote", json={"lines": [{"qty": 3}]}, timeout=30)

    assert (login.json(), quote.json()) == ({"ok": True}, {"total": 6})
    metrics = eventually(
        lambda: (
            (text := httpx.get(f"{front}/metrics").text)
            and 'strangler_shadow_compared_total{result="equal",route="POST /api/quote"} 1.0'
            in text
            and text
        ),
        "the quote compared",
    )
    assert 'route="POST /api/login"' not in metrics


def test_mirrored_requests_are_recorded_redacted_and_replayed_by_parity(
    front: str, config: Path
) -> None:
    new_side(front, "same")
    recorded = config.parent / "recorded.jsonl"

    httpx.get(
        f"{front}/api/items?page=3&token=abc",
        headers={"Cookie": "session=s3cret", "Authorization": "Bearer t0ken"},
        timeout=30,
    )
    httpx.post(f"{front}/api/quote", json={"lines": [{"qty": 1}], "api_key": "k3y"}, timeout=30)

    lines = eventually(
        lambda: (
            recorded.exists()
            and len(recorded.read_text().splitlines()) >= 2
            and [json.loads(line) for line in recorded.read_text().splitlines()]
        ),
        "two recorded requests",
    )
    text = recorded.read_text()
    for secret in ("s3cret", "t0ken", "abc", "k3y"):
        assert secret not in text
    items = next(line for line in lines if line["method"] == "GET")
    assert items["path"] == "/api/items?page=3&token=%3Credacted%3E"
    assert {"header cookie", "header authorization", "query token"} <= set(items["redacted"])
    quote = next(line for line in lines if line["method"] == "POST")
    assert quote["json"] == {"lines": [{"qty": 1}], "api_key": "<redacted>"}

    in_process = config.parent / "parity-new-side"  # parity's own copy of the apps
    in_process.mkdir()
    replay = strangler(
        "parity", "-c", config, "--cases", recorded, env={"SHADOW_TEST_DIR": str(in_process)}
    )

    assert replay.returncode == 0, replay.stdout + replay.stderr
    assert "GET /api/items" in replay.stdout and "POST /api/quote" in replay.stdout


def test_shadow_differences_roll_the_route_back_by_themselves(front: str, config: Path) -> None:
    new_side(front, "same")  # /api/visits differs anyway: legacy counts, new says -1

    for _ in range(10):
        assert httpx.get(f"{front}/api/visits", timeout=30).status_code == 200

    row = eventually(
        lambda: (found := status(config)["/api/visits"])["mode"] == "legacy" and found,
        "the route rolled back",
    )
    assert row["weight"] == 0
    audit = json.loads(strangler("audit", "--json", "-c", config).stdout)
    assert audit[-1]["to_mode"] == "legacy"
    assert audit[-1]["why"].startswith("automatic rollback: shadow diff rate")
    assert audit[-1]["who"].startswith("front ")
    assert 'strangler_rollbacks_total{route="GET /api/visits",trigger="diff_rate"} 1.0' in (
        httpx.get(f"{front}/metrics").text
    )


def test_a_failing_new_side_rolls_the_shadowed_route_back_on_its_5xx(
    front: str, config: Path
) -> None:
    new_side(front, "fail")

    for _ in range(10):
        assert httpx.get(f"{front}/api/visits", timeout=30).status_code == 200

    eventually(lambda: status(config)["/api/visits"]["mode"] == "legacy", "rolled back")
    audit = json.loads(strangler("audit", "--json", "-c", config).stdout)
    assert audit[-1]["why"].startswith("automatic rollback: new side 5xx rate 100.0%")


def test_the_front_moves_a_plan_on_once_its_step_is_over_and_judged(
    front: str, config: Path
) -> None:
    new_side(front, "same")
    started = strangler("plan", "/api/items", "--step", "shadow:1s", "--step", "new", "-c", config)
    assert started.returncode == 0, started.stderr

    def moved_on() -> dict[str, Any] | None:
        # Traffic until min_samples (50) comparisons are in: a busy worker's shadow sheds some,
        # so a fixed count of requests may leave the step unjudged.
        for _ in range(10):
            assert httpx.get(f"{front}/api/items", timeout=30).status_code == 200
        found: dict[str, Any] = status(config)["/api/items"]
        return found if found["mode"] == "new" else None

    row = eventually(moved_on, "the plan moved on to new")
    assert row["plan"]["status"] == "done"
    audit = json.loads(strangler("audit", "--json", "-c", config).stdout)
    assert (audit[-1]["why"], audit[-1]["who"].startswith("front ")) == ("plan step 2/2: new", True)
    assert httpx.get(f"{front}/api/items", timeout=30).json() == LEGACY_ITEMS  # new answers alike


def test_shadow_counts_are_summed_over_the_workers(config: Path) -> None:
    shared = config.parent / "new-side"
    shared.mkdir()
    (shared / "mode").write_text("differ")
    port = free_port()
    command = [*strangler_serve_command(config, port), "--workers", "2"]
    with running_server(
        command, port, env={"SHADOW_TEST_DIR": str(shared)}, ready_path="/healthz"
    ) as url:

        def ask(n: int) -> int:
            return httpx.get(f"{url}/api/items?page={n}", timeout=30).status_code

        with ThreadPoolExecutor(8) as pool:  # many connections at once: both workers take some
            assert set(pool.map(ask, range(40))) == {200}

        row = eventually(
            lambda: (found := status(config)["/api/items"])["shadow"]["compared"] == 40 and found,
            "forty comparisons summed over the workers",
        )
        assert row["shadow"] == {"compared": 40, "differed": 40, "dropped": 0}
        with open_store(f"sqlite:///{config.parent / 'state.db'}") as store:
            reporting = [
                report["routes"]["GET /api/items"]["shadow"].get("compared", 0)
                for report in store.reports().values()
            ]
    assert len(reporting) == 2 and sum(reporting) == 40, reporting  # one report per worker


def test_a_slow_new_side_in_canary_rolls_back_on_the_p99_ratio(front: str, config: Path) -> None:
    new_side(front, "slow")
    flipped = strangler("cutover", "/api/visits", "--to", "canary", "--weight", "50", "-c", config)
    assert flipped.returncode == 0, flipped.stderr
    eventually(lambda: status(config)["/api/visits"]["mode"] == "canary", "canary in the store")

    def answered_by(side: str) -> str:
        force = "always" if side == "new" else "never"
        answer = httpx.get(f"{front}/api/visits", headers={"X-Strangler-Canary": force}, timeout=30)
        assert answer.status_code == 200
        return "new" if answer.json()["count"] == -1 else "legacy"

    # The front applies the flip within a second: wait until the testers' header meets new.
    eventually(lambda: answered_by("new") == "new", "the new side answering the canary")
    for _ in range(8):  # min_samples (5) on each side; the rollback may come before the last
        answered_by("new")
        answered_by("legacy")

    eventually(lambda: status(config)["/api/visits"]["mode"] == "legacy", "rolled back")
    audit = json.loads(strangler("audit", "--json", "-c", config).stdout)
    assert audit[-1]["why"].startswith("automatic rollback: p99 latency new/legacy")
