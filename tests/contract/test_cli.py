"""`strangler parity` as a user runs it: exit codes, the terminal table and the three reports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.contract.conftest import PLANTED
from tests.support.servers import REPO_ROOT, venv_command

CONFIG = PLANTED / "strangler.toml"


def strangler_parity(
    *args: str, db: Path | None = None, plants: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLANTED_DIFFERENCES": plants, "COLUMNS": "160"}
    if db is not None:
        env["PLANTED_DB"] = str(db)
    return subprocess.run(
        [venv_command("strangler"), "parity", *args], cwd=REPO_ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "planted.db"
    subprocess.run(
        [sys.executable, "-m", "tests.contract.planted.database", str(path)], cwd=REPO_ROOT,
        check=True,
    )  # fmt: skip
    return path


def test_no_difference_exits_0_with_a_table_per_route(db: Path) -> None:
    result = strangler_parity("--config", str(CONFIG), "--max-examples", "3", db=db)
    assert result.returncode == 0, result.stdout + result.stderr
    for column in ("cases run", "equal", "differing", "noise"):
        assert column in result.stdout
    assert "GET /api/products/{product_id}" in result.stdout
    assert "no real difference" in result.stdout


def test_a_real_difference_exits_1_and_is_shown_with_its_path(db: Path) -> None:
    result = strangler_parity(
        "--config", str(CONFIG), "--route", "/api/products", "--max-examples", "3",
        db=db, plants="stock_as_string",
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert '$.items[0].stock: 4 != "4"' in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--route", "/api/not-migrated"],
        ["--legacy-url", "http://127.0.0.1:9"],
        ["--max-examples", "0"],
        ["--no-such-option"],
    ],
    ids=["unknown-route", "legacy-url-alone", "zero-examples", "unknown-option"],
)
def test_bad_arguments_exit_2(db: Path, args: list[str]) -> None:
    result = strangler_parity("--config", str(CONFIG), *args, db=db)
    assert result.returncode == 2, result.stdout + result.stderr


def test_missing_config_exits_2(tmp_path: Path) -> None:
    result = strangler_parity("--config", str(tmp_path / "absent.toml"))
    assert result.returncode == 2
    assert "no such file" in result.stderr


def test_unknown_parity_key_exits_2_naming_it(tmp_path: Path, db: Path) -> None:
    config = tmp_path / "strangler.toml"
    config.write_text(CONFIG.read_text() + "\n[parity.extra]\n")
    result = strangler_parity("--config", str(config), db=db)
    assert result.returncode == 2
    assert "parity.extra" in result.stderr


def test_reports_junit_html_and_json(db: Path, tmp_path: Path) -> None:
    junit, html, report = (
        tmp_path / "parity.xml",
        tmp_path / "parity.html",
        tmp_path / "parity.json",
    )
    result = strangler_parity(
        "--config", str(CONFIG), "--max-examples", "3", "--junit", str(junit), "--html", str(html),
        "--json", str(report), db=db, plants="missing_field,forgotten_write",
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr

    suites = ET.parse(junit).getroot()
    failing = {s.get("name") for s in suites.iter("testsuite") if s.get("failures") != "0"}
    assert failing == {"GET /api/products/{product_id}", "POST /api/audit"}
    failure = next(suites.iter("failure"))
    assert "curl" in (failure.text or "")

    page = html.read_text()
    assert "<script" not in page and "<link" not in page  # self-contained
    assert "$.description: &quot;" in page
    assert "curl -i -X GET" in page
    assert "class='sides'" in page

    document = json.loads(report.read_text())
    assert document["summary"]["exit_code"] == 1
    assert document["summary"]["rows_compared"] is True
    routes = {r["route"]: r for r in document["routes"]}
    assert routes["POST /api/audit"]["differing"] > 0
    assert routes["GET /api/ping"]["noisy_paths"] == ["$.at", "$.request_id"]
    audit = next(
        c for c in document["cases"] if c["route"] == "POST /api/audit" and c["differences"]
    )
    assert audit["differences"][0]["where"] == "rows"
    assert audit["differences"][0]["path"] == "rows.audit[id=1]"
    assert audit["curl"]["new"].startswith("curl")
    assert audit["legacy"]["rows"] == {"audit": {"inserted": 1, "updated": 0, "deleted": 0}}
    assert audit["new"]["rows"] == {}


def test_failed_login_exits_2_naming_the_user(tmp_path: Path, db: Path) -> None:
    config = tmp_path / "strangler.toml"
    config.write_text(CONFIG.read_text().replace('password = "secret"', 'password = "wrong"'))
    result = strangler_parity("--config", str(config), db=db)
    assert result.returncode == 2
    assert "login of 'alice'" in result.stderr and "401" in result.stderr


def test_route_may_be_given_as_a_concrete_path(db: Path, tmp_path: Path) -> None:
    report = tmp_path / "parity.json"
    result = strangler_parity(
        "--config", str(CONFIG), "--route", "/api/orders/7", "--max-examples", "2",
        "--json", str(report), db=db,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    routes = [r["route"] for r in json.loads(report.read_text())["routes"]]
    assert routes == ["GET /api/orders/{order_id}"]


def test_a_url_nobody_serves_says_cannot_reach_and_exits_2() -> None:
    result = strangler_parity(
        "--config", str(CONFIG), "--legacy-url", "http://127.0.0.1:9", "--new-url",
        "http://127.0.0.1:9",
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith("strangler: --legacy-url: cannot reach http://127.0.0.1:9")
    assert "Traceback" not in result.stderr


def test_curl_reproductions_of_an_in_process_run_name_the_front_not_testserver(db: Path) -> None:
    result = strangler_parity(
        "--config", str(CONFIG), "--route", "/api/products", "--max-examples", "3",
        db=db, plants="stock_as_string",
    )  # fmt: skip
    assert "http://127.0.0.1:8000/api/products" in result.stdout
    assert "testserver" not in result.stdout
