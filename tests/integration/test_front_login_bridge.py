"""The codemod's flask_shop behind the front (a real uvicorn process): a user who logged in on
the legacy app through the front is the user of the migrated `/api/me` and `/api/orders`."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from typing import cast

import httpx
import pytest

from legacy_examples.flask_shop.testing_server import seed_with_cli, shop_environment
from legacy_examples.flask_shop.tests.helpers import ALICE, Client, log_in
from tests.support.servers import REPO_ROOT, running_front, venv_command

pytestmark = pytest.mark.slow

FRONT = """
[legacy]
app = "legacy_examples.flask_shop.wsgi:app"

[migrated]
app = "generated_front_app:app"

[[routes]]
path = "/api/me"
methods = ["GET"]
mode = "new"

[[routes]]
path = "/api/orders"
methods = ["GET"]
mode = "new"
"""
ALICE_JSON = b'{"email":"alice@example.com","id":2,"is_admin":false,"name":"Alice Customer"}\n'


@pytest.fixture(scope="module")
def front(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workdir = tmp_path_factory.mktemp("front_login")
    out = str(workdir / "flask_shop_generated")
    command = [venv_command("strangler"), "codemod", "flask", "legacy_examples/flask_shop"]
    converted = subprocess.run(
        [*command, "--out", out], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert converted.returncode == 0, converted.stdout + converted.stderr
    (workdir / "generated_front_app.py").write_text(
        "from flask_shop_generated import create_app\n\napp = create_app()\n"
    )
    env = shop_environment(f"sqlite:///{workdir / 'shop.db'}", workdir / "uploads")
    seed_with_cli(env)
    env["PYTHONPATH"] = os.pathsep.join([str(workdir), os.environ.get("PYTHONPATH", "")])
    config = workdir / "strangler.toml"
    config.write_text(FRONT)
    with running_front(config, env=env) as url:
        yield url


def answered_by_new(client: httpx.Client, route: str) -> int:
    """Requests the front's metrics count for `route` on the migrated side."""
    total = 0
    for line in client.get("/metrics").text.splitlines():
        counted = line.startswith("strangler_requests_total{") and f'route="{route}"' in line
        if counted and 'side="new"' in line:
            total += int(float(line.rsplit(" ", 1)[1]))
    return total


def test_the_legacy_login_is_the_migrated_views_user(front: str) -> None:
    with httpx.Client(base_url=front, follow_redirects=False, timeout=30.0) as client:
        assert client.get("/api/me").status_code == 401
        log_in(cast(Client, client), ALICE["email"], ALICE["password"])
        before = answered_by_new(client, "/api/me")
        me = client.get("/api/me")
        orders = client.get("/api/orders")
        assert (me.status_code, me.content) == (200, ALICE_JSON)
        assert orders.status_code == 200
        assert orders.json() == {"orders": []}
        assert answered_by_new(client, "/api/me") == before + 1
