"""The front's own CPU time per request, in-process, with apps that do almost nothing: what the
front adds to a request whatever the app does, measured without sockets or a second process, so
it hardly moves with the machine's load (run.sh runs it after bench.py).

- legacy: a WSGI app returning 2 bytes, through the front's WSGI bridge (one thread hop);
- migrated: a FastAPI route returning 2 bytes, alone and through the front (with its log line).

8 requests at a time, BENCH_ROUNDS rounds of 800 (median).
"""

from __future__ import annotations

import asyncio
import io
import os
import statistics
import sys
import time
import types
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from fastapi import FastAPI  # noqa: E402
from starlette.responses import Response  # noqa: E402

from proxy.app import create_app  # noqa: E402
from proxy.health import get_scope  # noqa: E402
from proxy.settings import parse_settings  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))
CONCURRENT, BATCHES = 8, 100

CONFIG = """
[legacy]
app = "front_cost_apps:legacy"
threads = 4

[migrated]
app = "front_cost_apps:migrated"

[[routes]]
path = "/new"
methods = ["GET"]
mode = "new"
"""


def legacy(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "2")])
    return [b"{}"]


migrated = FastAPI()


@migrated.get("/new")
async def new() -> Response:
    return Response(b"{}", media_type="application/json")


async def receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def send(message: dict[str, Any]) -> None:
    pass


async def cpu_per_request(app: Any, path: str) -> float:
    def scope() -> dict[str, Any]:
        return get_scope(path, host="127.0.0.1", port=8000, user_agent="bench")

    started = time.process_time()
    for _ in range(BATCHES):
        await asyncio.gather(*(app(scope(), receive, send) for _ in range(CONCURRENT)))
    return (time.process_time() - started) / (BATCHES * CONCURRENT)


async def measure() -> dict[str, float]:
    front = create_app(parse_settings(CONFIG))
    cases = {"migrated alone": (migrated, "/new"), "front, migrated route": (front, "/new")}
    cases["front, legacy route"] = (front, "/legacy")
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(ROUNDS):
        for name, (app, path) in cases.items():
            samples[name].append(await cpu_per_request(app, path))
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> int:
    module = types.ModuleType("front_cost_apps")
    module.legacy = legacy  # type: ignore[attr-defined]
    module.migrated = migrated  # type: ignore[attr-defined]
    sys.modules["front_cost_apps"] = module
    stdout, sys.stdout = sys.stdout, io.StringIO()  # the front's request log
    try:
        cost = asyncio.run(measure())
    finally:
        sys.stdout = stdout
    added = cost["front, migrated route"] - cost["migrated alone"]
    print(f"\n== the front's own CPU per request, in-process ({CONCURRENT} at a time)")
    for name, seconds in cost.items():
        print(f"  {name:22} {seconds * 1e6:6.0f} us")
    print(f"  the front adds {added * 1e6:.0f} us to a migrated request (routing, log, metrics)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
