"""Small legacy (WSGI) and migrated (FastAPI) apps the security suite serves through the front.

The legacy app counts what happened to it, and the migrated app's `/api/stats` shows the counts
(from the event loop, even when every legacy thread is busy), so a test over HTTP can see
whether an iterable was closed or a queued request ever ran.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI, Request

StartResponse = Callable[..., Any]

_lock = threading.Lock()
stats: dict[str, int] = {"closed": 0, "ran": 0, "running": 0}


def _count(name: str, by: int = 1) -> None:
    with _lock:
        stats[name] = stats.get(name, 0) + by


def _query(environ: dict[str, Any]) -> dict[str, str]:
    pairs = (part.split("=", 1) for part in environ.get("QUERY_STRING", "").split("&") if part)
    return {key: value for key, value in pairs}


class Counted:
    """A WSGI iterable that counts its close() calls."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks

    def __iter__(self) -> Iterator[bytes]:
        return self._chunks

    def close(self) -> None:
        _count("closed")


def _json(start_response: StartResponse, payload: Any, status: str = "200 OK") -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


def legacy(environ: dict[str, Any], start_response: StartResponse) -> Any:
    path = environ["PATH_INFO"]
    query = _query(environ)
    if path == "/echo":
        body = environ["wsgi.input"].read()
        return _json(
            start_response,
            {
                "length": len(body),
                "content_length": environ.get("CONTENT_LENGTH"),
                "headers": {k: v for k, v in environ.items() if k.startswith("HTTP_")},
            },
        )
    if path == "/endless":  # a download the client walks away from

        def endless() -> Iterator[bytes]:
            while True:
                time.sleep(0.01)
                yield b"x" * 4096

        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return Counted(endless())
    if path == "/late":  # a streamed export whose first chunk comes late

        def late() -> Iterator[bytes]:
            time.sleep(float(query.get("seconds", "1")))
            yield b"late\n"

        start_response("200 OK", [("Content-Type", "text/plain")])
        return Counted(late())
    if path == "/slow":
        _count("running")
        try:
            time.sleep(float(query.get("seconds", "1")))
        finally:
            _count("running", -1)
        return _json(start_response, {"slept": True})
    if path == "/pid":
        return _json(start_response, {"pid": os.getpid()})
    if path == "/run":  # counts the calls that reached the app
        _count("ran")
        return _json(start_response, {"ran": True})
    if path == "/midway":  # raises after the first chunk

        def midway() -> Iterator[bytes]:
            yield b"first\n"
            raise RuntimeError("legacy generator failed midway")

        start_response("200 OK", [("Content-Type", "text/plain")])
        return midway()
    if path == "/raise":  # a raw WSGI app raising before start_response
        raise RuntimeError("raw legacy bug")
    if path == "/flask-boom":
        return flask_app(environ, start_response)
    if path == "/crlf":
        start_response("200 OK", [("Content-Type", "text/plain"), ("X-Bad", "a\r\nInjected: 1")])
        return [b"should not be seen"]
    if path == "/write-then-iterate":
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"written ")

        def rest() -> Iterator[bytes]:
            yield b"yielded "
            write(b"written-during-iteration ")
            yield b"end"

        return rest()
    if path == "/write-wait":  # write(), then wait for the test to say it saw the first piece
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"first;")
        marker = query.get("marker", "")
        deadline = time.monotonic() + 5
        while marker and not os.path.exists(marker) and time.monotonic() < deadline:
            time.sleep(0.02)
        write(b"second;")
        return []
    if path == "/hang":
        time.sleep(float(query.get("seconds", "3")))
        return _json(start_response, {"hung": True})
    return _json(start_response, {"path": path})


def _make_flask() -> Any:
    from flask import Flask

    app = Flask("security_legacy")

    @app.get("/flask-boom")
    def boom() -> Any:
        raise RuntimeError("flask legacy bug")

    return app


flask_app = _make_flask()


def make_migrated() -> FastAPI:
    app = FastAPI()

    @app.get("/api/crash")
    def crash() -> dict[str, str]:
        raise RuntimeError("migrated handler bug")

    @app.post("/api/upload")
    async def upload(request: Request) -> dict[str, int]:
        return {"length": len(await request.body())}

    @app.get("/api/ok")
    def ok() -> dict[str, str]:
        return {"side": "new"}

    @app.get("/api/stats")
    async def legacy_stats() -> dict[str, int]:  # on the event loop: answers when threads are busy
        with _lock:
            return dict(stats)

    return app


migrated_app = make_migrated()
