from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from proxy.store import StateStore, open_store
from tests.support import services
from tests.support.fresh_logging import command_line_logging  # noqa: F401 (autouse)

StoreFactory = Callable[[], StateStore]


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def open_fresh_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """Opens (again and again) one fresh store of each backend: the same SQLite file, or the
    same Redis key prefix, so a second open is another worker or a restart."""
    opened: list[StateStore] = []
    if request.param == "sqlite":
        url, prefix = f"sqlite:///{tmp_path / 'state.db'}", "strangler:"
    else:
        url, prefix = services.require_redis(), f"strangler-test:{uuid.uuid4().hex}:"

    def factory() -> StateStore:
        store = open_store(url, key_prefix=prefix)
        opened.append(store)
        return store

    yield factory
    if request.param == "redis":
        import redis

        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()
    for store in opened:
        store.close()


@pytest.fixture
def store(open_fresh_store: StoreFactory) -> StateStore:
    return open_fresh_store()
