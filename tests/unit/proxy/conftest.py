from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from proxy.app import create_app
from proxy.settings import StranglerSettings, parse_settings

BASE_CONFIG = """
[legacy]
app = "tests.unit.proxy.apps:flask_app"
threads = 4
legacy_timeout = 5

[migrated]
app = "tests.unit.proxy.apps:migrated_app"

[[routes]]
path = "/api/items"
methods = ["GET", "HEAD"]
mode = "new"

[[routes]]
path = "/api/items/{item_id:int}"
methods = ["GET"]
mode = "new"

[[routes]]
path = "/api/old"
methods = ["GET"]
mode = "retired"

[observability]
access_log = false
"""


def settings_from(text: str = BASE_CONFIG, **sections: str) -> StranglerSettings:
    extra = "\n".join(f"[{name}]\n{body}" for name, body in sections.items())
    return parse_settings(text + "\n" + extra)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def make_client() -> Callable[..., Any]:
    """Build the front from config text and give an in-process httpx client for it."""
    clients: list[httpx.AsyncClient] = []

    def factory(
        text: str = BASE_CONFIG, client: tuple[str, int] = ("203.0.113.9", 5000), **sections: str
    ) -> httpx.AsyncClient:
        app = create_app(settings_from(text, **sections))
        transport = httpx.ASGITransport(app=app, client=client)  # type: ignore[arg-type]
        http = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        http.front = app  # type: ignore[attr-defined]
        clients.append(http)
        return http

    return factory


@pytest.fixture
async def client(make_client: Callable[..., httpx.AsyncClient]) -> AsyncIterator[httpx.AsyncClient]:
    yield make_client()
