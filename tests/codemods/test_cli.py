"""`strangler codemod flask`: the command-line contract of issue 4."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from proxy.cli import app

CASE = Path(__file__).parent / "cases" / "mini_shop"


@pytest.fixture
def legacy(tmp_path: Path) -> Path:
    folder = tmp_path / "legacy" / "shop"
    shutil.copytree(CASE, folder)
    return folder


def codemod(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["codemod", "flask", *args])
    return result.exit_code, result.output


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(folder)): (p.read_text(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*.py"))
    }


def test_the_legacy_tree_is_never_written_to(legacy: Path, tmp_path: Path) -> None:
    before = snapshot(legacy)
    code, _ = codemod(str(legacy), "--out", str(tmp_path / "out"))
    assert code == 0
    assert snapshot(legacy) == before
    assert (tmp_path / "out" / "api.py").exists()


def test_out_inside_the_legacy_tree_is_refused_with_exit_2(legacy: Path) -> None:
    code, output = codemod(str(legacy), "--out", str(legacy / "migrated"))
    assert code == 2
    assert "legacy tree" in output


@pytest.mark.parametrize(
    "arguments",
    [["/no/such/path", "--out", "x"], ["--only", "nope"], [], ["x.py::view", "--out", "x"]],
)
def test_bad_arguments_exit_2(legacy: Path, tmp_path: Path, arguments: list[str]) -> None:
    if arguments[:1] == ["--only"]:
        arguments = [str(legacy), "--out", str(tmp_path / "o"), *arguments]
    code, _ = codemod(*arguments)
    assert code == 2


def test_rerun_on_unchanged_input_writes_nothing(legacy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    codemod(str(legacy), "--out", str(out))
    first = snapshot(out)
    code, output = codemod(str(legacy), "--out", str(out))
    assert code == 0
    assert snapshot(out) == first
    assert "unchanged" in output


def test_a_file_edited_by_a_person_is_kept_unless_forced(legacy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    codemod(str(legacy), "--out", str(out))
    edited = out / "api.py"
    edited.write_text(edited.read_text() + "\n# hand-made change\n")
    (legacy / "api.py").write_text((legacy / "api.py").read_text() + "\n\nEXTRA = 1\n")
    code, output = codemod(str(legacy), "--out", str(out))
    assert code == 0
    assert "hand-made change" in edited.read_text()
    assert "edited since generated" in output
    code, _ = codemod(str(legacy), "--out", str(out), "--force")
    assert code == 0
    assert "hand-made change" not in edited.read_text()
    assert "EXTRA = 1" in edited.read_text()


def test_dry_run_prints_unified_diffs_and_writes_nothing(legacy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = codemod(str(legacy), "--out", str(out), "--dry-run")
    assert code == 0
    assert not out.exists()
    assert f"+++ b/{out / 'api.py'}" in output or "+++ b/" in output
    assert "+bp = APIRouter(" in output


def test_only_runs_the_named_rules(legacy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _ = codemod(str(legacy), "--out", str(out), "--only", "routes")
    assert code == 0
    text = (out / "api.py").read_text()
    assert '@bp.get("/products/{product_id:int}"' in text
    assert "Blueprint(" in text  # the blueprints rule did not run


def test_report_has_one_entry_per_route_with_the_contract_fields(
    legacy: Path, tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    code, _ = codemod(str(legacy), "--out", str(tmp_path / "out"), "--report", str(report))
    assert code == 0
    entries = json.loads(report.read_text())
    routes = [e for e in entries if e["kind"] == "route"]
    assert len(routes) == 9
    for entry in entries:
        assert set(entry) == {
            "source",
            "kind",
            "status",
            "target",
            "reasons",
            "verified",
            "error",
        }
        assert entry["status"] in ("converted", "unverified", "partial", "manual")
        assert entry["verified"] in (True, False, None)
    assert all(e["source"].rsplit(":", 1)[1].isdigit() for e in routes)
    assert all(e["target"].rsplit(":", 1)[1].isdigit() for e in routes)


def test_a_file_that_does_not_parse_is_reported_and_the_run_goes_on(
    legacy: Path, tmp_path: Path
) -> None:
    (legacy / "broken.py").write_text("def broken(:\n")
    report = tmp_path / "report.json"
    code, _ = codemod(str(legacy), "--out", str(tmp_path / "out"), "--report", str(report))
    assert code == 0
    entries = json.loads(report.read_text())
    broken = [e for e in entries if e["source"].endswith("broken.py:1")]
    assert broken[0]["status"] == "manual"
    assert "does not parse" in broken[0]["reasons"][0]
    assert (tmp_path / "out" / "api.py").exists()
    assert not (tmp_path / "out" / "broken.py").exists()


def test_one_view_of_a_module(legacy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = tmp_path / "r.json"
    code, _ = codemod(f"{legacy / 'api.py'}::cheapest", "--out", str(out), "--report", str(report))
    assert code == 0
    text = (out / "api.py").read_text()
    assert "def cheapest()" in text
    assert "def by_name" not in text
    routes = [e for e in json.loads(report.read_text()) if e["kind"] == "route"]
    assert len(routes) == 1


def test_every_route_of_the_mini_shop_verifies(legacy: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    code, output = codemod(str(legacy), "--out", str(tmp_path / "out"), "--report", str(report))
    assert code == 0
    routes = [e for e in json.loads(report.read_text()) if e["kind"] == "route"]
    assert [e["verified"] for e in routes] == [True] * len(routes)
    assert all(e["error"] is None for e in routes)
    assert "routes verified: true" in output
    assert "verification:" in output


def test_no_verify_leaves_every_entry_verified_null(legacy: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    out = str(tmp_path / "out")
    code, output = codemod(str(legacy), "--out", out, "--report", str(report), "--no-verify")
    assert code == 0
    entries = json.loads(report.read_text())
    assert entries
    assert all(e["verified"] is None and e["error"] is None for e in entries)
    assert "verification:" not in output


def test_a_single_file_that_does_not_parse_exits_2_with_the_parse_error(tmp_path: Path) -> None:
    broken = tmp_path / "legacy" / "broken.py"
    broken.parent.mkdir()
    broken.write_text("def broken(:\n")
    code, output = codemod(str(broken), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "does not parse" in output
    assert "line 1" in output
    assert not (tmp_path / "out").exists()
