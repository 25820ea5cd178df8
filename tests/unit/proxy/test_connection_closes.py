"""When the front closes a connection by itself, and that each close is counted with its reason.

The protocol runs on a hand-moved clock (its timers fire when the test says), over a socket pair
standing for the client: bytes the client has sent and the front has not read yet are really in
the socket, as they are when the keep-alive timer and a client's next request meet."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from uvicorn.config import Config
from uvicorn.server import ServerState

from proxy.connection_closes import CLOSES, close_connection
from proxy.http_protocol import EdgeHttpProtocol
from proxy.metrics import Metrics
from proxy.settings import EdgeSettings
from tests.unit.proxy.doubles import Timer, Transport

pytestmark = pytest.mark.anyio

REQUEST = b"GET /next HTTP/1.1\r\nHost: front.example\r\n\r\n"


class HandMovedClock:
    """The loop as the protocol sees it: time and timers moved by the test, tasks on the real
    loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.now = 1000.0
        self.timers: list[Timer] = []

    def time(self) -> float:
        return self.now

    def call_at(self, when: float, callback: Callable[[], None]) -> Timer:
        timer = Timer(when, callback)
        self.timers.append(timer)
        return timer

    def call_soon(self, callback: Callable[..., None], *args: Any) -> Any:
        return self.loop.call_soon(callback, *args)

    def create_task(self, coroutine: Any) -> asyncio.Task[None]:
        return self.loop.create_task(coroutine)

    def advance(self, seconds: float) -> None:
        self.now += seconds
        while due := [timer for timer in self.timers if timer.when <= self.now]:
            for timer in due:
                self.timers.remove(timer)
                if not timer.cancelled:
                    timer.callback()


class SocketTransport(Transport):
    """The front's side of the connection: writes are kept, the socket is the real one."""

    def __init__(self, sock: socket.socket) -> None:
        super().__init__()
        self.sock = sock

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.sock if name == "socket" else default


async def ok(scope: Any, receive: Any, send: Any) -> None:
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
    )
    await send({"type": "http.response.body", "body": b"ok"})


class Connection:
    def __init__(self, clock: HandMovedClock, front: socket.socket, client: socket.socket) -> None:
        config = Config(app=ok, proxy_headers=False, lifespan="off")
        config.load()
        self.clock = clock
        self.client = client
        self.front_socket = front
        self.transport = SocketTransport(front)
        self.protocol = EdgeHttpProtocol(config, ServerState(), {}, _loop=clock)  # type: ignore[arg-type]
        self.protocol.connection_made(self.transport)  # type: ignore[arg-type]

    def arrived(self) -> bytes:
        """What the client sent, read by the front now (as the loop's reader would)."""
        return self.front_socket.recv(65536)

    async def answered(self, request: bytes) -> bytes:
        self.transport.writes.clear()
        self.protocol.data_received(request)
        while not self.transport.writes and not self.transport.closed:
            await asyncio.sleep(0)
        await asyncio.sleep(0)
        return b"".join(self.transport.writes)


@pytest.fixture
async def connection() -> AsyncIterator[Connection]:
    front, client = socket.socketpair()
    with front, client:
        yield Connection(HandMovedClock(asyncio.get_running_loop()), front, client)


async def test_an_idle_connection_whose_next_request_has_arrived_is_not_closed(
    connection: Connection,
) -> None:
    assert (await connection.answered(REQUEST)).startswith(b"HTTP/1.1 200")
    connection.client.sendall(REQUEST)  # in the socket, not read yet: the loop was busy

    connection.clock.advance(connection.protocol.timeout_keep_alive + 1)

    assert not connection.transport.closed
    assert (await connection.answered(connection.arrived())).startswith(b"HTTP/1.1 200")


async def test_an_idle_connection_is_closed_after_keepalive_timeout_as_keepalive_timeout(
    connection: Connection,
) -> None:
    await connection.answered(REQUEST)
    before = CLOSES.copy()

    connection.clock.advance(connection.protocol.timeout_keep_alive + 0.001)

    assert connection.transport.closed
    assert CLOSES - before == {"keepalive_timeout": 1}


async def test_an_idle_connection_is_open_until_keepalive_timeout(
    connection: Connection,
) -> None:
    await connection.answered(REQUEST)

    connection.clock.advance(connection.protocol.timeout_keep_alive - 0.001)

    assert not connection.transport.closed


async def test_a_new_connection_that_sends_nothing_is_closed_as_no_request(
    connection: Connection,
) -> None:
    before = CLOSES.copy()

    connection.clock.advance(connection.protocol.header_timeout + 0.001)

    assert connection.transport.closed
    assert connection.transport.writes == []
    assert CLOSES - before == {"no_request": 1}


async def test_a_new_connection_whose_first_request_has_arrived_is_not_closed(
    connection: Connection,
) -> None:
    connection.client.sendall(REQUEST)

    connection.clock.advance(connection.protocol.header_timeout + 1)

    assert not connection.transport.closed
    assert (await connection.answered(connection.arrived())).startswith(b"HTTP/1.1 200")


async def test_a_head_still_incomplete_after_header_timeout_gets_408_as_header_timeout(
    connection: Connection,
) -> None:
    before = CLOSES.copy()
    connection.protocol.data_received(b"GET /next HTTP/1.1\r\nHost: front")

    connection.clock.advance(connection.protocol.header_timeout + 0.001)

    assert b"".join(connection.transport.writes).startswith(b"HTTP/1.1 408")
    assert CLOSES - before == {"header_timeout": 1}


async def test_a_refused_head_is_counted_under_its_error(connection: Connection) -> None:
    before = CLOSES.copy()

    answer = await connection.answered(b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\n")

    assert answer.startswith(b"HTTP/1.1 414")
    assert CLOSES - before == {"uri_too_long": 1}


async def test_a_response_that_ends_the_connection_is_counted_as_not_keep_alive(
    connection: Connection,
) -> None:
    before = CLOSES.copy()

    await connection.answered(b"GET / HTTP/1.1\r\nHost: front.example\r\nConnection: close\r\n\r\n")

    assert connection.transport.closed
    assert CLOSES - before == {"not_keep_alive": 1}


# How long common clients and load balancers reuse an idle connection (their defaults).
IDLE_REUSE = {
    "httpx": httpx.Limits(max_connections=None).keepalive_expiry or 0.0,  # 5 s
    "aiohttp": 15.0,  # TCPConnector(keepalive_timeout=15)
    "AWS ALB": 60.0,  # idle timeout
    "nginx upstream": 60.0,  # upstream keepalive_timeout
}


def test_the_front_keeps_idle_connections_longer_than_common_clients_reuse_them() -> None:
    # A client pool reuses a connection until its own expiry, counted from when it has read the
    # response: later than the front's count, by as long as the client took to get to it. A front
    # closing first at the same nominal timeout loses a request now and then under load.
    assert EdgeSettings().keepalive_timeout > max(IDLE_REUSE.values())


def test_metrics_show_the_closes_by_reason() -> None:
    closed = SocketTransport(socket.socket())
    with closed.sock:
        close_connection(closed, "keepalive_timeout")  # type: ignore[arg-type]

    exposition = Metrics().exposition()[0].decode()

    count = CLOSES["keepalive_timeout"]
    assert f'strangler_connections_closed_total{{reason="keepalive_timeout"}} {count}.0' in (
        exposition.splitlines()
    )
