"""`strangler parity --new-url` at a running strangler front: the front serves the migrated app's
OpenAPI at /_strangler/openapi.json to a viewer token (--admin-token or $STRANGLER_ADMIN_TOKEN)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from proxy.admin_tokens import token_hash
from tests.support.servers import (
    REPO_ROOT,
    free_port,
    running_front,
    running_server,
    venv_command,
)

VIEWER = "stgl_viewer-token-of-the-parity-test"
CONFIG = f"""
[legacy]
app = "tests.unit.proxy.apps:flask_app"
threads = 2

[migrated]
app = "tests.unit.proxy.apps:migrated_app"

[[routes]]
path = "/api/items/{{item_id:int}}"
methods = ["GET"]
mode = "new"

[[admin.tokens]]
name = "qa"
role = "viewer"
sha256 = "{token_hash(VIEWER)}"
"""


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The front (new side) and the legacy app alone under gunicorn (legacy side)."""
    config = tmp_path_factory.mktemp("parity_front") / "strangler.toml"
    config.write_text(CONFIG)
    port = free_port()
    legacy_app = "tests.unit.proxy.apps:flask_app"
    gunicorn = [venv_command("gunicorn"), "--bind", f"127.0.0.1:{port}", legacy_app]
    with running_front(config) as url, running_server(gunicorn, port) as legacy:
        yield f"{url} {legacy}", config


def parity(config: Path, urls: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    new, legacy = urls.split()
    return subprocess.run(
        [venv_command("strangler"), "parity", "--config", str(config), "--new-url", new,
         "--legacy-url", legacy, "--max-examples", "2", "--seed", "1"],
        cwd=REPO_ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=300,
        check=False,
    )  # fmt: skip


def test_parity_reads_the_openapi_from_the_front_with_a_viewer_token(
    front: tuple[str, Path],
) -> None:
    url, config = front

    result = parity(config, url, {"STRANGLER_ADMIN_TOKEN": VIEWER})

    # the planted twins differ ({"side": "legacy"} and {"side": "new"}): compared, and found
    assert result.returncode == 1, result.stdout + result.stderr
    assert "GET /api/items/{item_id:int}" in result.stdout


def test_without_a_token_parity_says_how_to_reach_the_front_s_openapi(
    front: tuple[str, Path],
) -> None:
    url, config = front

    result = parity(config, url, {"STRANGLER_ADMIN_TOKEN": ""})

    assert result.returncode == 2
    assert "/_strangler/openapi.json" in result.stderr and "--admin-token" in result.stderr


def test_a_wrong_token_is_named_as_such(front: tuple[str, Path]) -> None:
    url, config = front

    result = parity(config, url, {"STRANGLER_ADMIN_TOKEN": "stgl_wrong"})

    assert result.returncode == 2
    assert "answered 401" in result.stderr and "not a viewer token" in result.stderr
