"""`make demo` (scripts/demo.sh) prints the dashboard's URL and a viewer and an operator token
made for that run, and those tokens work on the front it serves."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import httpx

from tests.support.servers import REPO_ROOT, free_port, running_server


def test_the_demo_prints_the_dashboard_url_and_working_viewer_and_operator_tokens(
    tmp_path: Path,
) -> None:
    port = free_port()
    config = tmp_path / "strangler.toml"  # its own state store, beside this copy
    shutil.copy(REPO_ROOT / "strangler.toml", config)
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}", "STRANGLER_CONFIG": str(config)}
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"strangler-server-{port}.log"
    with running_server(
        ["bash", "scripts/demo.sh", "127.0.0.1", str(port)], port, env=env, ready_path="/healthz"
    ) as url:
        printed = log.read_text()
        viewer = re.search(r"viewer token \(reads\):\s+(\S+)", printed)
        operator = re.search(r"operator token \(flips, rollbacks\):\s+(\S+)", printed)
        assert f"dashboard: {url}/_strangler/" in printed
        assert viewer is not None and operator is not None, printed

        def me(token: str) -> object:
            headers = {"Authorization": f"Bearer {token}"}
            return httpx.get(f"{url}/_strangler/api/me", headers=headers).json()

        assert me(viewer[1]) == {"name": "demo-viewer", "role": "viewer"}
        assert me(operator[1]) == {"name": "demo-operator", "role": "operator"}
