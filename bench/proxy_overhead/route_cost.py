"""One route's own CPU time per request on both sides, with no server and no front: the legacy
WSGI app called on one thread (as app_cost.py does) and the migrated ASGI app called on an event
loop, 8 requests at a time (its sync views hop to threads as under uvicorn), interleaved round by
round so both see the same machine load.

    python bench/proxy_overhead/route_cost.py legacy_mod:app migrated_mod:app METHOD PATH [BODY]

Prints one line: the median microseconds of CPU per request of each side and their ratio
(legacy / migrated: above 1 means the migrated route is cheaper). bench.py runs it with the app's
environment; it is quick enough to run while profiling a runtime change (BENCH_PROFILE=1 prints
cProfile's top functions of the migrated side).
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from app_cost import call, environ  # noqa: E402

from proxy.health import get_scope  # noqa: E402
from proxy.loading import load_legacy_app, load_migrated_app  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
CONCURRENT, BATCHES = 8, 40


def asgi_scope(method: str, path: str, body: bytes) -> dict[str, Any]:
    scope = get_scope(path, host="127.0.0.1", port=8000, user_agent="strangler-bench")
    scope["method"] = method
    scope["headers"] += [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    return scope


async def asgi_call(app: Any, template: dict[str, Any], body: bytes) -> int:
    status = 0
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)  # a client that keeps the connection open
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app({**template, "headers": list(template["headers"])}, receive, send)
    return status


async def migrated_rounds(app: Any, template: dict[str, Any], body: bytes, calls: int) -> float:
    started = time.process_time()
    for _ in range(calls // CONCURRENT):
        statuses = await asyncio.gather(*(asgi_call(app, template, body) for _ in range(8)))
        if any(status >= 500 for status in statuses):
            raise RuntimeError(f"the migrated route answered {statuses}")
    return (time.process_time() - started) / calls


def legacy_rounds(app: Any, template: dict[str, Any], body: bytes, calls: int) -> float:
    started = time.process_time()
    for _ in range(calls):
        call(app, template, body)
    return (time.process_time() - started) / calls


async def measure(
    legacy_target: str, migrated_target: str, method: str, path: str, body: bytes
) -> tuple[float, float]:
    legacy = load_legacy_app(legacy_target)
    migrated = load_migrated_app(migrated_target)
    wsgi_template = environ(method, path, body)
    asgi_template = asgi_scope(method, path, body)
    calls = CONCURRENT * BATCHES
    legacy_rounds(legacy, wsgi_template, body, calls)  # warm-up
    await migrated_rounds(migrated, asgi_template, body, calls)
    if os.environ.get("BENCH_PROFILE"):
        profile = cProfile.Profile()
        profile.enable()
        await migrated_rounds(migrated, asgi_template, body, calls * 2)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(40)
        print(out.getvalue(), file=sys.stderr)
    legacy_cost, migrated_cost = [], []
    for _ in range(ROUNDS):
        legacy_cost.append(legacy_rounds(legacy, wsgi_template, body, calls))
        migrated_cost.append(await migrated_rounds(migrated, asgi_template, body, calls))
    return statistics.median(legacy_cost), statistics.median(migrated_cost)


def main(legacy_target: str, migrated_target: str, method: str, path: str, body: str = "") -> int:
    legacy, migrated = asyncio.run(
        measure(legacy_target, migrated_target, method, path, body.encode())
    )
    print(
        f"{method} {path}: legacy {legacy * 1e6:.0f} us, migrated {migrated * 1e6:.0f} us CPU"
        f"/request (no server); legacy / migrated = {legacy / migrated:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
