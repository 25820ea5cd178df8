"""`strangler routes` lists every legacy and migrated route, its mode and who answers it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from proxy.cli import app
from tests.unit.proxy.conftest import BASE_CONFIG

runner = CliRunner()


def write_config(tmp_path: Path, text: str = BASE_CONFIG) -> Path:
    path = tmp_path / "strangler.toml"
    path.write_text(text)
    return path


def test_routes_json_lists_legacy_and_migrated_routes_with_mode_and_side(tmp_path: Path) -> None:
    result = runner.invoke(app, ["routes", "--config", str(write_config(tmp_path)), "--json"])

    assert result.exit_code == 0, result.output
    rows = {(row["path"], tuple(row["methods"])): row for row in json.loads(result.stdout)}
    assert rows[("/api/items", ("GET",))]["mode"] == "new"
    assert rows[("/api/items", ("GET",))]["answered_by"] == "new"
    assert rows[("/api/items", ("GET",))]["migrated"].endswith(
        "apps.make_migrated.<locals>.list_items"
    )
    assert rows[("/api/items", ("POST",))]["answered_by"] == "legacy"
    assert rows[("/api/old", ("GET",))]["answered_by"] == "front (404, retired)"
    assert rows[("/echo", ("GET",))]["legacy"] == "/echo"


def test_routes_prints_a_table(tmp_path: Path) -> None:
    result = runner.invoke(app, ["routes", "--config", str(write_config(tmp_path))])

    assert result.exit_code == 0, result.output
    assert "/api/items/{item_id:int}" in result.stdout
    assert "answered by" in result.stdout


def test_a_bad_config_exits_2_naming_the_key_and_line(tmp_path: Path) -> None:
    config = write_config(tmp_path, BASE_CONFIG.replace('mode = "retired"', 'mode = "gone"'))

    line = config.read_text().splitlines().index('mode = "gone"') + 1

    result = runner.invoke(app, ["routes", "--config", str(config)])

    assert result.exit_code == 2
    assert f"strangler.toml:{line}: routes[2].mode" in result.stderr


def test_serve_refuses_to_start_when_a_new_route_has_no_handler(tmp_path: Path) -> None:
    config = write_config(tmp_path, BASE_CONFIG + '\n[[routes]]\npath = "/nowhere"\nmode = "new"\n')

    result = runner.invoke(app, ["serve", "--config", str(config), "--port", "1"])

    assert result.exit_code == 2
    assert "/nowhere: mode is new but the migrated app has no handler for GET" in result.stderr
