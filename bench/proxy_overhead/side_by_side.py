"""The front's cost per legacy request at BENCH_BASE and in this tree, measured side by side in one
run with wire_cost.py (request bytes in, response bytes out, in-process): what a change does to
the front, hardly moved by other work on the machine.

    BENCH_BASE=2bdf100 bash bench/proxy_overhead/run.sh side-by-side
    BENCH_BASE=2bdf100 BENCH_CALLGRIND=1 bash bench/proxy_overhead/run.sh side-by-side

Cases: the front alone (a WSGI app returning 2 bytes) with GET and POST, and bench.py's requests
to the two example apps (flask GET/POST, django GET/POST); BENCH_CASES=front,flask,django picks.
Each case runs BENCH_RUNS times in each tree, alternating, in fresh processes (CPU time: the
median). BENCH_CALLGRIND=1 counts instructions under valgrind instead (deterministic but for the
order threads run in; about 50 times slower, so one run each): it needs valgrind and a C
compiler, to build the two-function library that tells callgrind which requests to count.
base/now above 1: the front costs less per request now.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # noqa: E402  (the base worktree and the example apps' databases)

WIRE_COST = Path(__file__).resolve().parent / "wire_cost.py"
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
CALLGRIND = os.environ.get("BENCH_CALLGRIND", "") not in ("", "0")
CASES = tuple(os.environ.get("BENCH_CASES", "front,flask,django").split(","))
CALLGRIND_HELPER = """#include <valgrind/callgrind.h>
void callgrind_zero(void) { CALLGRIND_ZERO_STATS; }
void callgrind_dump(void) { CALLGRIND_DUMP_STATS_AT("measured"); }
"""


@dataclass(frozen=True)
class Case:
    name: str
    app: str  # "-": wire_cost.py's own 2-byte app
    request: bench.Request
    env: dict[str, str]


def cases() -> list[Case]:
    found = []
    if "front" in CASES:
        found += [
            Case("front alone GET", "-", bench.Request("GET", "/x"), {}),
            Case("front alone POST", "-", bench.Request("POST", "/x", '{"title": ""}'), {}),
        ]
    apps = {app.name.split("_")[0]: app for app in bench.prepare()}
    for short in ("flask", "django"):
        if short in CASES:
            app = apps[short]
            for request in (app.get, app.post):
                found.append(Case(f"{short} {request.method}", app.wsgi, request, app.env))
    return found


def callgrind_library(work: Path) -> Path:
    if shutil.which("valgrind") is None or shutil.which("cc") is None:
        raise SystemExit("BENCH_CALLGRIND=1 needs valgrind and cc (apt-get install valgrind gcc)")
    source = work / "callgrind_control.c"
    library = work / "libcallgrind_control.so"
    source.write_text(CALLGRIND_HELPER)
    subprocess.run(
        ["cc", "-O2", "-shared", "-fPIC", "-o", str(library), str(source)],
        check=True,
        capture_output=True,
    )
    return library


def measure(tree: Path, case: Case, library: Path | None) -> float:
    """Seconds of CPU (or, under callgrind, instructions) per request of `case` in `tree`."""
    env = {**os.environ, **case.env, "PYTHONPATH": str(tree)}
    argv = [sys.executable, str(WIRE_COST), case.app, case.request.method, case.request.path]
    argv.append(case.request.body)
    if library is None:
        result = subprocess.run(argv, env=env, cwd=tree, capture_output=True, text=True)
        check(result, tree, case)
        report = json.loads(result.stdout)
        return float(report["cpu_per_request"])
    with tempfile.TemporaryDirectory() as scratch:
        env.update(
            WIRE_COST_CALLGRIND=str(library),
            WIRE_COST_ROUNDS="1",
            WIRE_COST_REQUESTS=os.environ.get("WIRE_COST_REQUESTS", "640"),
        )
        out = Path(scratch) / "callgrind.out"
        valgrind = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}.%p"]
        result = subprocess.run(
            [*valgrind, "--dump-instr=no", *argv],
            env=env,
            cwd=tree,
            capture_output=True,
            text=True,
        )
        check(result, tree, case)
        report = json.loads(result.stdout)
        dumps = list(Path(scratch).glob("callgrind.out.*.1"))
        if len(dumps) != 1:
            raise SystemExit(f"{case.name} in {tree}: no callgrind dump of the measured requests")
        summary = re.search(r"^summary: (\d+)", dumps[0].read_text(), re.MULTILINE)
        assert summary is not None
        return int(summary[1]) / int(report["requests"])


def check(result: subprocess.CompletedProcess[str], tree: Path, case: Case) -> None:
    if result.returncode != 0:
        raise SystemExit(f"{case.name} in {tree} failed:\n{result.stderr[-4000:]}")


def main() -> int:
    if not bench.BASE:
        raise SystemExit("set BENCH_BASE to the commit to compare with (e.g. BENCH_BASE=2bdf100)")
    bench.WORK.mkdir(parents=True, exist_ok=True)
    library = callgrind_library(bench.WORK) if CALLGRIND else None
    runs = 1 if CALLGRIND else RUNS
    found = cases()
    bench.checkout_base()
    try:
        trees = {"base": bench.BASE_TREE, "now": ROOT}
        samples: dict[tuple[str, str], list[float]] = {}
        for run in range(runs):
            for case in found:
                # alternate which tree goes first, so neither always follows the other
                order = ("base", "now") if (run + found.index(case)) % 2 == 0 else ("now", "base")
                for which in order:
                    value = measure(trees[which], case, library)
                    samples.setdefault((case.name, which), []).append(value)
    finally:
        bench.remove_base()
    unit, scale = ("instructions", 1.0) if CALLGRIND else ("us of CPU", 1e6)
    how = "callgrind, one run each" if CALLGRIND else f"median of {runs} alternated runs each"
    print(f"\n== the front's cost per legacy request, in-process (wire_cost.py; {how})")
    print(f"   base: {bench.BASE}   now: {ROOT}   ({unit} per request, app included)")
    print(f"  {'case':18} {'base':>12} {'now':>12}   base/now (not below 1)")
    for case in found:
        base = statistics.median(samples[(case.name, "base")])
        now = statistics.median(samples[(case.name, "now")])
        print(f"  {case.name:18} {base * scale:12.1f} {now * scale:12.1f}   {base / now:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
