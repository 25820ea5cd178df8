"""A migrated route against the same route on legacy, both through the front, in-process and side
by side in one run: wire_cost.py (request bytes in, response bytes out) with the request served
by the legacy app, then by the codemod's output (`WIRE_COST_MIGRATED`), alternating.

    bash bench/proxy_overhead/run.sh migrated-side-by-side
    BENCH_CALLGRIND=1 bash bench/proxy_overhead/run.sh migrated-side-by-side
    BENCH_BASE=<git ref> bash bench/proxy_overhead/run.sh migrated-side-by-side

Cases: flask_shop's GET /api/categories and POST /api/quote (bench.py's requests). Each side runs
BENCH_RUNS times in fresh processes (CPU time: the median); BENCH_CALLGRIND=1 counts instructions
instead, one run each (the machine's load does not move them). With BENCH_BASE, the migrated
route of that commit (its runtime, its generated app and its front) is a third side.
legacy/migrated above 1: the migrated route costs less than the legacy one it replaces.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from side_by_side import CALLGRIND, RUNS, Case, callgrind_library, measure

import bench


def cases() -> list[tuple[Case, Case]]:
    """(legacy, migrated) pairs of the same request."""
    shop = next(app for app in bench.prepare() if app.name == "flask_shop")
    pairs = []
    for request in (shop.get, shop.post):
        legacy = Case(f"flask {request.method}", shop.wsgi, request, shop.env)
        migrated_env = {**shop.env, "WIRE_COST_MIGRATED": shop.migrated}
        pairs.append((legacy, Case(legacy.name, shop.wsgi, request, migrated_env)))
    return pairs


def main() -> int:
    bench.WORK.mkdir(parents=True, exist_ok=True)
    library = callgrind_library(bench.WORK) if CALLGRIND else None
    runs = 1 if CALLGRIND else RUNS
    pairs = cases()
    sides = ["legacy", "migrated"] + (["migrated-base"] if bench.BASE else [])
    if bench.BASE:
        bench.checkout_base()
    samples: dict[tuple[str, str], list[float]] = {}
    try:
        for run in range(runs):
            for index, (legacy, migrated) in enumerate(pairs):
                jobs = {
                    "legacy": (bench.ROOT, legacy),
                    "migrated": (bench.ROOT, migrated),
                    "migrated-base": (bench.BASE_TREE, migrated),
                }
                shift = (run + index) % len(sides)  # no side always follows the same one
                for side in sides[shift:] + sides[:shift]:
                    tree, case = jobs[side]
                    samples.setdefault((case.name, side), []).append(measure(tree, case, library))
    finally:
        if bench.BASE:
            bench.remove_base()
    unit, scale = ("instructions", 1.0) if CALLGRIND else ("us of CPU", 1e6)
    how = "callgrind, one run each" if CALLGRIND else f"median of {runs} alternated runs each"
    print(f"\n== a migrated route against the legacy one, both through the front ({how})")
    print(f"   {unit} per request, front and app included; legacy/migrated above 1: cheaper now")
    header = f"  {'case':10} {'legacy':>12} {'migrated':>12}   legacy/migrated"
    if bench.BASE:
        header += f"   migrated at {bench.BASE}   its legacy/migrated"
    print(header)
    for legacy, _ in pairs:
        value = {side: statistics.median(samples[(legacy.name, side)]) for side in sides}
        line = (
            f"  {legacy.name:10} {value['legacy'] * scale:12.1f} {value['migrated'] * scale:12.1f}"
            f"   {value['legacy'] / value['migrated']:.3f}"
        )
        if bench.BASE:
            base = value["migrated-base"]
            line += f"   {base * scale:12.1f}   {value['legacy'] / base:.3f}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
