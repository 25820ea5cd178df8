"""The real front's CPU per legacy request under wrk (saturated, as bench.py measures it) at
BENCH_BASE and in this tree, per thread, with what garbage collection cost in it.

    BENCH_BASE=2bdf100 bash bench/proxy_overhead/run.sh saturated-cost [APP [METHOD]]

Both fronts run side by side (`strangler serve` of each tree, as server_cost.py starts them) and
wrk loads each in turn, BENCH_RUNS times (default 10) for BENCH_SECONDS (default 2), alternating
which goes first. For each run: CPU microseconds per request of the event loop's thread and of
the other threads (from /proc), and the microseconds the garbage collector spent per request (a
gc.callbacks hook started in each server). It prints the minimum, first quartile and median of
each: under wrk, what a request costs depends on how the threads hand the GIL over, and other
work on the machine moves it by 10 % and more, so read many short runs, not one long one.
SATURATED_NICE=-20 runs the servers and wrk at that priority (root only): on a shared machine it
keeps most of the other work off the cores while they run.

Why the collector: a front that keeps finished requests' objects a little longer (a queue of
deadlines, a watch over waiting requests) makes them outlive the young collections, and every
older collection then scans them. Bytecode and instruction counts do not see it; CPU under load
does (see docs/ops.md, Performance).
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

import server_cost  # noqa: E402

import bench  # noqa: E402
from tests.support.servers import free_port  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "10"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "2"))
NICE = os.environ.get("SATURATED_NICE", "")
# Started in each server before the front: counts the collector's thread CPU time per generation
# and writes it to $GC_STATS_OUT on SIGUSR1.
GC_HOOK = """
import gc, json, os, signal, time
_gc = {"count": [0, 0, 0], "seconds": [0.0, 0.0, 0.0], "started": 0.0}
def _gc_callback(phase, info):
    if phase == "start":
        _gc["started"] = time.thread_time()
    else:
        _gc["count"][info["generation"]] += 1
        _gc["seconds"][info["generation"]] += time.thread_time() - _gc["started"]
gc.callbacks.append(_gc_callback)
def _gc_dump(*_):
    with open(os.environ["GC_STATS_OUT"], "w") as out:
        json.dump(_gc, out)
signal.signal(signal.SIGUSR1, _gc_dump)
"""


def niced(argv: list[str]) -> list[str]:
    return ["nice", "-n", NICE, *argv] if NICE else argv


def start(tree: Path, app: bench.App, scratch: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    argv = bench.server_argv(app, "front-legacy-base", port)  # the tree's own proxy package
    argv[2] = GC_HOOK + argv[2]
    env = {
        **os.environ,
        **app.env,
        "PYTHONPATH": str(tree),
        "GC_STATS_OUT": str(scratch / f"gc-{tree.name}.json"),
    }
    log = open(scratch / f"{tree.name}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(niced(argv), cwd=tree, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    server_cost.wait_ready(url, proc, app.ready, 60)
    return proc, url


def collector(proc: subprocess.Popen[bytes], tree: Path, scratch: Path) -> list[float]:
    """Seconds the collector has spent so far in the server, by generation."""
    path = scratch / f"gc-{tree.name}.json"
    path.unlink(missing_ok=True)
    proc.send_signal(signal.SIGUSR1)
    for _ in range(100):
        if path.exists() and path.stat().st_size:
            seconds: list[float] = json.loads(path.read_text())["seconds"]
            return seconds
        time.sleep(0.05)
    raise RuntimeError(f"the server of {tree} did not report its collections")


def wrk(url: str, request: bench.Request) -> tuple[float, int]:
    script = bench.WORK / f"saturated-{request.method.lower()}.lua"
    body = request.body.replace("\\", "\\\\").replace('"', '\\"')
    script.write_text(
        f'wrk.method = "{request.method}"\nwrk.body = "{body}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
    )
    argv = ["wrk", "-t", "1", "-c", str(bench.CONNECTIONS), "-d", f"{SECONDS}s", "-s", str(script)]
    result = subprocess.run(
        niced([*argv, url + request.path]), capture_output=True, text=True, check=True
    )
    rate = float(result.stdout.split("Requests/sec:")[1].split()[0])
    total = int(result.stdout.split(" requests in ")[0].split()[-1])
    return rate, total


def measure(
    trees: dict[str, Path], app: bench.App, request: bench.Request, scratch: Path
) -> dict[str, list[dict[str, float]]]:
    servers = {name: start(tree, app, scratch) for name, tree in trees.items()}
    samples: dict[str, list[dict[str, float]]] = defaultdict(list)
    try:
        for _, url in servers.values():  # warm-up
            wrk(url, request)
        for run in range(RUNS):
            for name in list(servers)[:: 1 if run % 2 == 0 else -1]:
                proc, url = servers[name]
                cpu_before = server_cost.thread_cpu(proc.pid)
                gc_before = collector(proc, trees[name], scratch)
                rate, total = wrk(url, request)
                cpu_after = server_cost.thread_cpu(proc.pid)
                gc_after = collector(proc, trees[name], scratch)
                row = {
                    role: (cpu_after[role] - cpu_before.get(role, 0.0)) / total * 1e6
                    for role in ("loop", "threads")
                }
                row["server"] = row["loop"] + row["threads"]
                row["gc"] = (sum(gc_after) - sum(gc_before)) / total * 1e6
                row["req/s"] = rate
                samples[name].append(row)
    finally:
        for proc, _ in servers.values():
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
    return samples


def main() -> int:
    if not bench.BASE:
        raise SystemExit("set BENCH_BASE to the commit to compare with (e.g. BENCH_BASE=2bdf100)")
    wanted = sys.argv[1:] or ["django", "POST"]
    apps = {app.name.split("_")[0]: app for app in bench.prepare()}
    app = apps[wanted[0]]
    request = app.post if len(wanted) > 1 and wanted[1] == "POST" else app.get
    bench.checkout_base()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            trees = {"base": bench.BASE_TREE, "now": bench.ROOT}
            samples = measure(trees, app, request, Path(scratch))
    finally:
        bench.remove_base()
    print(
        f"\n== {app.name} {request.method} {request.path} under wrk ({bench.CONNECTIONS}"
        f" connections, {RUNS} runs of {SECONDS}s each; base: {bench.BASE}, now: {bench.ROOT})"
    )
    print("   us of CPU per request (loop: the event loop's thread; gc: the collector, in both)")
    print("   min / first quartile / median")
    for key in ("server", "loop", "threads", "gc", "req/s"):
        cells = []
        for name in ("base", "now"):
            values = sorted(row[key] for row in samples[name])
            quartile = values[len(values) // 4]
            cells.append(
                f"{name} {values[0]:8.1f} {quartile:8.1f} {statistics.median(values):8.1f}"
            )
        print(f"  {key:8} " + "   ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
