"""One front's CPU per legacy request, from the bytes of a request to the bytes of its response,
in-process: uvicorn's HTTP protocol as `strangler serve` configures it (the edge's own protocol
where the front has one), the front and its WSGI bridge, on connections whose transport is a
list in memory. No sockets and no client process, so it hardly moves with the machine's load;
side_by_side.py runs it for two commits and prints the ratios.

    python wire_cost.py APP METHOD PATH BODY      (prints JSON: CPU seconds per request, ...)

APP is a WSGI app "module:attribute", or "-" for one returning 2 bytes (the front's cost alone).
With WIRE_COST_MIGRATED="module:app" (a FastAPI app, or "module:create_app" for a factory), the
front also serves that app and the request's method and path go to it (`mode = "new"`): what the
same request costs on a migrated route (migrated_cost.py compares the two in one run).
The `proxy` package is whichever the import path finds first: side_by_side.py sets PYTHONPATH to
the commit under test. With WIRE_COST_CALLGRIND=<path of a shared library> (side_by_side.py
builds it), only the measured requests are counted by callgrind (its zero/dump requests).
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import json
import os
import statistics
import sys
import time
import types
from collections.abc import Callable, Iterable
from typing import Any

CONNECTIONS = int(os.environ.get("WIRE_COST_CONNECTIONS", "32"))  # as bench.py's wrk
REQUESTS = int(os.environ.get("WIRE_COST_REQUESTS", "640"))  # per round, over every connection
ROUNDS = int(os.environ.get("WIRE_COST_ROUNDS", "5"))
WARMUP = int(os.environ.get("WIRE_COST_WARMUP", "200"))
THREADS = int(os.environ.get("WIRE_COST_THREADS", "4"))
# The event loop `strangler serve` runs (uvicorn's loop="auto"): uvloop when it is installed.
# Its timers are C (libuv), asyncio's are Python objects in a heap: what a timer costs, and so
# what replacing timers saves, differs between the two. WIRE_COST_LOOP=asyncio for the stdlib's.
LOOP = os.environ.get("WIRE_COST_LOOP", "auto")


def tiny(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    wsgi_input = environ["wsgi.input"]
    wsgi_input.read()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
    return [b"{}"]


class MemoryTransport:
    """What uvicorn's protocol needs of a transport; the response bytes are counted, not kept."""

    def __init__(self, port: int) -> None:
        self.closing = False
        self.written = 0
        self.extra = {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", port)}

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self.extra.get(name, default)

    def write(self, data: bytes) -> None:
        self.written += len(data)

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass


def server_config(front: Any, settings: Any) -> Any:
    """uvicorn's Config as `strangler serve` builds it, for the `proxy` package imported."""
    from uvicorn.config import Config

    import proxy

    options: dict[str, Any] = {"http": "httptools"}  # a front older than its own protocol
    if os.path.exists(os.path.join(os.path.dirname(proxy.__file__), "http_protocol.py")):
        from proxy.http_protocol import HTTP_PROTOCOL

        options["http"] = HTTP_PROTOCOL
    edge = settings.edge
    if hasattr(edge, "keepalive_timeout"):
        options["timeout_keep_alive"] = edge.keepalive_timeout
    config = Config(
        front,
        proxy_headers=False,
        server_header=False,
        access_log=False,
        log_level="warning",
        **options,
    )
    config.load()
    return config


def request_bytes(method: str, path: str, body: str) -> bytes:
    """What wrk sends (bench.py's script): Content-Length even when the body is empty."""
    data = body.encode()
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"
        f"Content-Length: {len(data)}\r\nContent-Type: application/json\r\n\r\n"
    )
    return head.encode() + data


async def client(config: Any, request: bytes, count: int, port: int, done: list[int]) -> None:
    """One keep-alive connection sending `count` requests, each after the previous response."""
    from uvicorn.server import ServerState

    state = ServerState()  # its own: the one task in `state.tasks` is this connection's request
    state.default_headers = [(b"date", b"Sat, 05 Dec 2026 20:00:00 GMT")]  # as uvicorn adds
    protocol = config.http_protocol_class(config=config, server_state=state, app_state={})
    transport = MemoryTransport(port)
    protocol.connection_made(transport)
    for _ in range(count):
        protocol.data_received(request)
        await next(iter(state.tasks))
        if transport.closing:
            raise RuntimeError("the front closed the connection")
    done.append(transport.written)
    protocol.connection_lost(None)


async def requests(config: Any, request: bytes, total: int) -> int:
    done: list[int] = []
    each = total // CONNECTIONS
    await asyncio.gather(
        *(client(config, request, each, 40000 + index, done) for index in range(CONNECTIONS))
    )
    return each * CONNECTIONS


def front_toml(app_name: str, method: str, path: str) -> str:
    text = f'[legacy]\napp = "{app_name}"\nthreads = {THREADS}\n'
    migrated = os.environ.get("WIRE_COST_MIGRATED", "")
    if migrated:
        text += f'\n[migrated]\napp = "{migrated}"\n'
        text += f'\n[[routes]]\npath = "{path}"\nmethods = ["{method}"]\nmode = "new"\n'
    return text


def new_event_loop() -> asyncio.AbstractEventLoop:
    if LOOP in ("auto", "uvloop"):
        try:
            import uvloop
        except ImportError:
            if LOOP == "uvloop":
                raise
        else:
            return uvloop.new_event_loop()
    return asyncio.new_event_loop()


def main() -> int:
    app_name, method, path, body = sys.argv[1:5]
    results = os.fdopen(os.dup(1), "w")
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)  # the front's request log goes where a server's log would: nowhere slow

    if app_name == "-":
        module = types.ModuleType("wire_cost_apps")
        module.tiny = tiny  # type: ignore[attr-defined]
        sys.modules["wire_cost_apps"] = module
        app_name = "wire_cost_apps:tiny"

    import proxy
    from proxy.app import create_app, freeze_startup_objects
    from proxy.settings import parse_settings

    settings = parse_settings(front_toml(app_name, method, path))
    front = create_app(settings)
    freeze_startup_objects()
    config = server_config(front, settings)
    request = request_bytes(method, path, body)

    loop = new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(requests(config, request, WARMUP))
    gc.collect()

    callgrind = None
    if os.environ.get("WIRE_COST_CALLGRIND"):
        callgrind = ctypes.CDLL(os.environ["WIRE_COST_CALLGRIND"])
        callgrind.callgrind_zero()
    profile = None
    if os.environ.get("WIRE_COST_PROFILE"):  # a pstats file of the event loop's thread
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    samples = []
    measured = 0
    for _ in range(ROUNDS):
        started = time.process_time()
        count = loop.run_until_complete(requests(config, request, REQUESTS))
        samples.append((time.process_time() - started) / count)
        measured += count
    if callgrind is not None:
        callgrind.callgrind_dump()
    if profile is not None:
        profile.disable()
        profile.dump_stats(os.environ["WIRE_COST_PROFILE"])
    loop.close()
    json.dump(
        {
            "proxy": os.path.dirname(os.path.dirname(os.path.abspath(proxy.__file__))),
            "cpu_per_request": statistics.median(samples),
            "requests": measured,
            "protocol": config.http_protocol_class.__name__,
            "loop": type(loop).__module__,
        },
        results,
    )
    results.write("\n")
    results.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
