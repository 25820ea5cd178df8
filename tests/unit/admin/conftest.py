"""The front with its admin API, in-process (unit tests), with a store of its own and two tokens:
`vi` (viewer) and `ana` (operator)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from proxy.admin_tokens import token_hash
from proxy.app import create_app
from proxy.settings import StranglerSettings, parse_settings
from proxy.store import StateStore, open_store
from tests.unit.proxy.conftest import BASE_CONFIG

VIEWER, OPERATOR = "stgl_viewer-token-of-the-admin-tests", "stgl_operator-token-of-the-admin-tests"
TOKENS = f"""
[[admin.tokens]]
name = "vi"
role = "viewer"
sha256 = "{token_hash(VIEWER)}"

[[admin.tokens]]
name = "ana"
role = "operator"
sha256 = "{token_hash(OPERATOR)}"
"""


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(autouse=True)
def fresh_logging() -> None:
    """Logging as a fresh process has it: an earlier front test of the same xdist worker may
    have configured structlog for its own captured stdout, closed by now."""
    import structlog

    structlog.reset_defaults()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'state.db'}"


@pytest.fixture
def store(store_url: str) -> StateStore:
    return open_store(store_url)


def admin_settings(
    store_url: str, extra: str = "", *, access_log: bool = False, key_prefix: str = "strangler:"
) -> StranglerSettings:
    base = BASE_CONFIG.replace("access_log = false", f"access_log = {str(access_log).lower()}")
    store = f'[store]\nurl = "{store_url}"\nkey_prefix = "{key_prefix}"'
    return parse_settings(f"{base}\n{store}\n{TOKENS}\n{extra}")


@pytest.fixture
def make_admin_client(store_url: str) -> Callable[..., httpx.AsyncClient]:
    def factory(extra: str = "") -> httpx.AsyncClient:
        app = create_app(admin_settings(store_url, extra))
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    return factory


@pytest.fixture
async def client(make_admin_client: Callable[..., Any]) -> AsyncIterator[httpx.AsyncClient]:
    async with make_admin_client() as http:
        yield http
