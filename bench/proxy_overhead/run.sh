#!/usr/bin/env bash
# One command: the strangler front's overhead against the legacy app's usual server and against
# FastAPI alone, for both example apps, then the front's own CPU per request in-process
# (front_cost.py). Installs wrk (apt-get) when it is missing.
# Pinned servers use taskset (util-linux).
#   bash bench/proxy_overhead/run.sh            (BENCH_RUNS=5 BENCH_SECONDS=4 BENCH_CONNECTIONS=32)
#   BENCH_BASE=<git ref> bash bench/proxy_overhead/run.sh side-by-side
#       only the front's cost per legacy request at that commit and now, in-process, one run
#       (side_by_side.py; BENCH_CALLGRIND=1 counts instructions under valgrind)
#   bash bench/proxy_overhead/run.sh migrated-side-by-side
#       flask_shop's migrated routes against the same routes on legacy, both through the front,
#       in-process, one run (migrated_cost.py; BENCH_CALLGRIND=1, BENCH_BASE=<git ref> too)
#   BENCH_BASE=<git ref> bash bench/proxy_overhead/run.sh server-cost [flask|django] [GET|POST]
#       the real server's (strangler serve) cost per legacy request at that commit and now, per
#       thread, a fixed number of requests each (server_cost.py; BENCH_CALLGRIND=1 as above)
#   BENCH_BASE=<git ref> bash bench/proxy_overhead/run.sh saturated-cost [flask|django] [GET|POST]
#       the same under wrk (saturated), per thread, with the garbage collector's share, many
#       short runs (saturated_cost.py; SATURATED_NICE=-20 keeps other work off the cores)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ "${1:-}" == "migrated-side-by-side" ]]; then
    shift
    cd "$ROOT"
    exec "${VENV_BIN:-$ROOT/.venv/bin}/python" bench/proxy_overhead/migrated_cost.py "$@"
fi
if [[ "${1:-}" == "side-by-side" ]]; then
    shift
    cd "$ROOT"
    exec "${VENV_BIN:-$ROOT/.venv/bin}/python" bench/proxy_overhead/side_by_side.py "$@"
fi
if [[ "${1:-}" == "saturated-cost" ]]; then
    shift
    cd "$ROOT"
    exec "${VENV_BIN:-$ROOT/.venv/bin}/python" bench/proxy_overhead/saturated_cost.py "$@"
fi
if [[ "${1:-}" == "server-cost" ]]; then
    shift
    cd "$ROOT"
    exec "${VENV_BIN:-$ROOT/.venv/bin}/python" bench/proxy_overhead/server_cost.py "$@"
fi
if ! command -v wrk >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]]; then
        (apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; })
    else
        echo "wrk is not installed (apt-get install wrk)" >&2
        exit 1
    fi
fi
cd "$ROOT"
PYTHON="${VENV_BIN:-$ROOT/.venv/bin}/python"
"$PYTHON" bench/proxy_overhead/bench.py "$@"
exec "$PYTHON" bench/proxy_overhead/front_cost.py
