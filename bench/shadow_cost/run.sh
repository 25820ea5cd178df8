#!/usr/bin/env bash
# One command: what shadow mode costs the client. In one run: the legacy capacity of flask_shop's
# GET /api/categories through the front, then that route in `shadow` and in `legacy` at a fixed
# rate near 70 % of it; prints p50/p99 of each, and shadow / legacy. Installs wrk (apt-get) for
# the capacity when it is missing and this runs as root; otherwise a Python client measures it.
#   bash bench/shadow_cost/run.sh   (BENCH_ROUNDS=5 BENCH_SECONDS=10 BENCH_RATE_SHARE=0.7
#                                    BENCH_CONNECTIONS=16 BENCH_CAPACITY_SECONDS=5 BENCH_RECAPACITY=1
#                                    BENCH_BEFORE=DIR BENCH_SHADOW_CONFIG='budget = 0')
# BENCH_BEFORE: a checkout of another version (git archive REV | tar -x -C DIR), measured as a
# third front in the same rounds. CPU per request, steadier on a shared machine:
#   .venv/bin/python -m bench.shadow_cost.cpu_cost; .venv/bin/python -m bench.shadow_cost.loop_cost;
#   bash bench/shadow_cost/mirror_instructions.sh (instructions per mirrored request, callgrind)
# Where the tail comes from inside the fronts (the loop's lag, collections, the shadow's steps):
#   .venv/bin/python -m bench.shadow_cost.tail_probe
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if ! command -v wrk >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
    (apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }) || true
fi
cd "$ROOT"
exec "${VENV_BIN:-$ROOT/.venv/bin}/python" -m bench.shadow_cost.bench "$@"
