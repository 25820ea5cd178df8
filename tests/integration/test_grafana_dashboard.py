"""docs/grafana/strangler.json queries only metrics a running front exposes on /metrics."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.servers import REPO_ROOT, running_front

DASHBOARD = REPO_ROOT / "docs" / "grafana" / "strangler.json"
METRIC_NAME = re.compile(r"\bstrangler_[a-z0-9_]+\b")
CONFIG = """
[legacy]
app = "tests.unit.proxy.apps:flask_app"
threads = 2

[migrated]
app = "tests.unit.proxy.apps:migrated_app"

[[routes]]
path = "/api/items"
methods = ["GET"]
mode = "shadow"

[[routes]]
path = "/api/items/{item_id:int}"
methods = ["GET"]
mode = "canary"
"""


def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return loaded


def queries() -> list[str]:
    found = [target["expr"] for panel in dashboard()["panels"] for target in panel["targets"]]
    found += [variable["definition"] for variable in dashboard()["templating"]["list"]]
    return found


def exposed_names(exposition: str) -> set[str]:
    """Every name a query can use: each sample's, and each declared family's (a labelled
    metric with no sample yet is declared by its `# TYPE` line)."""
    names = {line.split("{")[0].split(" ")[0] for line in exposition.splitlines()
             if line and not line.startswith("#")}  # fmt: skip
    for declared, kind in re.findall(r"^# TYPE (\S+) (\S+)$", exposition, re.MULTILINE):
        names.add(declared)
        if kind == "histogram":
            names |= {f"{declared}_bucket", f"{declared}_sum", f"{declared}_count"}
    return names


@pytest.fixture(scope="module")
def metrics(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    config: Path = tmp_path_factory.mktemp("grafana") / "strangler.toml"
    config.write_text(CONFIG)
    with running_front(config) as url:
        httpx.get(url + "/api/items")
        yield httpx.get(url + "/metrics").text


def test_every_metric_the_dashboard_queries_is_on_a_running_front_s_metrics(metrics: str) -> None:
    used = {name for query in queries() for name in METRIC_NAME.findall(query)}
    exposed = exposed_names(metrics)

    assert used, "the dashboard queries no strangler metric"
    assert sorted(used - exposed) == []


def test_the_dashboard_covers_routes_modes_weights_shadow_and_rollbacks() -> None:
    used = {name for query in queries() for name in METRIC_NAME.findall(query)}

    assert {
        "strangler_route_live_mode", "strangler_route_canary_weight", "strangler_requests_total",
        "strangler_request_duration_seconds_bucket", "strangler_shadow_compared_total",
        "strangler_shadow_dropped_total", "strangler_rollbacks_total",
        "strangler_store_propagation_seconds_bucket",
    } <= used  # fmt: skip


def test_every_panel_reads_the_dashboard_s_prometheus_input() -> None:
    board = dashboard()

    assert [item["name"] for item in board["__inputs"]] == ["DS_PROMETHEUS"]
    for panel in board["panels"]:
        assert panel["datasource"]["uid"] == "${DS_PROMETHEUS}", panel["title"]
        assert panel["targets"], panel["title"]
