#!/usr/bin/env bash
# Instructions the front's process spends per mirrored request (bench/shadow_cost/loop_cost.py:
# the shadow's loop work to the real child, and the legacy stand-in's own) under callgrind:
# repeatable on a shared machine, where CPU time is not. Runs with N and 2N requests; the
# difference over N is one request's, start-up and warm-up excluded. User-space instructions
# only: the system calls' kernel work (the pipe's writes and reads, the loop's wake-ups) is not
# counted. Run it from another version's checkout (with this file and loop_cost.py copied in)
# for a before/after.
#   bash bench/shadow_cost/mirror_instructions.sh   (BENCH_REQUESTS=300)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
N="${BENCH_REQUESTS:-300}"
PY="${VENV_BIN:-$ROOT/.venv/bin}/python"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
instructions() {  # REQUESTS
    BENCH_REQUESTS="$1" valgrind --tool=callgrind --callgrind-out-file="$OUT/$1" \
        "$PY" -m bench.shadow_cost.loop_cost >/dev/null 2>&1
    awk '/^summary:/ {print $2}' "$OUT/$1"
}
"$PY" -m compileall -q proxy bench >/dev/null  # a run that writes .pyc files counts compiling
small=$(instructions "$N")
large=$(instructions $((2 * N)))
echo "$(( (large - small) / N )) instructions per mirrored request (and one legacy stand-in request)"
