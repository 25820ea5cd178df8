"""A strangler.toml with a few routes and a fresh state store of each backend (SQLite file,
real Redis under a key prefix of its own), and a runner of the `strangler` command."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from proxy.cli import app
from tests.support import services
from tests.support.fresh_logging import command_line_logging  # noqa: F401 (autouse)

ROUTES = """
[legacy]
app = "legacy_app:app"

[migrated]
app = "tests.unit.cli.apps:migrated"

[[routes]]
path = "/api/products"
methods = ["GET"]

[[routes]]
path = "/api/products"
methods = ["POST", "PUT"]

[[routes]]
path = "/api/orders/{order_id}"
mode = "new"
"""


def write_config(folder: Path, store_url: str | None, extra: str = "") -> Path:
    store = f'\n[store]\nurl = "{store_url}"\nkey_prefix = "t-{uuid.uuid4().hex}:"\n'
    path = folder / "strangler.toml"
    path.write_text(ROUTES + (store if store_url else "") + extra)
    return path


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def config(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """strangler.toml whose store is a fresh SQLite file beside it, or real Redis."""
    if request.param == "sqlite":
        yield write_config(tmp_path, None)
        return
    url = services.require_redis()
    path = write_config(tmp_path, url)
    yield path
    import redis

    prefix = path.read_text().split('key_prefix = "')[1].split('"')[0]
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def strangler(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, [str(arg) for arg in args], env=env)
