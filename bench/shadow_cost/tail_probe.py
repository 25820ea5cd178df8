"""Where the client's tail comes from in `shadow`: the bench's two fronts (legacy, shadow; see
bench.py) with probes inside (probed.py), at the bench's fixed rate, modes alternating in turns.
Printed per turn and mode: the client's p50/p99, then from inside the front the event loop's lag
(a 2 ms timer's lateness: p99, p99.9, max), the garbage collections (count and longest, per
generation), the shadow's metered steps on the loop (count, p99, max, total) and the mirrored
request's own path (the offer). On a loaded machine the lag moves with the machine; the steps'
and collections' figures much less.

    .venv/bin/python -m bench.shadow_cost.tail_probe   (BENCH_ROUNDS=4 BENCH_SECONDS=8
                                                        BENCH_SHADOW_CONFIG=...)
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from bench.shadow_cost import bench
from bench.shadow_cost.fixed_rate import fixed_rate
from tests.support.servers import free_port, running_server, venv_command

GROWTH = math.log(1.1)


def read(path: Path) -> dict[str, Any]:
    for _ in range(50):
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            time.sleep(0.1)
    return {}


def diff(after: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    found = {}
    for name, figures in after.items():
        old = before.get(name, {"buckets": {}, "count": 0, "total": 0.0})
        buckets = {int(b): n - old["buckets"].get(b, 0) for b, n in figures["buckets"].items()}
        found[name] = {"buckets": {b: n for b, n in buckets.items() if n},
                       "count": figures["count"] - old["count"],
                       "total": figures["total"] - old["total"], "max": figures["max"]}  # fmt: skip
    return found


def quantile(figures: dict[str, Any], share: float) -> float:
    """Microseconds: the upper bound of the bucket holding the quantile."""
    count = figures["count"]
    if not count:
        return 0.0
    rank, seen = max(1, math.ceil(share * count)), 0
    for bucket in sorted(figures["buckets"]):
        seen += figures["buckets"][bucket]
        if seen >= rank:
            return 1.0 if bucket == 0 else math.exp(bucket * GROWTH)
    return figures["max"]


def longest(figures: dict[str, Any]) -> float:
    """Microseconds: the upper bound of the highest bucket used in this measurement."""
    used = [b for b, n in figures["buckets"].items() if n]
    return math.exp(max(used) * GROWTH) if used else 0.0


def summary(figures: dict[str, Any], seconds: float) -> str:
    lag = figures["lag"]
    parts = [f"lag p99 {quantile(lag, 0.99) / 1000:.1f} p99.9 {quantile(lag, 0.999) / 1000:.1f} "
             f"max {longest(lag) / 1000:.1f} ms"]  # fmt: skip
    for generation in range(3):
        collections = figures[f"gc{generation}"]
        if collections["count"]:
            parts.append(f"gc{generation} {collections['count']}x max "
                         f"{longest(collections) / 1000:.2f} ms")  # fmt: skip
    steps = figures["shadow_steps"]
    if steps["count"]:
        per_second = steps["total"] / 1000 / seconds
        parts.append(f"shadow steps {steps['count']} p99 {quantile(steps, 0.99):.0f} max "
                     f"{longest(steps):.0f} us, {per_second:.1f} ms/s")  # fmt: skip
    path = figures["shadow_path"]
    if path["count"]:
        parts.append(f"offers {path['count']} p99 {quantile(path, 0.99):.0f} us")
    return "; ".join(parts)


def main() -> int:
    bench.seed()
    modes = ["legacy", "shadow"]
    ports = {mode: free_port() for mode in modes}
    outs = {mode: bench.WORK / f"{mode}.probe.json" for mode in modes}
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    with ExitStack() as stack:
        for mode, port in ports.items():
            outs[mode].unlink(missing_ok=True)
            command = [venv_command("python"), "-m", "bench.shadow_cost.probed", "serve",
                       "--config", str(bench.front_config(mode)), "--port", str(port)]  # fmt: skip
            stack.enter_context(running_server(
                command, port, env={**bench.SHOP_ENV, "PROBE_OUT": str(outs[mode])},
                ready_path=bench.PATH,
            ))  # fmt: skip
        if len(bench.CORES) > 1:
            os.sched_setaffinity(0, bench.CORES[:-1])
        for mode in modes:
            bench.closed_loop("127.0.0.1", ports[mode], bench.PATH, seconds=2,
                              connections=bench.CONNECTIONS)  # fmt: skip
        for round_number in range(bench.ROUNDS):
            capacity, _ = bench.capacity(ports["legacy"], warm=False)
            rate = bench.RATE_SHARE * capacity
            print(f"round {round_number + 1}: capacity {capacity:.0f} req/s, rate {rate:.0f}")
            turn = round_number % 2
            for mode in modes[turn:] + modes[:turn]:
                bench.wait_for_quiet_core(bench.PIN_CORE)
                time.sleep(1.2)  # the probe's next write
                before = read(outs[mode])
                result = fixed_rate("127.0.0.1", ports[mode], bench.PATH, rate=rate,
                                    seconds=bench.SECONDS,
                                    connections=bench.CONNECTIONS)  # fmt: skip
                time.sleep(1.2)
                figures = diff(read(outs[mode]), before)
                print(f"  {mode:6s} p50 {result.percentile(0.5) * 1000:6.2f} ms p99 "
                      f"{result.percentile(0.99) * 1000:7.2f} ms | "
                      f"{summary(figures, bench.SECONDS + 2.4)}")  # fmt: skip
    print(f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
