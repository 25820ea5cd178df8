"""What shadow mode costs the client (see run.sh): the client-side p50 and p99 of one route with
the route in `shadow`, divided by the same with the route in `legacy`, at a fixed request rate
near 70 % of that route's legacy capacity, measured first in the same run.

- the app: flask_shop's `GET /api/categories` (legacy Flask, and its migrated FastAPI twin
  loaded in both fronts, so the two differ only in the route's mode);
- capacity: the legacy-mode front, closed loop, with wrk when installed (else the Python client
  below, which costs more CPU of its own);
- then BENCH_ROUNDS rounds, each the legacy front and the shadow front in turn for
  BENCH_SECONDS at BENCH_RATE_SHARE x capacity, from a wrk2-style fixed-rate client
  (fixed_rate.py: latency counted from each request's due time). On a shared machine the
  capacity moves with the other jobs' load, so it is measured again before each round
  (BENCH_RECAPACITY=0: once only);
- each front is one `strangler serve` worker pinned to the last core; the client runs on the
  other cores when there are any; before each measurement the bench waits until that core is
  quiet (under 10 % busy over half a second) and the fronts' children too (the shadow's child,
  on the client's cores, working off its queue), so that what one front still does after its
  turn is not counted against the other;
- printed: both modes' p50/p99 over all rounds pooled, the ratios pooled and the median of each
  round's ratios (steadier on a shared machine), each front's CPU per request (its event loop's
  thread, its legacy threads, the shadow's child; cpu.py: a figure the machine's other load moves
  less than latencies), what the shadow compared and dropped meanwhile (from the shadow front's
  /metrics), and the machine's load average before and after;
- BENCH_BEFORE=DIR (a checkout of another version, `git archive REV | tar -x -C DIR`) adds a
  third front, `before`, the route in shadow with that version's code, in the same rounds: a
  before/after from one run. BENCH_SHADOW_CONFIG='budget = 0' adds lines to the shadow front's
  `[shadow]` table (`;` between lines), and to the before front's unless BENCH_BEFORE_CONFIG
  says otherwise.

    BENCH_ROUNDS=5 BENCH_SECONDS=10 BENCH_RATE_SHARE=0.7 BENCH_CONNECTIONS=16 BENCH_RECAPACITY=1
    BENCH_BEFORE= BENCH_SHADOW_CONFIG=
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.shadow_cost.cpu import FrontCpu, front_cpu, listening_pid  # noqa: E402
from bench.shadow_cost.fixed_rate import Result, closed_loop, fixed_rate  # noqa: E402
from tests.support.servers import free_port, running_server, venv_command  # noqa: E402

WORK = ROOT / "bench" / ".work" / "shadow_cost"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
RATE_SHARE = float(os.environ.get("BENCH_RATE_SHARE", "0.7"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
CAPACITY_SECONDS = float(os.environ.get("BENCH_CAPACITY_SECONDS", "5"))
RECAPACITY = os.environ.get("BENCH_RECAPACITY", "1") != "0"
SHADOW_CONFIG = os.environ.get("BENCH_SHADOW_CONFIG", "")
"""More of the shadow front's `[shadow]` table, as TOML lines (`budget = 0.1`), to compare."""
BEFORE_CONFIG = os.environ.get("BENCH_BEFORE_CONFIG", SHADOW_CONFIG)
"""The before front's `[shadow]` lines, as SHADOW_CONFIG (by default the same)."""
BEFORE = os.environ.get("BENCH_BEFORE", "")
"""A checkout of another version (`git archive REV | tar -x -C DIR`): a third front, `before`,
serves the route in shadow with that code (on PYTHONPATH), measured in the same rounds."""
PATH = "/api/categories"
CORES = sorted(os.sched_getaffinity(0))
PIN_CORE = CORES[-1]
SHOP_ENV = {
    "DATABASE_URL": f"sqlite:///{WORK / 'shop.db'}",
    "UPLOAD_FOLDER": str(WORK / "uploads"),
    "SECRET_KEY": "bench",
}


def front_config(mode: str) -> Path:
    store = WORK / f"{mode}.state.db"
    for leftover in WORK.glob(f"{mode}.state.db*"):
        leftover.unlink()
    text = f"""
[legacy]
app = "legacy_examples.flask_shop.wsgi:app"
threads = 4

[migrated]
app = "migrated.flask_shop.wsgi:app"

[server]
cpu_affinity = [{PIN_CORE}]

[store]
url = "sqlite:///{store}"

[observability]
access_log = false

[[routes]]
path = "{PATH}"
methods = ["GET"]
mode = "{"shadow" if mode == "before" else mode}"
rollback = {{ enabled = false }}  # the bench measures the mode, whatever the shadow finds
"""
    extra = {"shadow": SHADOW_CONFIG, "before": BEFORE_CONFIG}.get(mode, "")
    if extra:
        text += "\n[shadow]\n" + extra.replace(";", "\n") + "\n"
    path = WORK / f"{mode}.toml"
    path.write_text(text)
    return path


def seed() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "shop.db").unlink(missing_ok=True)
    subprocess.run(
        [venv_command("flask"), "--app", "legacy_examples.flask_shop.wsgi", "seed"],
        env={**os.environ, **SHOP_ENV}, check=True, capture_output=True, cwd=ROOT,
    )  # fmt: skip


def core_busy(core: int, seconds: float = 0.5, fronts: Iterable[int] = ()) -> float:
    """The share of `seconds` that `core` spent on anything but idle (from /proc/stat), or, when
    more, the share of one core the `fronts`' children (the shadow's new side) spent meanwhile:
    they run on the other cores, the client's, and a child still working off its queue would
    take from the next measurement whichever mode it is."""

    def sample() -> tuple[int, int]:
        for line in Path("/proc/stat").read_text().splitlines():
            if line.startswith(f"cpu{core} "):
                ticks = [int(x) for x in line.split()[1:]]
                return sum(ticks), ticks[3] + ticks[4]  # all, idle + iowait
        raise LookupError(f"cpu{core} not in /proc/stat")

    def children() -> float:
        return sum(front_cpu(pid).children for pid in fronts)

    total, idle = sample()
    spent, started = children(), time.monotonic()
    time.sleep(seconds)
    total2, idle2 = sample()
    children_share = (children() - spent) / (time.monotonic() - started)
    return max(1 - (idle2 - idle) / max(total2 - total, 1), children_share)


def wait_for_quiet_core(
    core: int, *, fronts: Iterable[int] = (), below: float = 0.1, limit: float = 60.0
) -> float:
    """Wait until the fronts' core is quiet, and the fronts' children too: the shadow front's
    child works off its queue after a round at idle priority and would take from the next
    measurement."""
    started = time.monotonic()
    while core_busy(core, fronts=fronts) >= below and time.monotonic() - started < limit:
        pass
    return time.monotonic() - started


def wrk_capacity(port: int) -> float | None:
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    command = [wrk, "-t", "1", "-c", str(CONNECTIONS), "-d", f"{CAPACITY_SECONDS:g}s",
               f"http://127.0.0.1:{port}{PATH}"]  # fmt: skip
    if len(CORES) > 1:
        command = ["taskset", "--cpu-list", ",".join(map(str, CORES[:-1])), *command]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    return float(match[1]) if match else None


def capacity(port: int, *, warm: bool = True) -> tuple[float, str]:
    if warm:
        closed_loop("127.0.0.1", port, PATH, seconds=2, connections=CONNECTIONS)
    wait_for_quiet_core(PIN_CORE)
    found = wrk_capacity(port)
    if found is not None:
        return found, "wrk, closed loop"
    result = closed_loop("127.0.0.1", port, PATH, seconds=CAPACITY_SECONDS,
                         connections=CONNECTIONS)  # fmt: skip
    return result.rate, "the Python client, closed loop"


def shadow_figures(port: int) -> dict[str, float]:
    import httpx

    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    figures: dict[str, float] = {}
    for line in text.splitlines():
        for name in ("strangler_shadow_enqueued_total", "strangler_shadow_compared_total",
                     "strangler_shadow_dropped_total", "strangler_shadow_sent_total"):  # fmt: skip
            if line.startswith(name + "{"):
                label = line[len(name) :].split("}")[0] + "}"
                key = name.removeprefix("strangler_shadow_").removesuffix("_total")
                reason = re.search(r'(reason|result|outcome)="([^"]+)"', label)
                if reason:
                    key += f"[{reason[2]}]"
                figures[key] = figures.get(key, 0.0) + float(line.rsplit(" ", 1)[1])
    return figures


def per_request(spent: FrontCpu, requests: int) -> FrontCpu:
    """Milliseconds of CPU per request."""
    scale = 1000 / max(requests, 1)
    return FrontCpu(spent.loop * scale, spent.threads * scale, spent.children * scale)


def median_cpu(figures: list[FrontCpu]) -> FrontCpu:
    return FrontCpu(
        statistics.median(f.loop for f in figures),
        statistics.median(f.threads for f in figures),
        statistics.median(f.children for f in figures),
    )


def cpu_text(figure: FrontCpu) -> str:
    return (f"front {figure.front:.3f} (loop {figure.loop:.3f}, legacy threads "
            f"{figure.threads:.3f}) + shadow child {figure.children:.3f} ms CPU/req")  # fmt: skip


def merged(results: list[Result]) -> Result:
    total = Result()
    for result in results:
        total.latencies += result.latencies
        total.errors += result.errors
        total.seconds += result.seconds
        for status, count in result.statuses.items():
            total.statuses[status] = total.statuses.get(status, 0) + count
    return total


def ratio_lines(name: str, shadowed: list[Result], legacy_runs: list[Result]) -> list[str]:
    shadow, legacy = merged(shadowed), merged(legacy_runs)
    pairs = list(zip(shadowed, legacy_runs, strict=True))
    round_p50 = [s.percentile(0.5) / lg.percentile(0.5) for s, lg in pairs]
    round_p99 = [s.percentile(0.99) / lg.percentile(0.99) for s, lg in pairs]
    return [
        f"{name} / legacy, all rounds pooled: p50 "
        f"{shadow.percentile(0.5) / legacy.percentile(0.5):.2f}, p99 "
        f"{shadow.percentile(0.99) / legacy.percentile(0.99):.2f}",
        f"{name} / legacy, median of the rounds' ratios (each round's modes ran back to back): "
        f"p50 {statistics.median(round_p50):.2f}, p99 {statistics.median(round_p99):.2f} "
        f"(target p99 <= 1.1; rounds: {', '.join(f'{r:.2f}' for r in round_p99)})",
    ]


def mirrored_line(name: str, before: dict[str, float], after: dict[str, float]) -> str:
    delta = {key: after.get(key, 0.0) - before.get(key, 0.0) for key in after}
    shown = ", ".join(f"{key} {value:.0f}" for key, value in sorted(delta.items()) if value)
    return f"{name} during the rounds: {shown or 'nothing mirrored'}"


def main() -> int:
    seed()
    load_before = os.getloadavg()
    modes = ["legacy", "shadow", *(["before"] if BEFORE else [])]
    shadowed = modes[1:]
    ports = {mode: free_port() for mode in modes}
    # One process per front: its metrics in memory. An empty PROMETHEUS_MULTIPROC_DIR would not do
    # that: prometheus_client takes any value, "" too, for multiprocess mode and writes its files
    # into the working directory (the repository).
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    with ExitStack() as stack:
        for mode, port in ports.items():
            command = [venv_command("strangler"), "serve", "--config", str(front_config(mode)),
                       "--port", str(port)]  # fmt: skip
            env, cwd = SHOP_ENV, ROOT
            if mode == "before":  # its code first on the path, for the front and its child
                env, cwd = {**SHOP_ENV, "PYTHONPATH": BEFORE}, Path(BEFORE)
            stack.enter_context(running_server(command, port, env=env, ready_path=PATH, cwd=cwd))
        pids = {mode: listening_pid(port) for mode, port in ports.items()}
        if len(CORES) > 1:
            os.sched_setaffinity(0, CORES[:-1])  # the client keeps off the fronts' core
        legacy_capacity, how = capacity(ports["legacy"])
        rate = RATE_SHARE * legacy_capacity
        print(f"legacy capacity of GET {PATH}: {legacy_capacity:.0f} req/s ({how}, "
              f"{CONNECTIONS} connections, {CAPACITY_SECONDS:g}s)")  # fmt: skip
        print(f"fixed rate: {rate:.0f} req/s ({RATE_SHARE:.0%}), {ROUNDS} rounds x "
              f"{SECONDS:g}s per mode, {CONNECTIONS} connections")  # fmt: skip
        if BEFORE:
            print(f"before: the route in shadow with the code of {BEFORE}")
        for mode in shadowed:
            closed_loop("127.0.0.1", ports[mode], PATH, seconds=2, connections=CONNECTIONS)
        before = {mode: shadow_figures(ports[mode]) for mode in shadowed}
        runs: dict[str, list[Result]] = {mode: [] for mode in modes}
        cpu: dict[str, list[FrontCpu]] = {mode: [] for mode in modes}
        for round_number in range(ROUNDS):
            if RECAPACITY and round_number:  # the machine's load moved: 70 % of what it is now
                legacy_capacity, _ = capacity(ports["legacy"], warm=False)
                rate = RATE_SHARE * legacy_capacity
                print(f"  round {round_number + 1}: legacy capacity {legacy_capacity:.0f} req/s,"
                      f" rate {rate:.0f} req/s")  # fmt: skip
            turn = round_number % len(modes)  # each mode goes first in turn
            for mode in modes[turn:] + modes[:turn]:
                waited = wait_for_quiet_core(PIN_CORE, fronts=pids.values())
                cpu_before = front_cpu(pids[mode])
                result = fixed_rate("127.0.0.1", ports[mode], PATH, rate=rate, seconds=SECONDS,
                                    connections=CONNECTIONS)  # fmt: skip
                spent = front_cpu(pids[mode]) - cpu_before
                runs[mode].append(result)
                cpu[mode].append(per_request(spent, len(result.latencies)))
                print(f"  round {round_number + 1} {mode:6s} p50 "
                      f"{result.percentile(0.5) * 1000:7.2f} ms  p99 "
                      f"{result.percentile(0.99) * 1000:7.2f} ms  {result.rate:6.0f} req/s  "
                      f"errors {result.errors}  (quiet core after {waited:.1f}s)  "
                      f"{cpu_text(cpu[mode][-1])}")  # fmt: skip
        after = {mode: shadow_figures(ports[mode]) for mode in shadowed}
    load_after = os.getloadavg()
    print()
    print(f"{'mode':8s}{'requests':>10s}{'p50 ms':>10s}{'p99 ms':>10s}{'non-2xx':>9s}")
    for mode in modes:
        result = merged(runs[mode])
        bad = sum(n for status, n in result.statuses.items() if status >= 300) + result.errors
        print(f"{mode:8s}{len(result.latencies):>10d}{result.percentile(0.5) * 1000:>10.2f}"
              f"{result.percentile(0.99) * 1000:>10.2f}{bad:>9d}")  # fmt: skip
    for mode in shadowed:
        print("\n".join(ratio_lines(mode, runs[mode], runs["legacy"])))
    print(
        "CPU per request, median of the rounds (ms): "
        + "; ".join(f"{mode} {cpu_text(median_cpu(cpu[mode]))}" for mode in modes)
    )
    for mode in shadowed:
        print(mirrored_line(mode, before[mode], after[mode]))
    print(f"machine: {len(CORES)} core(s) for this run (the fronts on core {PIN_CORE}), "
          f"{os.cpu_count()} in all; load average (1, 5, 15 min) before "
          f"{', '.join(f'{x:.2f}' for x in load_before)}, after "
          f"{', '.join(f'{x:.2f}' for x in load_after)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
