"""`strangler routes` shows each route's configured and live mode, from the store the front
reads (the SQLite file beside the config by default)."""

from __future__ import annotations

import json
from pathlib import Path

from proxy.store import Desired, RouteKey, default_store_url, open_store
from tests.unit.cli.conftest import strangler, unused_port

CONFIG = """
[legacy]
app = "tests.unit.proxy.apps:flask_app"

[migrated]
app = "tests.unit.proxy.apps:migrated_app"

[[routes]]
path = "/api/items"
methods = ["GET"]

[[routes]]
path = "/api/old"
methods = ["GET"]
"""


def rows(config: Path) -> dict[str, dict[str, object]]:
    result = strangler("routes", "-c", config, "--json")
    assert result.exit_code == 0, result.output
    return {row["path"]: row for row in json.loads(result.stdout) if row["methods"] == ["GET"]}


def test_without_a_store_the_live_mode_is_the_files(tmp_path: Path) -> None:
    config = tmp_path / "strangler.toml"
    config.write_text(CONFIG)

    items = rows(config)["/api/items"]

    assert (items["configured_mode"], items["mode"], items["answered_by"]) == (
        "legacy", "legacy", "legacy",
    )  # fmt: skip
    assert not (tmp_path / "strangler.state.db").exists()  # a listing creates no store


def test_the_stores_live_mode_is_shown_beside_the_files(tmp_path: Path) -> None:
    config = tmp_path / "strangler.toml"
    config.write_text(CONFIG)
    with open_store(default_store_url(config)) as store:
        store.compare_and_set(RouteKey.of("/api/items", ["GET"]), 0, Desired("canary", 20), who="t")

    items = rows(config)["/api/items"]

    assert (items["configured_mode"], items["mode"], items["weight"]) == ("legacy", "canary", 20)
    assert items["answered_by"] == "new for 20% of clients, legacy for the others"


def test_a_live_mode_the_migrated_app_cannot_serve_is_shown_as_the_front_serves_it(
    tmp_path: Path,
) -> None:
    config = tmp_path / "strangler.toml"
    config.write_text(CONFIG)
    with open_store(default_store_url(config)) as store:
        store.compare_and_set(RouteKey.of("/api/old", ["GET"]), 0, Desired("new"), who="t")

    result = strangler("routes", "-c", config, "--json")

    old = next(row for row in json.loads(result.stdout) if row["path"] == "/api/old")
    assert (old["configured_mode"], old["mode"]) == ("legacy", "legacy")
    assert "live_mode_refused" in result.stderr


def test_status_shows_the_weight_of_a_canary_the_store_does_not_know(tmp_path: Path) -> None:
    config = tmp_path / "strangler.toml"
    config.write_text(
        CONFIG.replace(
            'path = "/api/items"\n', 'path = "/api/items"\nmode = "canary"\nweight = 20\n'
        )
    )

    result = strangler("status", "-c", config, "--json")

    items = next(row for row in json.loads(result.stdout) if row["path"] == "/api/items")
    assert (items["configured_mode"], items["mode"], items["weight"], items["version"]) == (
        "canary", "canary", 20, 0,
    )  # fmt: skip


def test_a_cutover_from_a_file_canary_keeps_its_weight_unless_given(tmp_path: Path) -> None:
    config = tmp_path / "strangler.toml"
    config.write_text(
        CONFIG.replace(
            'path = "/api/items"\n', 'path = "/api/items"\nmode = "canary"\nweight = 20\n'
        )
    )

    result = strangler("cutover", "/api/items", "--to", "canary", "--reason", "again", "-c", config)

    assert result.exit_code == 0, result.output
    assert "GET /api/items: canary 20% -> canary 20% (version 1)" in result.stdout


def test_serve_refuses_a_store_it_cannot_open(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("")
    config = tmp_path / "strangler.toml"
    config.write_text(CONFIG + f'\n[store]\nurl = "sqlite:///{blocker}/state.db"\n')

    result = strangler("serve", "-c", config, "--port", str(unused_port()))

    assert result.exit_code == 2
    assert result.stderr.startswith("strangler: the state store cannot be opened:")
