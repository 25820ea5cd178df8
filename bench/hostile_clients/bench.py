"""A normal client's success rate and p99 latency through the front, with and without hostile
clients (see run.sh). One front process (`strangler serve`), one wrk client at BENCH_CONNECTIONS
connections on a legacy route, phases interleaved BENCH_ROUNDS times, medians printed:

- alone;
- with BENCH_SLOWLORIS slowloris connections (hostile.py);
- with those and as many slow uploads as the legacy pool has slots (`threads + max_pending`).

Target: success 100 % and p99 within 1.5x of the client alone.
"""

from __future__ import annotations

import os
import re
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.servers import (  # noqa: E402
    free_port,
    running_server,
    strangler_serve_command,
)

WORK = ROOT / "bench" / ".work" / "hostile_clients"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
SLOWLORIS = int(os.environ.get("BENCH_SLOWLORIS", "300"))
THREADS, MAX_PENDING = 4, 16  # the legacy pool: THREADS + MAX_PENDING slow uploads fill it
WARM_UP = 1.0  # seconds for the hostile clients to connect and take their slots

CONFIG = f"""
[legacy]
app = "tests.unit.proxy.apps:flask_app"
threads = {THREADS}
max_pending = {MAX_PENDING}

[observability]
access_log = false
"""

PHASES = {
    "alone": (0, 0),
    f"{SLOWLORIS} slowloris": (SLOWLORIS, 0),
    f"{SLOWLORIS} slowloris + {THREADS + MAX_PENDING} slow uploads": (
        SLOWLORIS,
        THREADS + MAX_PENDING,
    ),
}


@dataclass(frozen=True)
class Run:
    success: float  # percent of the requests answered 2xx/3xx
    p99_ms: float
    requests: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str) -> Run:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "--timeout", "5s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    failed = int(bad.group(1)) if bad else 0
    lost = sum(int(n) for n in errors.groups()) if errors else 0
    total = requests + lost
    return Run(
        success=100.0 * (requests - failed) / total if total else 0.0,
        p99_ms=float(p99.group(1)) * _UNITS[p99.group(2)] if p99 else float("nan"),
        requests=requests,
    )


def with_hostile_clients(url: str, port: int, loris: int, uploads: int) -> Run:
    if not loris and not uploads:
        return wrk(url)
    hostile = subprocess.Popen(
        [
            sys.executable,
            str(Path(__file__).with_name("hostile.py")),
            "127.0.0.1",
            str(port),
            str(loris),
            str(uploads),
        ]
    )
    try:
        time.sleep(WARM_UP)
        return wrk(url)
    finally:
        hostile.send_signal(signal.SIGTERM)
        try:
            hostile.wait(timeout=5)
        except subprocess.TimeoutExpired:
            hostile.kill()
            hostile.wait()


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    config = WORK / "strangler.toml"
    config.write_text(CONFIG)
    port = free_port()
    started = time.monotonic()
    results: dict[str, list[Run]] = {name: [] for name in PHASES}
    with running_server(strangler_serve_command(config, port), port, ready_path="/healthz") as url:
        for _ in range(ROUNDS):
            for name, (loris, uploads) in PHASES.items():
                results[name].append(with_hostile_clients(url + "/", port, loris, uploads))
                time.sleep(0.5)
    alone = statistics.median(run.p99_ms for run in results["alone"])
    print(
        f"\nnormal client: wrk {CONNECTIONS} connections on GET / (legacy), medians of {ROUNDS}"
        f" interleaved {SECONDS} s runs ({time.monotonic() - started:.0f} s in all)\n"
    )
    print(f"{'hostile clients':<45} {'success':>9} {'p99':>10} {'p99 ÷ alone':>12} {'req':>8}")
    for name, runs in results.items():
        success = statistics.median(run.success for run in runs)
        p99 = statistics.median(run.p99_ms for run in runs)
        requests = int(statistics.median(run.requests for run in runs))
        print(f"{name:<45} {success:>8.2f}% {p99:>8.1f}ms {p99 / alone:>11.2f}x {requests:>8}")
    print("\ntarget: success 100 % and p99 within 1.5x of the client alone")


if __name__ == "__main__":
    main()
