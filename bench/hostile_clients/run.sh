#!/usr/bin/env bash
# One command: a normal client's success rate and p99 through the front, alone and next to 300
# slowloris connections and as many slow uploads as the legacy pool has slots (bench.py).
# Loopback only, about 25 s. Installs wrk (apt-get) when it is missing.
#   bash bench/hostile_clients/run.sh   (BENCH_ROUNDS=2 BENCH_SECONDS=3 BENCH_SLOWLORIS=300)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if ! command -v wrk >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]]; then
        (apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; })
    else
        echo "wrk is not installed (apt-get install wrk)" >&2
        exit 1
    fi
fi
ulimit -n 4096 2>/dev/null || true  # 300 slowloris connections and their server side
cd "$ROOT"
exec "${VENV_BIN:-$ROOT/.venv/bin}/python" bench/hostile_clients/bench.py "$@"
