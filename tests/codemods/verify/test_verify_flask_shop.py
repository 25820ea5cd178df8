"""The verification on the example shop: every route verifies, nothing of the shop is written,
and a second run changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from proxy.cli import app

ROOT = Path(__file__).resolve().parents[3]
SHOP = ROOT / "legacy_examples" / "flask_shop"


def snapshot(folder: Path) -> dict[str, int] | None:
    if not folder.exists():
        return None
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def codemod(out: Path, report: Path) -> str:
    arguments = ["codemod", "flask", "legacy_examples/flask_shop", "--out", str(out)]
    result = CliRunner().invoke(app, [*arguments, "--report", str(report)])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_shop_route_verifies_and_nothing_of_the_shop_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    before = snapshot(SHOP), snapshot(ROOT / "instance")
    report = tmp_path / "report.json"
    codemod(tmp_path / "flask_shop", report)
    assert (snapshot(SHOP), snapshot(ROOT / "instance")) == before
    routes = [e for e in json.loads(report.read_text()) if e["kind"] == "route"]
    assert len(routes) == 34
    failed = [(e["target"], e["error"]) for e in routes if e["verified"] is not True]
    assert failed == []
    assert {e["status"] for e in routes} <= {"converted", "partial"}


def test_a_second_verified_run_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    codemod(tmp_path / "flask_shop", tmp_path / "first.json")
    written = {p: p.read_bytes() for p in (tmp_path / "flask_shop").rglob("*.py")}
    output = codemod(tmp_path / "flask_shop", tmp_path / "second.json")
    assert {p: p.read_bytes() for p in (tmp_path / "flask_shop").rglob("*.py")} == written
    assert "written" not in output
    first = json.loads((tmp_path / "first.json").read_text())
    assert json.loads((tmp_path / "second.json").read_text()) == first
