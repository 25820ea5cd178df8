"""The `parity` fixture puts parity into a team's own pytest suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.contract.conftest import PLANTED
from tests.support.servers import REPO_ROOT, run_pytest

TEAM_CONFTEST = 'pytest_plugins = ["proxy.parity.pytest_plugin"]\n'
TEAM_TEST = """

def test_products_route_matches_legacy(parity):
    run = parity.run(routes=["/api/products"], max_examples=3)
    assert run.outcomes
    parity.assert_no_differences(run)
"""


def team_suite(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    db = tmp_path / "planted.db"
    subprocess.run(
        [sys.executable, "-m", "tests.contract.planted.database", str(db)],
        cwd=REPO_ROOT,
        check=True,
    )
    suite = tmp_path / "test_team_parity.py"
    suite.write_text(TEAM_TEST)
    (tmp_path / "conftest.py").write_text(TEAM_CONFTEST)
    return suite, {"PLANTED_DB": str(db)}


def test_parity_fixture_passes_when_the_route_matches(tmp_path: Path) -> None:
    suite, env = team_suite(tmp_path)
    result = run_pytest(
        [
            str(suite),
            "--parity-config",
            str(PLANTED / "strangler.toml"),
            "--rootdir",
            str(tmp_path),
        ],
        {**env, "PLANTED_DIFFERENCES": ""},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_parity_fixture_fails_listing_the_difference(tmp_path: Path) -> None:
    suite, env = team_suite(tmp_path)
    result = run_pytest(
        [
            str(suite),
            "--parity-config",
            str(PLANTED / "strangler.toml"),
            "--rootdir",
            str(tmp_path),
        ],
        {**env, "PLANTED_DIFFERENCES": "stock_as_string"},
    )
    assert result.returncode == 1
    assert '$.items[0].stock: 4 != "4"' in result.stdout
