"""Request ids, one structured log line per request, and Prometheus metrics per route and side.

Everything is recorded once, by the front's outermost layer, whoever answered.
"""

from __future__ import annotations

import asyncio
import atexit
import json
import logging
import os
import random
import re
import sys
import time
from collections.abc import MutableMapping
from datetime import UTC, datetime
from typing import Any, TextIO

import structlog

from proxy.metrics import DURATION_BUCKETS, Metrics

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


def incoming_request_id(value: bytes | None) -> str | None:
    """The client's X-Request-ID when it is a sane token (no spaces, at most 128 chars)."""
    if not value:
        return None
    text = value.decode("latin-1")
    return text if _VALID_REQUEST_ID.match(text) else None


_random = random.Random()
os.register_at_fork(after_in_child=_random.seed)  # forked workers must not share a sequence


def new_request_id() -> str:
    """32 hex digits. Request ids correlate log lines; they are not secrets, so the default is a
    fast PRNG seeded from os.urandom rather than one urandom syscall per request."""
    return f"{_random.getrandbits(128):032x}"


class _Timestamp:
    """structlog's `TimeStamper(fmt="iso", utc=True)` text, with the seconds part formatted once
    per second rather than once per line."""

    def __init__(self) -> None:
        self._second = -1
        self._prefix = ""

    def __call__(self) -> str:
        now = time.time()
        second = int(now)
        if second != self._second:
            self._prefix = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
            self._second = second
        return f"{self._prefix}.{int((now - second) * 1_000_000):06d}Z"


_timestamp = _Timestamp()
_encode = json.JSONEncoder(default=repr).encode
_string = json.encoder.encode_basestring_ascii  # json's own string escaping (its C function)


def render_json(_logger: Any, method_name: str, event_dict: MutableMapping[str, Any]) -> str:
    """The one processor: level and timestamp added, one JSON object (structlog's JSONRenderer
    builds a new encoder per call, which is most of its cost)."""
    event_dict["level"] = method_name
    event_dict["timestamp"] = _timestamp()
    return _encode(event_dict)


class BatchedLineWriter:
    """A structlog logger writing lines to `file`, or to whatever `sys.stdout` is when they are
    written (a test runner swaps and closes it). Inside a running event loop, the lines of one
    loop iteration are written and flushed together at its end (one write instead of one per
    request under load, still before the loop waits again); elsewhere each line at once."""

    def __init__(self, file: TextIO | None = None) -> None:
        self.file = file
        self._pending: list[str] = []
        self._flush_on: asyncio.AbstractEventLoop | None = None
        atexit.register(self.flush)

    def msg(self, message: str) -> None:
        self._pending.append(message)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no running loop in this thread
            self.flush()
            return
        if self._flush_on is not loop:  # (a loop that closed first leaves its lines to the next)
            self._flush_on = loop
            loop.call_soon(self.flush)

    info = warning = error = msg

    def flush(self) -> None:
        if not self._pending:
            return
        lines, self._pending, self._flush_on = self._pending, [], None
        lines.append("")
        file = self.file if self.file is not None else sys.stdout
        file.write("\n".join(lines))
        file.flush()


class RequestLog:
    """The one line per request, in the same JSON as `render_json` writes (keys in the same
    order, the same separators and escapes), formatted directly: the fields are known, and
    `json` encoding a dict costs several times more than escaping its three free-text strings.
    Written by structlog's logger, like every other line."""

    def __init__(self, writer: BatchedLineWriter) -> None:
        self.writer = writer

    def request(
        self,
        request_id: str,
        method: str,
        path: str,
        route: str,
        side: str,
        status: int,
        duration_ms: float,
    ) -> None:
        self.writer.msg(
            f'{{"request_id": {_string(request_id)}, "method": {_string(method)}, '
            f'"path": {_string(path)}, "route": {_string(route)}, "side": {_string(side)}, '
            f'"status": {int(status)}, "duration_ms": {float(duration_ms)!r}, '
            f'"event": "request", "level": "info", "timestamp": "{_timestamp()}"}}'
        )


def configure_logging(file: TextIO | None = None) -> RequestLog:
    """structlog writing one JSON object per line to stdout (or `file`), and the request log
    that writes its lines the same way."""
    writer = BatchedLineWriter(file)
    structlog.configure(
        processors=[render_json],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        logger_factory=lambda *args: writer,
        cache_logger_on_first_use=True,
    )
    return RequestLog(writer)


clock = time.perf_counter

__all__ = [
    "DURATION_BUCKETS",
    "Metrics",
    "clock",
    "configure_logging",
    "incoming_request_id",
    "new_request_id",
]
