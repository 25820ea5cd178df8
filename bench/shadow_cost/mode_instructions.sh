#!/usr/bin/env bash
# Instructions per request of the mode path (bench/shadow_cost/mode_path.py) under callgrind:
# repeatable on a shared machine, where CPU time is not. Each mode runs twice, with N and 2N
# requests; the difference over N is one request's instructions, start-up excluded.
#   bash bench/shadow_cost/mode_instructions.sh   (BENCH_REQUESTS=7000 BENCH_MODES="legacy shadow")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
N="${BENCH_REQUESTS:-7000}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
instructions() {  # MODE REQUESTS
    BENCH_MODES="$1" BENCH_REQUESTS="$2" valgrind --tool=callgrind --callgrind-out-file="$OUT/$1.$2" \
        "${VENV_BIN:-$ROOT/.venv/bin}/python" -m bench.shadow_cost.mode_path >/dev/null 2>&1
    awk '/^summary:/ {print $2}' "$OUT/$1.$2"
}
# compiled first: a first run that writes .pyc files would count their compiling
"${VENV_BIN:-$ROOT/.venv/bin}/python" -m compileall -q proxy bench >/dev/null
for mode in ${BENCH_MODES:-legacy shadow}; do
    small=$(instructions "$mode" "$N")
    large=$(instructions "$mode" $((2 * N)))
    echo "$mode: $(( (large - small) / N )) instructions per request"
done
