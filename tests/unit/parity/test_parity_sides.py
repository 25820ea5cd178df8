from __future__ import annotations

import asyncio
from typing import Any

from proxy.parity.cases import ParityRequest
from proxy.parity.sides import AsgiSide


async def echo(scope: dict[str, Any], receive: Any, send: Any) -> None:
    message = await receive()
    body = (
        f"{scope['method']} {scope['path']} {scope['raw_path'].decode()} "
        f"{scope['query_string'].decode()} {dict(scope['headers'])[b'x-who'].decode()} "
    ).encode() + message["body"]
    await send({"type": "http.response.start", "status": 201, "headers": [(b"x-a", b"1")]})
    await send({"type": "http.response.body", "body": body[:5], "more_body": True})
    await send({"type": "http.response.body", "body": body[5:]})


async def boom(scope: dict[str, Any], receive: Any, send: Any) -> None:
    raise RuntimeError("bug")


def test_asgi_side_sends_the_request_as_is_and_collects_the_answer() -> None:
    request = ParityRequest("POST", "/a%2Fb/c?q=1%202", (("X-Who", "me"),), b"payload")
    response = asyncio.run(AsgiSide("new", echo).send(request))
    assert response.status == 201
    assert response.headers == (("x-a", "1"),)
    assert response.body == b"POST /a/b/c /a%2Fb/c q=1%202 me payload"


def test_an_app_that_raises_answers_500() -> None:
    response = asyncio.run(AsgiSide("new", boom).send(ParityRequest("GET", "/")))
    assert response.status == 500
