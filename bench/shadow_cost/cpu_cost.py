"""CPU per request of the route in `legacy` and in `shadow`, at one fixed rate, from /proc (see
cpu.py): a figure for decisions on a shared machine, where latencies move with the other jobs'
load much more than CPU time does. Both fronts as bench.py starts them; BENCH_ROUNDS turns of
BENCH_SECONDS per mode at BENCH_RATE req/s; prints each turn and the medians.

    .venv/bin/python -m bench.shadow_cost.cpu_cost
    (BENCH_RATE=300 BENCH_ROUNDS=4 BENCH_SECONDS=5 BENCH_SHADOW_CONFIG='budget = 0.1'
     BENCH_BEFORE=DIR: a third front with another version's code, as in bench.py)
"""

from __future__ import annotations

import os
import statistics
import sys
from contextlib import ExitStack
from pathlib import Path

from bench.shadow_cost.bench import (
    BEFORE,
    CONNECTIONS,
    CORES,
    PATH,
    ROOT,
    SHOP_ENV,
    cpu_text,
    front_config,
    median_cpu,
    per_request,
    seed,
    shadow_figures,
)  # fmt: skip
from bench.shadow_cost.cpu import FrontCpu, front_cpu, listening_pid
from bench.shadow_cost.fixed_rate import closed_loop, fixed_rate
from tests.support.servers import free_port, running_server, venv_command

RATE = float(os.environ.get("BENCH_RATE", "300"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "4"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))


def main() -> int:
    seed()
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
    modes = ["legacy", "shadow", *(["before"] if BEFORE else [])]
    ports = {mode: free_port() for mode in modes}
    cpu: dict[str, list[FrontCpu]] = {mode: [] for mode in modes}
    p50: dict[str, list[float]] = {mode: [] for mode in modes}
    load_before = os.getloadavg()
    with ExitStack() as stack:
        for mode, port in ports.items():
            command = [venv_command("strangler"), "serve", "--config", str(front_config(mode)),
                       "--port", str(port)]  # fmt: skip
            env, cwd = SHOP_ENV, ROOT
            if mode == "before":
                env, cwd = {**SHOP_ENV, "PYTHONPATH": BEFORE}, Path(BEFORE)
            stack.enter_context(running_server(command, port, env=env, ready_path=PATH, cwd=cwd))
        pids = {mode: listening_pid(port) for mode, port in ports.items()}
        if len(CORES) > 1:
            os.sched_setaffinity(0, CORES[:-1])
        for port in ports.values():
            closed_loop("127.0.0.1", port, PATH, seconds=2, connections=CONNECTIONS)
        before = {mode: shadow_figures(ports[mode]) for mode in modes[1:]}
        for round_number in range(ROUNDS):
            turn = round_number % len(modes)
            for mode in modes[turn:] + modes[:turn]:
                start = front_cpu(pids[mode])
                result = fixed_rate("127.0.0.1", ports[mode], PATH, rate=RATE, seconds=SECONDS,
                                    connections=CONNECTIONS)  # fmt: skip
                cpu[mode].append(per_request(front_cpu(pids[mode]) - start, len(result.latencies)))
                p50[mode].append(result.percentile(0.5) * 1000)
                print(f"  {round_number + 1} {mode:6s} p50 {p50[mode][-1]:7.2f} ms  "
                      f"{cpu_text(cpu[mode][-1])}", flush=True)  # fmt: skip
        after = {mode: shadow_figures(ports[mode]) for mode in modes[1:]}
    for mode in modes:
        print(f"median {mode}: {cpu_text(median_cpu(cpu[mode]))}, p50 "
              f"{statistics.median(p50[mode]):.2f} ms")  # fmt: skip
    for mode in modes[1:]:
        extra = median_cpu(cpu[mode]).front - median_cpu(cpu["legacy"]).front
        print(f"{mode}'s extra front CPU per request: {extra:.3f} ms at {RATE:g} req/s")
        delta = {key: after[mode].get(key, 0.0) - before[mode].get(key, 0.0) for key in after[mode]}
        print(f"{mode}: " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(delta.items()) if v))
    print(f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
