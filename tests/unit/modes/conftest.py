"""A front built in-process from config text, with the state store of each backend (a fresh
SQLite file, real Redis under a key prefix of its own) when a test asks for one."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from proxy.app import StranglerFront, create_app
from proxy.settings import parse_settings
from proxy.store import StateStore
from tests.unit.store.conftest import open_fresh_store, store  # noqa: F401 (fixtures)

CONFIG = """
[legacy]
app = "tests.unit.proxy.apps:flask_app"
threads = 4

[migrated]
app = "tests.unit.proxy.apps:migrated_app"

[canary]
cookie_secret = "a secret of the canary tests"

[observability]
access_log = false

[[routes]]
path = "/api/items"
methods = ["GET"]
mode = "legacy"

[[routes]]
path = "/api/items/{item_id:int}"
methods = ["GET"]
mode = "legacy"

[[routes]]
path = "/api/old"
methods = ["GET"]
mode = "retired"
"""

ITEMS = "/api/items"
Client = httpx.AsyncClient


def front_of(app: Any) -> StranglerFront:
    """The front inside the middleware create_app wraps it in."""
    while not isinstance(app, StranglerFront):
        app = app.app
    return app


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def make_front() -> AsyncIterator[Callable[..., Client]]:
    """`make_front(config_text, state=None)`: an in-process client of a new front; the front
    is `client.front` (its live table, its canary assigner)."""
    clients: list[Client] = []

    def factory(text: str = CONFIG, state: StateStore | None = None) -> Client:
        app = create_app(parse_settings(text), store=state)
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
            base_url="http://testserver",
        )
        client.front = front_of(app)  # type: ignore[attr-defined]
        clients.append(client)
        return client

    yield factory
    for client in clients:
        await client.aclose()


def with_mode(mode: str, weight: int = 0, text: str = CONFIG, path: str = ITEMS) -> str:
    """CONFIG with the route at `path` in `mode` (and `weight`)."""
    entry = f'path = "{path}"\nmethods = ["GET"]\nmode = "legacy"'
    assert entry in text
    return text.replace(entry, entry.replace('"legacy"', f'"{mode}"\nweight = {weight}'))
