"""`strangler status` and `strangler audit`: tables that are not cut outside a terminal, and
`--json` shapes."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from tests.unit.cli.conftest import ROUTES, strangler

LONG_PATH = "/api/" + "/".join(f"segment{number}" for number in range(20))


def test_status_json_has_one_object_per_route(config: Path) -> None:
    result = strangler("status", "--config", config, "--json")

    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 3
    for row in rows:
        assert {"path", "mode", "weight", "version", "shadow"} <= row.keys()
        assert row["shadow"] == {"compared": 0, "differed": 0, "dropped": 0}
    orders = rows[2]
    assert (orders["path"], orders["mode"], orders["version"]) == (
        "/api/orders/{order_id}",
        "new",
        0,
    )


def test_status_table_shows_configured_and_live_modes(config: Path) -> None:
    strangler("cutover", "/api/orders/{order_id}", "--to", "canary", "--weight", "25", "-c", config)

    result = strangler("status", "-c", config)

    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if "/api/orders/{order_id}" in line)
    assert [cell.strip() for cell in line.split("│")[3:6]] == ["new", "canary *", "25"]
    assert "n/a" in line


def test_tables_are_not_cut_when_stdout_is_not_a_terminal(tmp_path: Path) -> None:
    config = tmp_path / "strangler.toml"
    config.write_text(ROUTES + f'\n[[routes]]\npath = "{LONG_PATH}"\nmode = "new"\n')
    strangler("cutover", LONG_PATH, "--to", "legacy", "--reason", "x" * 150, "-c", config)

    status = strangler("status", "-c", config)
    audit = strangler("audit", "-c", config)

    for result in (status, audit):
        assert result.exit_code == 0, result.output
        assert LONG_PATH in result.stdout
        assert "…" not in result.stdout
    assert "x" * 150 in audit.stdout


def test_audit_records_who_when_from_to_and_why(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "ana")
    strangler(
        "cutover", "/api/orders/{order_id}", "--to", "shadow", "--reason", "look", "-c", config
    )
    strangler("cutover", "/api/orders/{order_id}", "--to", "new", "-c", config)

    result = strangler("audit", "-c", config, "--json")

    assert result.exit_code == 0, result.output
    first, second = json.loads(result.stdout)
    assert first["who"] == f"ana@{socket.gethostname()}"
    assert (first["route"], first["from_mode"], first["to_mode"], first["why"]) == (
        "GET /api/orders/{order_id}", None, "shadow", "look",
    )  # fmt: skip
    assert (second["from_mode"], second["to_mode"], second["version"]) == ("shadow", "new", 2)
    assert isinstance(first["at"], float)


def test_audit_of_one_route(config: Path) -> None:
    strangler("cutover", "/api/orders/{order_id}", "--to", "shadow", "-c", config)
    strangler("cutover", "/api/products", "--method", "POST", "--to", "new", "-c", config)

    result = strangler(
        "audit", "--route", "/api/products", "--method", "put", "-c", config, "--json"
    )

    assert result.exit_code == 0, result.output
    assert [entry["route"] for entry in json.loads(result.stdout)] == ["POST,PUT /api/products"]


def test_the_routes_table_is_not_cut_when_stdout_is_not_a_terminal() -> None:
    from tests.support.servers import REPO_ROOT

    result = strangler("routes", "-c", REPO_ROOT / "strangler.toml")

    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    assert "/api/products/{product_id:int}/image" in result.stdout
