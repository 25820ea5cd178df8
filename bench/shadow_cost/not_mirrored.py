"""What a request the shadow does not mirror costs the front's event loop, against the same
route in `legacy`, in process: CPU time of the loop's own thread (`time.thread_time`), a steady
figure on a shared machine.

Two whole fronts (`create_app`, lifespan started: store, cutover loop, the shadow's child) are
built from the bench's configs (bench.py: flask_shop's `GET /api/categories`, one route, in
`legacy` and in `shadow`) and called straight through ASGI, one request at a time, in turns. The
requests come back to back, so the worker has no time to spare and the shadow's budget mirrors
(almost) none of them: the shadow front's figure is the not-mirrored path's. Printed: the loop's
microseconds per request, both fronts, median of the turns, and the shadow's counts.

    .venv/bin/python -m bench.shadow_cost.not_mirrored   (BENCH_REQUESTS=6000 BENCH_TURNS=6)
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from typing import Any

from bench.shadow_cost.bench import PATH, SHOP_ENV, front_config, seed
from proxy.app import create_app
from proxy.settings import load_settings

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "6000"))
TURNS = int(os.environ.get("BENCH_TURNS", "6"))


def scope() -> dict[str, Any]:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": PATH, "raw_path": PATH.encode(), "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
        "headers": [(b"host", b"127.0.0.1:8000"), (b"accept", b"*/*")], "state": {},
    }  # fmt: skip


async def receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def send(message: Any) -> None:
    return None


class Lifespan:
    """The ASGI lifespan of one front, started and stopped by hand."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.state: dict[str, Any] = {}
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": self.state}
        self.task = asyncio.create_task(self.app(scope, self.inbox.get, self.outbox.put))
        await self.inbox.put({"type": "lifespan.startup"})
        started = await self.outbox.get()
        assert started["type"] == "lifespan.startup.complete", started

    async def stop(self) -> None:
        await self.inbox.put({"type": "lifespan.shutdown"})
        await self.outbox.get()
        assert self.task is not None
        await self.task


async def measure() -> None:
    fronts = {mode: create_app(load_settings(front_config(mode))) for mode in ("legacy", "shadow")}
    lifespans = {mode: Lifespan(app) for mode, app in fronts.items()}
    for lifespan in lifespans.values():
        await lifespan.start()

    async def run(mode: str, count: int) -> float:
        app, state = fronts[mode], lifespans[mode].state
        started = time.thread_time()
        for _ in range(count):
            request = scope()
            request["state"] = dict(state)
            await app(request, receive, send)
        return (time.thread_time() - started) / count * 1e6

    for mode in fronts:  # warm: imports, the child's start, the first window of the budget
        await run(mode, 500)
    figures: dict[str, list[float]] = {mode: [] for mode in fronts}
    for turn in range(TURNS):
        order = list(fronts) if turn % 2 == 0 else list(reversed(fronts))
        for mode in order:
            figures[mode].append(await run(mode, REQUESTS // TURNS))
    shadow = fronts["shadow"]
    while not hasattr(shadow, "cutover"):
        shadow = shadow.app
    report = shadow.cutover.shadow.report() if shadow.cutover.shadow is not None else {}
    for lifespan in lifespans.values():
        await lifespan.stop()
    legacy_us, shadow_us = (
        statistics.median(figures["legacy"]),
        statistics.median(figures["shadow"]),
    )
    turns = {mode: " ".join(f"{value:.1f}" for value in values) for mode, values in figures.items()}
    print("loop CPU per request, us, turns: " + "; ".join(f"{m} {t}" for m, t in turns.items()))
    print(f"median of {TURNS} turns of {REQUESTS // TURNS}: legacy {legacy_us:.1f} us, "
          f"shadow {shadow_us:.1f} us, extra {shadow_us - legacy_us:.1f} us")  # fmt: skip
    for key, counts in report.items():
        print(f"{key}: mirrored {counts['mirrored']}, compared {counts['compared']}, dropped "
              f"{counts['dropped']} (budget {counts['over_budget']})")  # fmt: skip


def main() -> int:
    seed()
    os.environ.update(SHOP_ENV)
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    asyncio.run(measure())
    return 0


if __name__ == "__main__":
    sys.exit(main())
