"""The legacy app's own CPU time per request, with no server at all: the WSGI callable called in a
loop on one thread with a ready-made environ (bench.py runs it with the app's environment).

    python bench/proxy_overhead/app_cost.py module:app METHOD PATH [BODY]

Prints the median microseconds of CPU per call over BENCH_ROUNDS rounds. No server can make a
request cheaper than this, so `gunicorn's CPU per request / this` bounds what any server, the front
included, can gain over gunicorn on that route.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from proxy.health import get_scope  # noqa: E402
from proxy.loading import load_legacy_app  # noqa: E402
from proxy.wsgi_bridge import build_environ  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
CALLS = 300


def environ(method: str, path: str, body: bytes) -> dict[str, Any]:
    """The environ the front's bridge would build for this request (without its input)."""
    scope = get_scope(path, host="127.0.0.1", port=8000, user_agent="strangler-bench")
    scope["method"] = method
    scope["headers"] += [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    return build_environ(scope, io.BytesIO())


def call(app: Callable[..., Any], template: dict[str, Any], body: bytes) -> None:
    request = {**template, "wsgi.input": io.BytesIO(body)}
    result = app(request, lambda status, headers, exc_info=None: None)
    try:
        b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()


def main(target: str, method: str, path: str, body: str = "") -> int:
    app = load_legacy_app(target)
    data = body.encode()
    template = environ(method, path, data)
    for _ in range(CALLS):  # warm caches, connections, lazy imports
        call(app, template, data)
    rounds = []
    for _ in range(ROUNDS):
        started = time.process_time()
        for _ in range(CALLS):
            call(app, template, data)
        rounds.append((time.process_time() - started) / CALLS)
    print(f"{statistics.median(rounds) * 1e6:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
