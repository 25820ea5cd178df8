"""Every planted difference is reported where it was planted, an identical twin yields none, and
a field that changes on every call is classified as noise."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from proxy.parity.runner import ParityRun, route_key
from tests.contract.conftest import planted_project, run_planted
from tests.contract.planted.migrated_app import PLANTS

# plant -> (route it lives on, a difference text every report of it contains)
EXPECTED = {
    "status_200": ("POST /api/tags", "status: 201 != 200"),
    "missing_field": ("GET /api/products/{product_id}", "$.description: "),
    "stock_as_string": ("GET /api/products", '$.items[0].stock: 4 != "4"'),
    "renamed_key": ("GET /api/profile", '$.username: "alice" != <missing>'),
    "rating_boundary": ("POST /api/reviews", "status: 400 != 201"),
    "bad_id_422": ("GET /api/orders/{order_id}", "status: 404 != 422"),
    "redirect_target": (
        "GET /api/old-catalogue",
        'headers.location: "/api/products" != "/api/catalogue"',
    ),
    "extra_row": (
        "POST /api/products/{product_id}/buy",
        "rows.stats[name=purchases]: <missing> != ",
    ),
    "forgotten_write": ("POST /api/audit", "rows.audit[id=1]: "),
}


def real_differences(run: ParityRun) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for outcome in run.differing:
        found.setdefault(route_key(outcome.case), set()).update(
            str(d) for d in outcome.comparison.real
        )
    return found


@pytest.fixture(scope="module")
def all_planted(tmp_path_factory: pytest.TempPathFactory) -> ParityRun:
    return run_planted(planted_project(tmp_path_factory.mktemp("all")), PLANTS, seed=1)


@pytest.fixture(scope="module")
def identical(tmp_path_factory: pytest.TempPathFactory) -> ParityRun:
    return run_planted(planted_project(tmp_path_factory.mktemp("twin")), (), seed=1)


def test_every_plant_has_an_expectation() -> None:
    assert set(EXPECTED) == set(PLANTS)


@pytest.mark.parametrize("plant", sorted(EXPECTED))
def test_planted_difference_is_reported(all_planted: ParityRun, plant: str) -> None:
    route, text = EXPECTED[plant]
    reported = real_differences(all_planted).get(route, set())
    assert any(text in line for line in reported), f"{plant} not reported on {route}: {reported}"


def test_differences_are_reported_only_on_planted_routes(all_planted: ParityRun) -> None:
    planted_routes = {route for route, _ in EXPECTED.values()}
    assert set(real_differences(all_planted)) == planted_routes


def test_identical_twin_yields_zero_differences(identical: ParityRun) -> None:
    assert real_differences(identical) == {}
    assert identical.exit_code == 0
    assert len(identical.outcomes) > 100


def test_identical_twin_compares_writes(identical: ParityRun) -> None:
    assert identical.rows_compared
    wrote = [o for o in identical.outcomes if o.legacy and o.legacy.rows]
    assert any(o.case.route.path == "/api/audit" for o in wrote)


def test_timestamp_and_uuid_fields_are_noise_not_differences(identical: ParityRun) -> None:
    ping = [o for o in identical.outcomes if o.case.route.path == "/api/ping"]
    assert ping and all(o.verdict == "noise" for o in ping)
    assert {str(d.path) for o in ping for d in o.comparison.noise} == {"$.at", "$.request_id"}
    assert identical.noise["GET /api/ping"].sorted_text() == ["$.at", "$.request_id"]


def test_cases_run_anonymous_and_as_logged_in_user(identical: ParityRun) -> None:
    assert identical.identities == ["anonymous", "alice"]
    profile = {
        o.identity: o.legacy.response.status
        for o in identical.outcomes
        if o.case.route.path == "/api/profile" and o.legacy
    }
    assert profile == {"anonymous": 401, "alice": 200}


def test_each_side_starts_from_the_same_state(identical: ParityRun) -> None:
    buys = [
        o
        for o in identical.outcomes
        if o.request.target == "/api/products/4/buy" and o.legacy and o.new
    ]
    assert buys
    for outcome in buys:
        for exchange in (outcome.legacy, outcome.legacy_again, outcome.new):
            assert exchange is not None
            assert json.loads(exchange.response.body) == {"id": 4, "stock": 9}


def test_run_leaves_the_database_as_it_found_it(tmp_path: Path) -> None:
    directory = planted_project(tmp_path / "p")
    before = (directory / "planted.db").read_bytes()
    run_planted(directory, ("extra_row",), phases=["examples"])

    def dump(path: Path) -> list[str]:
        return list(sqlite3.connect(path).iterdump())

    (tmp_path / "before.db").write_bytes(before)
    assert dump(directory / "planted.db") == dump(tmp_path / "before.db")


def test_same_seed_gives_the_same_cases(tmp_path: Path) -> None:
    first = run_planted(planted_project(tmp_path / "a"), (), seed=7, max_examples=5)
    second = run_planted(planted_project(tmp_path / "b"), (), seed=7, max_examples=5)
    assert [o.request for o in first.outcomes] != []
    strip = lambda run: [(o.request.method, o.request.target, o.request.body) for o in run.outcomes]  # noqa: E731
    assert strip(first) == strip(second)


def test_recorded_and_hand_written_cases_are_compared(tmp_path: Path) -> None:
    directory = planted_project(tmp_path / "p")
    (directory / "recorded.jsonl").write_text(
        '{"method": "GET", "path": "/api/products/4"}\n{"method": "GET", "path": "/not/migrated"}\n'
    )
    (directory / "hand.jsonl").write_text(
        '{"method": "POST", "path": "/api/audit", "json": {"action": "refund"}}\n'
    )
    config = directory / "strangler.toml"
    config.write_text(
        config.read_text().replace(
            "[parity]\n", '[parity]\nrecorded = ["recorded.jsonl"]\ncases = ["hand.jsonl"]\n'
        )
    )
    run = run_planted(directory, ("missing_field", "forgotten_write"), phases=[])
    by_source = {o.case.source: o for o in run.outcomes if o.identity == "anonymous"}
    assert set(by_source) == {"recorded", "hand-written"}
    assert [str(d) for d in by_source["recorded"].comparison.real] == [
        '$.description: "stirs" != <missing> (missing on new)'
    ]
    assert [str(d) for d in by_source["hand-written"].comparison.real] == [
        'rows.audit[id=1]: {"<inserted>": true, "action": "refund", "id": 1} != <missing> '
        "(changed by legacy only)"
    ]
