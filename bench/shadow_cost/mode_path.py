"""What shadow mode's path costs a request it does not mirror, against `legacy` mode's, in
process: the mode's `answer` with a legacy side that answers at once (no bridge, no threads),
on a `Shadow` whose budget has no time to spare, with 4 mirrored jobs waiting for a quiet moment
(as on a busy worker). CPU time of the loop's thread per request, least of 7 turns.

    python -m bench.shadow_cost.mode_path  (BENCH_REQUESTS=20000 BENCH_MODES=legacy,shadow)

BENCH_MODES=legacy (or shadow) runs one mode only, for instruction counts under callgrind
(bench/shadow_cost/mode_instructions.sh).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from typing import Any

from proxy.cutover_metrics import CutoverMetrics
from proxy.cutover_runtime import ShadowMirror
from proxy.modes import Call, Outcome
from proxy.modes.legacy import Legacy
from proxy.modes.shadow import Shadow as ShadowMode
from proxy.route_table import RouteTable
from proxy.settings import RouteSettings
from proxy.shadow import Shadow, ShadowRoute
from proxy.shadow_budget import ShadowBudget
from proxy.shadow_queue import BusyGauge, ShadowJob
from proxy.shadow_settings import ShadowSettings

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "20000"))
MODES = os.environ.get("BENCH_MODES", "legacy,shadow").split(",")


class Sides:
    def __init__(self, mirror: Any) -> None:
        self.mirror = mirror

    async def answer_legacy(self, call: Call) -> None:
        await call.send({"type": "http.response.start", "status": 200, "headers": []})
        await call.send({"type": "http.response.body", "body": b"{}"})


async def send(message: Any) -> None:
    return None


async def receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def measure() -> None:
    route = RouteTable([RouteSettings(path="/api/categories", methods=["GET"])]).routes[0]
    busy = BusyGauge()
    budget = ShadowBudget(0.1)
    budget.tokens = -1e9  # no time to spare: nothing is mirrored

    async def never(job: Any) -> Any:
        await asyncio.Event().wait()

    shadow = Shadow(ShadowSettings(), legacy_app=send, new_side=object(), busy=busy,  # type: ignore[arg-type]
                    budget=budget, metrics=CutoverMetrics())  # fmt: skip
    shadow.queue._send = never  # type: ignore[assignment]
    shadow.queue.start()
    busy.enter()  # a client request in flight all along: the 4 jobs wait for a quiet moment
    for _ in range(4):
        shadow.queue.offer(ShadowJob("GET /api/categories", None, None, notes={}))  # type: ignore[arg-type]
    await asyncio.sleep(0.01)
    mirror = ShadowMirror(shadow, {route.key: ShadowRoute(str(route.key))})
    both = {"legacy": (Legacy(), Sides(mirror)), "shadow": (ShadowMode(), Sides(mirror))}
    sides = {name: both[name] for name in MODES}
    scope = {"type": "http", "method": "GET", "path": "/api/categories", "headers": []}
    figures: dict[str, list[float]] = {"legacy": [], "shadow": []}
    for _turn in range(7):
        for name, (mode, side) in sides.items():
            started = time.thread_time()
            for _ in range(REQUESTS // 7):
                call = Call(scope, receive, send, route, "id", Outcome())
                busy.enter()
                await mode.answer(call, side)  # type: ignore[arg-type]
                busy.leave()
                await asyncio.sleep(0)  # the loop turns, as between a server's requests
            figures[name].append((time.thread_time() - started) / (REQUESTS // 7) * 1e6)
    if len(MODES) == 1:
        print(f"mode path, {MODES[0]}: {min(figures[MODES[0]]):.2f} us")
        return
    legacy_us, shadow_us = min(figures["legacy"]), min(figures["shadow"])
    print(f"mode path, loop CPU per request (least of 7): legacy {legacy_us:.2f} us, shadow not "
          f"mirrored {shadow_us:.2f} us, extra {shadow_us - legacy_us:.2f} us; "
          f"dropped {shadow.route_counts('GET /api/categories').dropped}")  # fmt: skip


def main() -> int:
    asyncio.run(measure())
    return 0


if __name__ == "__main__":
    sys.exit(main())
