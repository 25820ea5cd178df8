"""The codemod's output for flask_shop under many connections at once, through the front with
its routes in `new` mode: every request is answered, none waits forever for a pooled database
connection (with every thread waiting for one, the close that frees one must not need a thread)."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import httpx
import pytest

from legacy_examples.flask_shop.testing_server import seed_with_cli, shop_environment
from tests.support.servers import running_front

pytestmark = pytest.mark.slow

CONFIG = """
[legacy]
app = "legacy_examples.flask_shop.wsgi:app"

[migrated]
app = "migrated.flask_shop.wsgi:app"

[[routes]]
path = "/api/products/{product_id:int}"
mode = "new"
"""


async def statuses(url: str, clients: int, rounds: int) -> Counter[int]:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120) as client:

        async def one_client() -> list[int]:
            return [(await client.get("/api/products/1")).status_code for _ in range(rounds)]

        answers = await asyncio.gather(*(one_client() for _ in range(clients)))
    return Counter(status for answer in answers for status in answer)


@pytest.mark.parametrize("clients", [64, 256])
def test_every_request_is_answered_with_many_connections_at_once(
    clients: int, tmp_path: Path
) -> None:
    env = shop_environment(f"sqlite:///{tmp_path / 'shop.db'}", tmp_path / "uploads")
    seed_with_cli(env)
    config = tmp_path / "strangler.toml"
    config.write_text(CONFIG)
    with running_front(config, env=env) as url:
        assert asyncio.run(statuses(url, clients, rounds=3)) == {200: clients * 3}
