"""The admin API on the Redis store (127.0.0.1:6379, as the shared option is tested): a change
through the API is what every front on that Redis reads, and is in its audit log."""

from __future__ import annotations

import uuid

import httpx
import pytest
from redis import Redis

from proxy.app import create_app
from proxy.store import RouteKey, open_store
from tests.support.services import require_redis
from tests.unit.admin.conftest import OPERATOR, VIEWER, admin_settings, bearer

pytestmark = pytest.mark.anyio


async def test_a_change_through_the_api_lands_in_the_redis_store() -> None:
    url = require_redis()
    prefix = f"strangler-test-{uuid.uuid4().hex[:8]}:"
    settings = admin_settings(url, key_prefix=prefix)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        changed = await client.post(
            "/_strangler/api/cutover",
            json={"path": "/api/items", "to": "canary", "weight": 5},
            headers=bearer(OPERATOR),
        )
        audit = await client.get("/_strangler/api/audit", headers=bearer(VIEWER))

    assert changed.status_code == 200
    try:
        with open_store(url, key_prefix=prefix) as store:
            state = store.read(RouteKey.of("/api/items", ["GET", "HEAD"]))
    finally:
        redis = Redis.from_url(url)
        for key in redis.scan_iter(f"{prefix}*"):
            redis.delete(key)
    assert state is not None and (state.mode, state.weight) == ("canary", 5)
    assert [entry["who"] for entry in audit.json()] == ["ana@admin-api"]
