"""`strangler parity` picks routes by their live mode: the state store's once it holds one (as
`strangler status` and `strangler routes` read it), else the file's; a store that cannot be
reached exits 3, as `strangler status` does."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from proxy.parity.config import config_from_dict
from proxy.parity.session import ParitySession, RunOptions
from proxy.store import Desired, RouteKey, RouteState, default_store_url, open_store
from tests.support import services
from tests.unit.cli.conftest import strangler, unused_port

CONFIG = """
[legacy]
app = "tests.unit.proxy.apps:flask_app"

[migrated]
app = "tests.unit.proxy.apps:migrated_app"

[[routes]]
path = "/api/items"
methods = ["GET"]
mode = "legacy"

[[routes]]
path = "/api/items/{item_id:int}"
methods = ["GET"]
mode = "new"
"""
ITEMS = RouteKey.of("/api/items", ["GET"])
ONE_ITEM = RouteKey.of("/api/items/{item_id:int}", ["GET"])
CASES = '{"method": "GET", "path": "/api/items"}\n{"method": "GET", "path": "/api/items/3"}\n'


def write(folder: Path, store: str = "") -> tuple[Path, Path]:
    config = folder / "strangler.toml"
    config.write_text(CONFIG + store)
    cases = folder / "cases.jsonl"
    cases.write_text(CASES)
    return config, cases


def session_with(live: dict[RouteKey, RouteState]) -> ParitySession:
    routes = [
        {"path": "/api/items", "methods": ["GET"], "mode": "legacy"},
        {"path": "/api/items/{item_id:int}", "methods": ["GET"], "mode": "new"},
    ]
    config = config_from_dict(
        {"legacy": {"app": "tests.unit.proxy.apps:flask_app"}, "routes": routes},
        base_dir=Path("."),
    )
    return ParitySession(config.with_live(live), RunOptions())


def state(mode: str, weight: int = 0, version: int = 1) -> RouteState:
    return RouteState(mode, weight, None, version, 0.0, "ana")  # type: ignore[arg-type]


def test_a_route_whose_live_mode_has_a_new_side_is_compared_whatever_the_file_says() -> None:
    session = session_with({ITEMS: state("canary", 10)})

    assert [route.path for route in session.routes] == ["/api/items", "/api/items/{item_id:int}"]
    assert session.live_mode_notes == [
        "GET /api/items: live mode canary 10% used (the state store's, version 1);"
        " strangler.toml says legacy"
    ]


def test_a_live_retired_route_is_skipped_with_the_note() -> None:
    session = session_with({ITEMS: state("shadow"), ONE_ITEM: state("retired", version=4)})

    assert [route.path for route in session.routes] == ["/api/items"]
    assert session.skipped_retired == ["GET /api/items/{item_id:int}"]
    assert (
        "GET /api/items/{item_id:int}: live mode retired used (the state store's, version 4);"
        " strangler.toml says new"
    ) in session.live_mode_notes


def test_a_route_the_store_set_back_to_legacy_is_not_compared() -> None:
    session = session_with({ITEMS: state("new"), ONE_ITEM: state("legacy", version=2)})

    assert [route.path for route in session.routes] == ["/api/items"]


def test_the_command_reads_the_store_beside_the_config_and_says_which_mode_it_used(
    tmp_path: Path,
) -> None:
    config, cases = write(tmp_path)
    with open_store(default_store_url(config)) as store:
        store.compare_and_set(ITEMS, 0, Desired("canary", 10), who="ana")
        store.compare_and_set(ONE_ITEM, 0, Desired("retired"), who="ana")
    report = tmp_path / "report.json"

    result = strangler("parity", "-c", config, "--cases", cases, "--json", report)

    assert result.exit_code == 1, result.output  # legacy and new answer different bodies
    assert "GET /api/items: live mode canary 10% used" in result.stdout
    assert "skipped GET /api/items/{item_id:int}: retired" in result.stdout
    summary = json.loads(report.read_text())
    assert [route["route"] for route in summary["routes"]] == ["GET /api/items"]
    assert summary["summary"]["skipped_retired"] == ["GET /api/items/{item_id:int}"]
    assert len(summary["summary"]["live_modes"]) == 2


@pytest.mark.redis
def test_the_command_reads_the_redis_store_the_config_names(tmp_path: Path) -> None:
    prefix = f"t-{uuid.uuid4().hex}:"
    url = services.require_redis()
    config, cases = write(tmp_path, f'\n[store]\nurl = "{url}"\nkey_prefix = "{prefix}"\n')
    report = tmp_path / "report.json"
    with open_store(url, key_prefix=prefix) as store:
        store.compare_and_set(ITEMS, 0, Desired("shadow"), who="ana")
    try:
        strangler("parity", "-c", config, "--cases", cases, "--json", report)
    finally:
        import redis

        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()

    summary = json.loads(report.read_text())
    assert [route["route"] for route in summary["routes"]] == [
        "GET /api/items",
        "GET /api/items/{item_id:int}",
    ]
    assert summary["summary"]["live_modes"] == [
        "GET /api/items: live mode shadow used (the state store's, version 1);"
        " strangler.toml says legacy"
    ]


def test_without_a_store_file_the_files_modes_are_used_and_no_store_is_created(
    tmp_path: Path,
) -> None:
    config, cases = write(tmp_path)
    report = tmp_path / "report.json"

    result = strangler("parity", "-c", config, "--cases", cases, "--json", report)

    summary = json.loads(report.read_text())
    assert [route["route"] for route in summary["routes"]] == ["GET /api/items/{item_id:int}"]
    assert summary["summary"]["live_modes"] == []
    assert "live mode" not in result.stdout
    assert not (tmp_path / "strangler.state.db").exists()


def test_a_store_nobody_listens_on_exits_3_as_status_does(tmp_path: Path) -> None:
    store = f'\n[store]\nurl = "redis://127.0.0.1:{unused_port()}/0"\n'
    config, cases = write(tmp_path, store)

    result = strangler("parity", "-c", config, "--cases", cases)
    status = strangler("status", "-c", config)

    assert (result.exit_code, status.exit_code) == (3, 3)
    assert result.stderr.startswith("strangler: state store redis://127.0.0.1:")
    assert result.stderr.splitlines()[0] == status.stderr.splitlines()[0]
