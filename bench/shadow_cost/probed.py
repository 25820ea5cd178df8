"""`strangler` with probes inside the front, for bench/shadow_cost/tail_probe.py: where a client
request's wait comes from, in the front itself, on a machine too loaded for latencies to say it.

    python -m bench.shadow_cost.probed serve --config FILE --port PORT   (PROBE_OUT=FILE.json)

Each second the front writes to PROBE_OUT its running totals (JSON) of:
- `lag`: how late a 2 ms timer on its event loop fires (what a request arriving then waits for
  the loop, whatever holds it: a long step, the GIL, or the machine);
- `gc`: each cyclic garbage collection's generation and wall time;
- `shadow_steps`: each step of the shadow's work on the loop as the budget meters it (the queue
  worker's steps, the reads of the child's answers), wall time;
- `shadow_path`: the client's own path of a mirrored request beyond legacy's call (the offer);
each a histogram (microseconds, 10 % wide buckets), its count, sum and max. The driver diffs two
reads to get one measurement's.
"""

from __future__ import annotations

import asyncio
import gc
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

GROWTH = math.log(1.1)


class Histogram:
    def __init__(self) -> None:
        self.buckets: dict[int, int] = {}
        self.count = 0
        self.total = 0.0
        self.largest = 0.0

    def add(self, seconds: float) -> None:
        us = seconds * 1e6
        bucket = 0 if us <= 1 else 1 + int(math.log(us) / GROWTH)
        self.buckets[bucket] = self.buckets.get(bucket, 0) + 1
        self.count += 1
        self.total += us
        if us > self.largest:
            self.largest = us

    def as_dict(self) -> dict[str, Any]:
        return {"buckets": self.buckets, "count": self.count, "total": self.total,
                "max": self.largest}  # fmt: skip


PROBES = {name: Histogram() for name in ("lag", "shadow_steps", "shadow_path")}
GC = {generation: Histogram() for generation in range(3)}


def install() -> None:
    from proxy import cutover_runtime, shadow
    from proxy.shadow_budget import ShadowBudget

    charge = ShadowBudget.charge
    steps = PROBES["shadow_steps"]

    def probed_charge(self: ShadowBudget, seconds: float) -> None:
        steps.add(seconds)
        charge(self, seconds)

    ShadowBudget.charge = probed_charge  # type: ignore[method-assign]

    mirror = shadow.Shadow.mirror
    path = PROBES["shadow_path"]

    def probed_mirror(self: Any, route: Any, scope: Any, capture: Any) -> None:
        started = time.perf_counter()
        mirror(self, route, scope, capture)
        path.add(time.perf_counter() - started)

    shadow.Shadow.mirror = probed_mirror  # type: ignore[method-assign]

    collecting: dict[str, float] = {}

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collecting["at"] = time.perf_counter()
        elif "at" in collecting:
            GC[info["generation"]].add(time.perf_counter() - collecting.pop("at"))

    gc.callbacks.append(on_gc)

    start = cutover_runtime.CutoverRuntime.start

    async def probed_start(self: Any, store: Any = None) -> None:
        await start(self, store)
        asyncio.get_running_loop().create_task(_lag_and_dump(), name="probe")

    cutover_runtime.CutoverRuntime.start = probed_start  # type: ignore[method-assign]


async def _lag_and_dump() -> None:
    out = Path(os.environ["PROBE_OUT"])
    lag = PROBES["lag"]
    period = 0.002
    written = time.monotonic()
    while True:
        due = time.perf_counter() + period
        await asyncio.sleep(period)
        lag.add(max(0.0, time.perf_counter() - due))
        if time.monotonic() - written >= 1.0:
            written = time.monotonic()
            figures = {name: h.as_dict() for name, h in PROBES.items()}
            figures.update({f"gc{g}": h.as_dict() for g, h in GC.items()})
            temporary = out.with_suffix(".tmp")
            temporary.write_text(json.dumps(figures))
            temporary.replace(out)


def main() -> int:
    install()
    from proxy.cli import main as strangler

    sys.argv = ["strangler", *sys.argv[1:]]
    return strangler() or 0


if __name__ == "__main__":
    sys.exit(main())
