"""What one mirrored request costs the front's event loop, in CPU time of the loop's own thread
(`time.thread_time`), in process: a steady figure for decisions on a shared machine.

flask_shop's `GET /api/categories` answer (taken once from the legacy app) is replayed by a
minimal ASGI app standing for legacy; `Shadow.answer` mirrors each request to the real new side
(the migrated app in its child process, `[shadow] isolation = "process"`). The requests go one
at a time, each mirrored job worked off before the next, so none is dropped; the same number of
requests straight to that legacy stand-in is the baseline. Printed: microseconds of the loop's
CPU per request, both ways, and the difference (the shadow's own work on the loop), then the
functions that take it, and the Python calls and event-loop iterations each mirrored request
adds (cProfile, with BENCH_PROFILE=1: steady on a loaded machine, where CPU times are not).

The shadow's work is metered as a front's budget meters it (a budget that always has room:
what is measured is the metering, not its refusals; BENCH_BUDGET=0: none), and the child has
the legacy app to ask again on the noise sample where the version measured can (a version that
cannot asks the stand-in on the loop). To measure another version's code, copy this file into
its checkout and run it there.

BENCH_LEGACY=bridge serves legacy with the real flask_shop app behind the front's WSGI bridge
instead of the stand-in, and the worker's CPU (`time.process_time`: the loop and the legacy
threads, not the child) is printed too: what a noise sample asked by the worker costs shows
there.

    .venv/bin/python -m bench.shadow_cost.loop_cost
    (BENCH_REQUESTS=2000 BENCH_PROFILE=0 BENCH_BUDGET=1 BENCH_LEGACY=stand-in
     BENCH_SHADOW_SETTINGS='noise_sample=0.1')
"""

from __future__ import annotations

import asyncio
import cProfile
import inspect
import os
import pstats
import random
import statistics
import subprocess
import sys
import time
from typing import Any

from bench.shadow_cost.bench import PATH, WORK
from proxy.cutover_metrics import CutoverMetrics
from proxy.shadow import Shadow, ShadowRoute
from proxy.shadow_budget import ShadowBudget
from proxy.shadow_process import ProcessNewSide
from proxy.shadow_queue import BusyGauge
from proxy.shadow_settings import ShadowSettings
from tests.support.servers import venv_command

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "2000"))
PROFILE = os.environ.get("BENCH_PROFILE", "0") == "1"
BUDGET = os.environ.get("BENCH_BUDGET", "1") == "1"
LEGACY = "legacy_examples.flask_shop.wsgi:app"
REAL_LEGACY = os.environ.get("BENCH_LEGACY", "stand-in") == "bridge"
SHADOW_CONFIG = dict(
    item.split("=", 1) for item in os.environ.get("BENCH_SHADOW_SETTINGS", "").split(";") if item
)


def legacy_answer() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    from legacy_examples.flask_shop.wsgi import app

    response = app.test_client().get(PATH, headers={"Host": "127.0.0.1:8000"})
    headers = [(k.lower().encode(), v.encode()) for k, v in response.headers.items()]
    return response.status_code, headers, response.data


def scope() -> dict[str, Any]:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": PATH, "raw_path": PATH.encode(), "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
        "headers": [(b"host", b"127.0.0.1:8000"), (b"accept", b"*/*")],
    }  # fmt: skip


async def measure() -> None:
    status, headers, body = legacy_answer()

    async def stand_in(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    legacy: Any = stand_in
    if REAL_LEGACY:
        from legacy_examples.flask_shop.wsgi import app as wsgi_app
        from proxy.wsgi_bridge import WSGIBridge

        legacy = WSGIBridge(wsgi_app, threads=4)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        return None

    settings = ShadowSettings(**{k.strip(): float(v) for k, v in SHADOW_CONFIG.items()})
    busy = BusyGauge()
    # Always room: a worker CPU clock that never moves leaves the budget all its spare time.
    budget = ShadowBudget(1.0, process_cpu=lambda: 0.0) if BUDGET else None
    asks_legacy = "legacy_reference" in inspect.signature(ProcessNewSide).parameters
    side_options: dict[str, Any] = {"legacy_reference": LEGACY} if asks_legacy else {}
    if budget is not None:  # what this version's child takes to charge the budget
        if "charge" in inspect.signature(ProcessNewSide).parameters:
            side_options["charge"] = budget.charge
        else:
            side_options["meter"] = budget.metered
    shadow = Shadow(
        settings, legacy_app=legacy, new_side=ProcessNewSide("migrated.flask_shop.wsgi:app",
                                                            **side_options),
        metrics=CutoverMetrics(), busy=busy, budget=budget, rng=random.Random(7),
    )  # fmt: skip
    await shadow.start()
    route = ShadowRoute(f"GET {PATH}")

    async def one(mirror: bool) -> None:
        busy.enter()
        try:
            if mirror:
                await shadow.answer(route, scope(), receive, send, legacy)
            else:
                await legacy(scope(), receive, send)
        finally:
            busy.leave()

    for _ in range(200):  # warm: imports, the child's first answers, the noise warm-up
        await one(True)
        await shadow.queue.join()
    figures: dict[str, list[float]] = {"legacy": [], "shadow": []}
    on_path: dict[str, list[float]] = {"legacy": [], "shadow": []}
    worker: dict[str, list[float]] = {"legacy": [], "shadow": []}
    profilers = {mode: cProfile.Profile() for mode in ("legacy", "shadow")} if PROFILE else {}
    for _turn in range(6):
        for mode in ("legacy", "shadow"):
            started, process_started = time.thread_time(), time.process_time()
            path_cpu = 0.0
            profiler = profilers.get(mode)
            if profiler is not None:
                profiler.enable()
            for _ in range(REQUESTS // 6):
                request_started = time.thread_time()
                await one(mode == "shadow")
                path_cpu += time.thread_time() - request_started
                await shadow.queue.join()
            if profiler is not None:
                profiler.disable()
            figures[mode].append((time.thread_time() - started) / (REQUESTS // 6) * 1e6)
            worker[mode].append((time.process_time() - process_started) / (REQUESTS // 6) * 1e6)
            on_path[mode].append(path_cpu / (REQUESTS // 6) * 1e6)
    await shadow.close()
    for name, pick in (("median", statistics.median), ("least", min)):
        legacy_us, shadow_us = pick(figures["legacy"]), pick(figures["shadow"])
        print(f"loop CPU per request ({name} of 6 turns of {REQUESTS // 6}): legacy "
              f"{legacy_us:.1f} us, shadow {shadow_us:.1f} us; the shadow's own work per "
              f"mirrored request {shadow_us - legacy_us:.1f} us, of which on the client's path "
              f"(the request's own task, before the loop can take the next request) "
              f"{pick(on_path['shadow']) - pick(on_path['legacy']):.1f} us; the worker's CPU "
              f"(loop and legacy threads) legacy {pick(worker['legacy']):.1f} us, shadow "
              f"{pick(worker['shadow']):.1f} us, extra "
              f"{pick(worker['shadow']) - pick(worker['legacy']):.1f} us")  # fmt: skip
    counts = shadow.report()[route.key]
    print(f"mirrored {counts['mirrored']}, compared {counts['compared']}, noise samples "
          f"{counts['noise_samples']}, dropped {counts['dropped']}; budget "
          f"{'metered' if budget is not None else 'none'}, legacy asked again by "
          f"{'the child' if asks_legacy else 'the worker'}, legacy "
          f"{'behind the bridge' if REAL_LEGACY else 'the stand-in'}")  # fmt: skip
    if profilers:
        per_mode = {mode: calls_and_iterations(pstats.Stats(p)) for mode, p in profilers.items()}
        requests = 6 * (REQUESTS // 6)
        (legacy_calls, legacy_loops), (shadow_calls, shadow_loops) = per_mode.values()
        print(f"per mirrored request, beyond the legacy stand-in's: "
              f"{(shadow_calls - legacy_calls) / requests:.0f} Python calls, "
              f"{(shadow_loops - legacy_loops) / requests:.1f} event-loop iterations "
              f"(cProfile; legacy {legacy_calls / requests:.0f} calls, "
              f"{legacy_loops / requests:.1f} iterations)")  # fmt: skip
        pstats.Stats(profilers["shadow"]).sort_stats(
            os.environ.get("BENCH_SORT", "tottime")
        ).print_stats(int(os.environ.get("BENCH_TOP", "25")))


def calls_and_iterations(stats: pstats.Stats) -> tuple[int, int]:
    """All the calls the profiler saw, and the event loop's iterations (`_run_once`)."""
    entries: dict[tuple[str, int, str], tuple[int, ...]] = stats.stats  # type: ignore[attr-defined]
    iterations = sum(entry[1] for key, entry in entries.items() if key[2] == "_run_once")
    return stats.total_calls, iterations  # type: ignore[attr-defined]


def main() -> int:
    """Its own database, so that it can run beside bench.py."""
    database = WORK / "loop_cost.db"
    WORK.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    os.environ.update({"DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "bench",
                       "UPLOAD_FOLDER": str(WORK / "uploads")})  # fmt: skip
    subprocess.run([venv_command("flask"), "--app", "legacy_examples.flask_shop.wsgi", "seed"],
                   check=True, capture_output=True)  # fmt: skip
    asyncio.run(measure())
    return 0


if __name__ == "__main__":
    sys.exit(main())
