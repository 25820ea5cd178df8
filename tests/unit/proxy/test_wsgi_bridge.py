"""The WSGI bridge on its own: environ, bodies, streaming, capacity and timeouts."""

from __future__ import annotations

import asyncio
import gc
import json
import threading
import weakref
from typing import Any

import pytest

from proxy.request_body import BodyLimits, ClientDisconnected
from proxy.wsgi_bridge import LegacyOverloaded, LegacyTimeout, WSGIBridge
from tests.unit.proxy import apps

pytestmark = pytest.mark.anyio


def scope_for(method: str, path: bytes, headers: list[tuple[bytes, bytes]] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    return {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path.decode(),
        "raw_path": path,
        "root_path": "",
        "query_string": b"q=1",
        "headers": list(headers),
        "client": ("10.0.0.1", 1234),
        "server": ("shop", 8000),
    }


class Recorder:
    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    async def __call__(self, message: dict[str, Any]) -> None:
        self.messages.append(message)

    @property
    def status(self) -> int:
        return int(self.messages[0]["status"])

    @property
    def headers(self) -> dict[bytes, bytes]:
        return dict(self.messages[0]["headers"])

    @property
    def bodies(self) -> list[bytes]:
        return [m.get("body", b"") for m in self.messages[1:]]


def body_messages(*chunks: bytes) -> Any:
    pending = [
        {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]
    received: list[int] = []

    async def receive() -> dict[str, Any]:
        received.append(1)
        if pending:
            return pending.pop(0)
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    receive.count = received  # type: ignore[attr-defined]
    return receive


async def test_the_environ_is_what_a_wsgi_server_would_build() -> None:
    bridge = WSGIBridge(apps.raw_wsgi, threads=2)
    send = Recorder()
    headers = [
        (b"host", b"shop:8000"),
        (b"cookie", b"a=1"),
        (b"cookie", b"b=2"),
        (b"x-custom", b"v"),
    ]

    await bridge(scope_for("GET", b"/caf%C3%A9/a%2Fb", headers), body_messages(b""), send)

    environ = json.loads(send.bodies[0])
    assert environ["PATH_INFO"] == "/café/a/b".encode().decode("latin-1")
    assert environ["QUERY_STRING"] == "q=1"
    assert environ["HTTP_COOKIE"] == "a=1; b=2"
    assert environ["HTTP_X_CUSTOM"] == "v"
    assert environ["REMOTE_ADDR"] == "10.0.0.1"
    assert environ["SERVER_NAME"] == "shop" and environ["SERVER_PORT"] == "8000"
    assert environ["wsgi.input_terminated"] is True


async def test_hop_by_hop_response_headers_are_not_forwarded() -> None:
    bridge = WSGIBridge(apps.raw_wsgi, threads=2)
    send = Recorder()

    await bridge(scope_for("GET", b"/"), body_messages(b""), send)

    assert b"connection" not in send.headers and b"keep-alive" not in send.headers
    assert send.headers[b"content-type"] == b"application/json"


async def test_a_small_body_is_read_before_the_call() -> None:
    bridge = WSGIBridge(apps.raw_wsgi, threads=2)
    send = Recorder()

    await bridge(
        scope_for("POST", b"/", [(b"content-length", b"5")]), body_messages(b"he", b"llo"), send
    )

    assert json.loads(send.bodies[0])["body_length"] == 5


async def test_a_chunked_body_reaches_the_app_whole_with_its_length() -> None:
    bridge = WSGIBridge(apps.raw_wsgi, threads=2)
    send = Recorder()
    chunks = [b"x" * 1000] * 50

    await bridge(
        scope_for("POST", b"/", [(b"transfer-encoding", b"chunked")]), body_messages(*chunks), send
    )

    environ = json.loads(send.bodies[0])
    assert environ["body_length"] == 50_000
    assert environ["CONTENT_LENGTH"] == "50000"  # as nginx passes a buffered chunked body on
    assert "HTTP_TRANSFER_ENCODING" not in environ


async def test_a_large_body_is_read_before_the_call_and_spooled_to_a_file() -> None:
    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen["received_before_call"] = len(receive.count)  # type: ignore[attr-defined]
        seen["fileno"] = environ["wsgi.input"].fileno()
        seen["body"] = environ["wsgi.input"].read()
        start_response("204 No Content", [])
        return []

    bridge = WSGIBridge(app, threads=2, body_limits=BodyLimits(memory=1024))
    receive = body_messages(*([b"x" * 65536] * 20))
    headers = [(b"content-length", str(65536 * 20).encode())]

    await bridge(scope_for("POST", b"/upload", headers), receive, Recorder())

    assert seen["received_before_call"] == 20
    assert seen["fileno"] >= 0
    assert seen["body"] == b"x" * 65536 * 20


async def test_a_generator_response_is_streamed_chunk_by_chunk() -> None:
    bridge = WSGIBridge(apps.generator_wsgi, threads=2)
    send = Recorder()
    scope = scope_for("GET", b"/")
    scope["query_string"] = b"4"

    await bridge(scope, body_messages(b""), send)

    assert send.status == 200
    assert [b for b in send.bodies if b] == [b"part 0\n", b"part 1\n", b"part 2\n", b"part 3\n"]
    assert send.messages[-1].get("more_body", False) is False


async def test_a_large_response_is_streamed_not_joined() -> None:
    bridge = WSGIBridge(apps.flask_app, threads=2, buffer_response_below=1000)
    send = Recorder()
    scope = scope_for("GET", b"/large", [(b"host", b"t")])
    scope["query_string"] = b"size=3000"

    await bridge(scope, body_messages(b""), send)

    assert b"".join(send.bodies) == b"x" * 3000
    assert send.messages[1].get("more_body") is True


async def test_a_hung_call_gets_504_and_its_thread_is_replaced() -> None:
    apps.release_hung.clear()
    bridge = WSGIBridge(apps.flask_app, threads=1, max_pending=0, timeout=0.3)
    hung, after = Recorder(), Recorder()
    try:
        await bridge(scope_for("GET", b"/hang", [(b"host", b"t")]), body_messages(b""), hung)
        await bridge(scope_for("GET", b"/", [(b"host", b"t")]), body_messages(b""), after)
    finally:
        apps.release_hung.set()

    assert hung.status == 504
    assert after.status == 200  # a new thread took the hung one's place
    assert bridge.stuck_threads == 1


async def test_past_max_stuck_threads_a_hung_call_keeps_its_thread_counted() -> None:
    apps.release_hung.clear()
    reasons: list[str] = []
    bridge = WSGIBridge(
        apps.flask_app,
        threads=1,
        max_pending=0,
        timeout=0.3,
        max_stuck_threads=0,
        on_stuck_bound=reasons.append,
    )
    hung, after = Recorder(), Recorder()
    try:
        await bridge(scope_for("GET", b"/hang", [(b"host", b"t")]), body_messages(b""), hung)
        await bridge(scope_for("GET", b"/", [(b"host", b"t")]), body_messages(b""), after)
    finally:
        apps.release_hung.set()

    assert hung.status == 504
    assert json.loads(hung.bodies[0])["error"] == "legacy_timeout"
    assert after.status == 503  # the one thread is still held by the hung handler
    assert reasons and "max_stuck_threads = 0" in reasons[0]


async def test_a_full_pool_answers_503_with_retry_after_at_once() -> None:
    apps.release_hung.clear()
    bridge = WSGIBridge(apps.flask_app, threads=1, max_pending=1, timeout=10, retry_after=7)
    first, second, third = Recorder(), Recorder(), Recorder()
    try:
        tasks = [
            asyncio.create_task(
                bridge(scope_for("GET", b"/hang", [(b"host", b"t")]), body_messages(b""), rec)
            )
            for rec in (first, second)
        ]
        await asyncio.sleep(0.1)
        await bridge(scope_for("GET", b"/", [(b"host", b"t")]), body_messages(b""), third)
    finally:
        apps.release_hung.set()
    await asyncio.gather(*tasks)

    assert third.status == 503
    assert third.headers[b"retry-after"] == b"7"
    assert first.status == 200 and second.status == 200


async def test_call_sends_one_request_in_process() -> None:
    bridge = WSGIBridge(apps.flask_app, threads=2)

    response = await bridge.call(
        "POST",
        "/api/items",
        headers={"Content-Type": "application/json", "Host": "t"},
        body=b'{"a": 1}',
    )

    assert response.status == 201
    assert json.loads(response.body) == {"created": {"a": 1}}
    assert response.header("Content-Type") == "application/json"


async def test_call_raises_instead_of_answering_for_the_front() -> None:
    apps.release_hung.clear()
    bridge = WSGIBridge(apps.flask_app, threads=1, max_pending=0, timeout=0.2, max_stuck_threads=0)
    try:
        with pytest.raises(LegacyTimeout):
            await bridge.call("GET", "/hang", headers={"Host": "t"})
        with pytest.raises(LegacyOverloaded):
            await bridge.call("GET", "/", headers={"Host": "t"})
    finally:
        apps.release_hung.set()


@pytest.mark.parametrize(
    "header",
    [("X-Bad", "a\r\nInjected: 1"), ("X-Bad", "nul\x00"), ("Bad Name", "v"), ("X-Bad", "€")],
)
async def test_a_response_header_that_cannot_be_sent_gets_502(header: tuple[str, str]) -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain"), header])
        return [b"never sent"]

    bridge = WSGIBridge(app, threads=1)
    send = Recorder()

    await bridge(scope_for("GET", b"/"), body_messages(b""), send)

    assert send.status == 502
    assert json.loads(send.bodies[0])["error"] == "legacy_bad_response"


class ServerCycle:
    """A server's request cycle as uvicorn's: `disconnected` turns True when the client leaves;
    its receive() says nothing of it (the bridge reads the flag)."""

    def __init__(self) -> None:
        self.disconnected = False

    async def receive(self) -> dict[str, Any]:
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    def leave(self) -> None:
        self.disconnected = True


class PlainClient:
    """A receive() with no cycle behind it: it answers http.disconnect once the client left."""

    def __init__(self) -> None:
        self.left = asyncio.Event()

    async def receive(self) -> dict[str, Any]:
        await self.left.wait()
        return {"type": "http.disconnect"}

    def leave(self) -> None:
        self.left.set()


@pytest.mark.parametrize("client_kind", [ServerCycle, PlainClient])
async def test_a_request_whose_client_left_while_it_waited_for_a_thread_never_runs(
    client_kind: type[ServerCycle] | type[PlainClient],
) -> None:
    release = threading.Event()
    ran: list[str] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        ran.append(environ["PATH_INFO"])
        if environ["PATH_INFO"] == "/busy":
            release.wait(30)
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]

    bridge = WSGIBridge(app, threads=1, max_pending=1, timeout=60)
    client = client_kind()
    busy = asyncio.create_task(bridge(scope_for("GET", b"/busy"), body_messages(b""), Recorder()))
    try:
        for _ in range(1000):
            if ran:
                break
            await asyncio.sleep(0.01)
        waiting = asyncio.create_task(
            bridge.serve(scope_for("GET", b"/waiting"), client.receive, Recorder())
        )
        await asyncio.sleep(0.01)
        client.leave()

        with pytest.raises(ClientDisconnected):
            await asyncio.wait_for(waiting, 30)
    finally:
        release.set()
        await busy
    assert ran == ["/busy"]


async def test_an_answered_requests_objects_are_let_go_at_once() -> None:
    """The bridge's deadline line keeps an exchange a while after its request; the objects the
    request was made of must not live that long (the garbage collector would scan them)."""
    responses: list[weakref.ref[Any]] = []

    class Response(list[bytes]):
        pass

    def app(environ: dict[str, Any], start_response: Any) -> Response:
        start_response("200 OK", [("Content-Length", "2")])
        response = Response([b"ok"])
        responses.append(weakref.ref(response))
        return response

    bridge = WSGIBridge(app, threads=1)
    gc.disable()  # freed by reference counting alone, as soon as the request is answered
    try:
        answered = await bridge.call("GET", "/", headers={"Host": "t"})
        assert answered.body == b"ok"
        assert responses[0]() is None
    finally:
        gc.enable()
