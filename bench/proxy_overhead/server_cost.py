"""The real front's cost per legacy request at BENCH_BASE and in this tree: `strangler serve` on
a real socket, as bench.py starts it, sent a fixed number of identical keep-alive requests by
fixed_client.py (32 connections, as wrk). What wire_cost.py leaves out is counted here: sockets,
the legacy threads' scheduling, the server's timers and background threads.

    BENCH_BASE=2bdf100 bash bench/proxy_overhead/run.sh server-cost [APP [METHOD]]
    BENCH_BASE=2bdf100 BENCH_CALLGRIND=1 bash bench/proxy_overhead/run.sh server-cost django POST

APP is flask or django (bench.py's requests); default: every app and method. Without
BENCH_CALLGRIND, the server's CPU seconds per request (from /proc, per thread: the event loop's
thread, the legacy threads); with it, instructions per request under valgrind's callgrind
(counted from after a warm-up to the end of the measured requests; valgrind runs one thread at a
time, so the legacy threads are never truly parallel there). SERVER_COST_REQUESTS (default 2000;
640 under callgrind) requests are measured after SERVER_COST_WARMUP (default 300) in each tree,
alternating which tree goes first. After them, the server's cost with no request at all is
measured over SERVER_COST_IDLE seconds and, at that rate over the time the requests took, shown
as "idle" and left out of "server less idle": under callgrind a request takes some 50 times
longer, so the once-a-second work of a front (its store watcher, its cutover loop) would weigh 50
times more per request than it does at full speed. SERVER_COST_BASE_TREE=<path> uses a checkout
of BENCH_BASE that is already there; SERVER_COST_KEEP=<dir> keeps the callgrind dumps.
base/now above 1: the server costs less per request now.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import bench  # noqa: E402
from tests.support.servers import free_port  # noqa: E402

CALLGRIND = os.environ.get("BENCH_CALLGRIND", "") not in ("", "0")
REQUESTS = int(os.environ.get("SERVER_COST_REQUESTS", "640" if CALLGRIND else "2000"))
WARMUP = int(os.environ.get("SERVER_COST_WARMUP", "300"))
RUNS = int(os.environ.get("BENCH_RUNS", "1" if CALLGRIND else "3"))
CONNECTIONS = bench.CONNECTIONS
IDLE = float(os.environ.get("SERVER_COST_IDLE", "20" if CALLGRIND else "10"))
KEEP = os.environ.get("SERVER_COST_KEEP", "")  # a directory: keep the callgrind dumps there


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds of the threads of `pid` (schedstat: nanoseconds), by role: 'loop' (the main
    thread, the event loop's) and 'threads' (the legacy threads and any other)."""
    found: dict[str, float] = defaultdict(float)
    for entry in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{entry}/schedstat") as stat:
                nanoseconds = int(stat.read().split()[0])
        except OSError:  # gone meanwhile
            continue
        found["loop" if int(entry) == pid else "threads"] += nanoseconds / 1e9
    return found


def send(url: str, request: bench.Request, count: int) -> dict[str, int]:
    result = subprocess.run(
        [sys.executable, str(HERE / "fixed_client.py"), url, request.method, request.path,
         request.body, str(count), str(CONNECTIONS)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    statuses: dict[str, int] = json.loads(result.stdout)["statuses"]
    return statuses


def wait_ready(url: str, proc: subprocess.Popen[bytes], path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            httpx.get(url + path, timeout=5.0)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer") from None
            time.sleep(0.5)


def callgrind_totals(directory: Path, part: int) -> dict[str, float]:
    """Instructions in dump number `part`, by role (as thread_cpu's)."""
    totals: dict[str, float] = defaultdict(float)
    for dump in directory.glob(f"cg.*.{part}-*"):
        text = dump.read_text()
        summary = re.search(r"^(?:summary|totals): (\d+)", text, re.MULTILINE)
        thread = re.search(r"^thread: (\d+)", text, re.MULTILINE)
        if summary is None:
            continue
        role = "loop" if thread is not None and thread[1] == "1" else "threads"
        totals[role] += int(summary[1])
    return totals


class Meter:
    """What the server spends, by role, while something happens: instructions (callgrind's
    zero and dump requests) or CPU seconds (/proc)."""

    def __init__(self, proc: subprocess.Popen[bytes], scratch: Path) -> None:
        self.proc = proc
        self.scratch = scratch
        self.dumps = 0

    def start(self) -> None:
        if CALLGRIND:
            self.control("-z")
        else:
            self.before = thread_cpu(self.proc.pid)

    def stop(self) -> dict[str, float]:
        if CALLGRIND:
            self.control("-d")
            self.dumps += 1
            return callgrind_totals(self.scratch, self.dumps)
        after = thread_cpu(self.proc.pid)
        return {role: after[role] - self.before.get(role, 0.0) for role in after}

    def control(self, option: str) -> None:
        command = ["callgrind_control", option, str(self.proc.pid)]
        subprocess.run(command, check=True, capture_output=True)


def measure(tree: Path, app: bench.App, request: bench.Request) -> dict[str, Any]:
    """Per request: the whole server and each role, CPU seconds or instructions; "idle": what
    the server spends meanwhile with no request at all (its timers and background threads, at
    the rate measured over IDLE seconds afterwards), which "server less idle" leaves out."""
    port = free_port()
    argv = bench.server_argv(app, "front-legacy-base", port)  # the tree's own proxy package
    env = {**os.environ, **app.env, "PYTHONPATH": str(tree)}
    with tempfile.TemporaryDirectory() as scratch:
        if KEEP:
            scratch = str(Path(KEEP) / f"{tree.name}-{request.method}-{int(time.time())}")
            os.makedirs(scratch)
        if CALLGRIND:
            argv = [
                "valgrind", "--tool=callgrind", "--separate-threads=yes", "--dump-instr=no",
                f"--callgrind-out-file={scratch}/cg.%p", *argv,
            ]  # fmt: skip
        log = open(Path(scratch) / "server.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(argv, cwd=tree, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        meter = Meter(proc, Path(scratch))
        try:
            wait_ready(url, proc, app.ready, 900 if CALLGRIND else 60)
            send(url, request, WARMUP)
            meter.start()
            began = time.monotonic()
            statuses = send(url, request, REQUESTS)
            elapsed = time.monotonic() - began
            totals = meter.stop()
            meter.start()
            time.sleep(IDLE)
            idle = meter.stop()
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()
    per_request: dict[str, Any] = {role: value / REQUESTS for role, value in totals.items()}
    per_request["server"] = sum(totals.values()) / REQUESTS
    per_request["idle"] = sum(idle.values()) / IDLE * elapsed / REQUESTS
    per_request["server less idle"] = per_request["server"] - per_request["idle"]
    per_request["statuses"] = statuses
    return per_request


def main() -> int:
    if not bench.BASE:
        raise SystemExit("set BENCH_BASE to the commit to compare with (e.g. BENCH_BASE=2bdf100)")
    wanted = sys.argv[1:]
    apps = {app.name.split("_")[0]: app for app in bench.prepare()}
    cases = [
        (short, app, request)
        for short, app in apps.items()
        for request in (app.get, app.post)
        if not wanted or (short in wanted and (request.method in wanted or len(wanted) == 1))
    ]
    base_tree = Path(os.environ.get("SERVER_COST_BASE_TREE", bench.BASE_TREE))
    if "SERVER_COST_BASE_TREE" not in os.environ:  # else a checkout of BENCH_BASE already
        bench.checkout_base()
    trees = {"base": base_tree, "now": ROOT}
    results: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    try:
        for run in range(RUNS):
            for index, (short, app, request) in enumerate(cases):
                order = ("base", "now") if (run + index) % 2 == 0 else ("now", "base")
                for which in order:
                    results[(f"{short} {request.method}", which)].append(
                        measure(trees[which], app, request)
                    )
    finally:
        if "SERVER_COST_BASE_TREE" not in os.environ:
            bench.remove_base()
    unit, scale = ("instructions", 1.0) if CALLGRIND else ("us of CPU", 1e6)
    print(f"\n== the real front's cost per legacy request ({REQUESTS} requests, {CONNECTIONS}"
          f" connections; {unit} per request, app included; median of {RUNS})")  # fmt: skip
    print(f"   base: {bench.BASE}   now: {ROOT}")
    for short, _, request in cases:
        name = f"{short} {request.method}"
        for role in ("server", "loop", "threads", "idle", "server less idle"):
            base = sorted(r.get(role, 0.0) for r in results[(name, "base")])[RUNS // 2]
            now = sorted(r.get(role, 0.0) for r in results[(name, "now")])[RUNS // 2]
            ratio = base / now if now else float("nan")
            print(f"  {name:12} {role:16} base {base * scale:12.1f}  now {now * scale:12.1f}"
                  f"   base/now {ratio:.3f}")  # fmt: skip
        print(f"  {name:12} statuses base {results[(name, 'base')][0]['statuses']}"
              f" now {results[(name, 'now')][0]['statuses']}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
