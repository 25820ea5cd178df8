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
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.servers import running_front, venv_command

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
