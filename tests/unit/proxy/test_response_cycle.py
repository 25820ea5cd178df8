"""The front's response cycle sends what uvicorn's sends, in fewer writes."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from uvicorn.protocols.http.flow_control import FlowControl
from uvicorn.protocols.http.httptools_impl import RequestResponseCycle

from proxy.response_cycle import EdgeCycle
from tests.unit.proxy.doubles import Transport

pytestmark = pytest.mark.anyio


def cycle(kind: type[RequestResponseCycle], method: str = "GET", keep_alive: bool = True) -> Any:
    transport = Transport()
    made = kind(
        scope={"type": "http", "method": method, "http_version": "1.1"},  # type: ignore[typeddict-item]
        transport=transport,  # type: ignore[arg-type]
        flow=FlowControl(transport),  # type: ignore[arg-type]
        logger=logging.getLogger("test"),
        access_logger=logging.getLogger("test.access"),
        access_log=False,
        default_headers=[(b"date", b"Sat, 05 Dec 2026 20:00:00 GMT")],
        message_event=asyncio.Event(),
        expect_100_continue=False,
        keep_alive=keep_alive,
        on_response=lambda: None,
    )
    if isinstance(made, EdgeCycle):
        made.loop = asyncio.get_running_loop()
    return made


async def sent(kind: type[RequestResponseCycle], messages: list[Any], **options: Any) -> Any:
    made = cycle(kind, **options)
    for message in messages:
        await made.send(message)
    await asyncio.sleep(0)  # a held head is written once the sender yields
    return made


def start(headers: list[tuple[bytes, bytes]], status: int = 200) -> dict[str, Any]:
    return {"type": "http.response.start", "status": status, "headers": headers}


def body(data: bytes, more: bool = False) -> dict[str, Any]:
    return {"type": "http.response.body", "body": data, "more_body": more}


RESPONSES = {
    "content-length": [
        start([(b"content-type", b"text/plain"), (b"content-length", b"2")]),
        body(b"ok"),
    ],
    "no length: chunked": [start([(b"content-type", b"text/plain")]), body(b"a", True), body(b"b")],
    "transfer-encoding given": [start([(b"transfer-encoding", b"chunked")]), body(b"abc")],
    "connection: close": [start([(b"connection", b"close"), (b"content-length", b"0")]), body(b"")],
    "capitals in a name": [start([(b"Content-Length", b"2"), (b"X-Id", b"1")]), body(b"ok")],
    "two lengths, the first wins": [
        start([(b"content-length", b"2"), (b"content-length", b"9")]),
        body(b"ok"),
    ],
    "204 without length": [start([], 204), body(b"")],
    "streamed in parts": [
        start([(b"content-length", b"4")]),
        body(b"ab", True),
        body(b"cd"),
    ],
}


@pytest.mark.parametrize("name", RESPONSES)
async def test_the_bytes_on_the_wire_are_uvicorns(name: str) -> None:
    ours = await sent(EdgeCycle, RESPONSES[name])
    theirs = await sent(RequestResponseCycle, RESPONSES[name])
    assert b"".join(ours.transport.writes) == b"".join(theirs.transport.writes)
    assert (ours.keep_alive, ours.response_complete) == (
        theirs.keep_alive,
        theirs.response_complete,
    )


async def test_a_head_request_gets_the_head_only_as_from_uvicorn() -> None:
    messages = [start([(b"content-length", b"5")]), body(b"")]
    ours = await sent(EdgeCycle, messages, method="HEAD")
    theirs = await sent(RequestResponseCycle, messages, method="HEAD")
    assert b"".join(ours.transport.writes) == b"".join(theirs.transport.writes)


async def test_without_keep_alive_the_head_says_connection_close_and_it_closes() -> None:
    made = await sent(EdgeCycle, RESPONSES["content-length"], keep_alive=False)
    assert b"connection: close\r\n" in made.transport.writes[0]
    assert made.transport.closed


async def test_a_whole_response_is_one_write() -> None:
    made = await sent(EdgeCycle, RESPONSES["content-length"])
    assert len(made.transport.writes) == 1
    assert made.transport.writes[0].endswith(b"\r\n\r\nok")


async def test_a_streamed_responses_head_is_written_as_soon_as_its_sender_yields() -> None:
    made = cycle(EdgeCycle)
    await made.send(start([(b"content-type", b"text/event-stream")]))
    assert made.transport.writes == []
    await asyncio.sleep(0)
    assert made.transport.writes[0].startswith(b"HTTP/1.1 200 OK\r\n")


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        ([(b"x-bad", b"a\x01b")], "Invalid HTTP header value."),
        ([(b"x bad", b"v")], "Invalid HTTP header name."),
    ],
)
async def test_a_field_uvicorn_refuses_raises_its_error(
    headers: list[tuple[bytes, bytes]], error: str
) -> None:
    for kind in (EdgeCycle, RequestResponseCycle):
        with pytest.raises(RuntimeError, match=error):
            await cycle(kind).send(start(headers))


async def test_a_body_longer_than_its_length_raises_after_the_head_is_written() -> None:
    made = cycle(EdgeCycle)
    await made.send(start([(b"content-length", b"1")]))
    with pytest.raises(RuntimeError, match="longer than Content-Length"):
        await made.send(body(b"too long"))
    assert made.transport.writes[0].startswith(b"HTTP/1.1 200 OK\r\n")


async def test_an_app_failing_after_its_head_gets_the_head_written_before_the_close() -> None:
    made = cycle(EdgeCycle)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send(start([(b"content-length", b"2")]))
        raise RuntimeError("boom")

    await made.run_asgi(app)
    assert made.transport.writes[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert made.transport.closed
