#!/usr/bin/env bash
# Propagation lag of the state store: how long after a change is written every other process's
# watcher applies it, for the SQLite file and for Redis (at $STRANGLER_BENCH_REDIS_URL, default
# redis://127.0.0.1:6379/15), changes to the two interleaved. Target: at most 1 s.
# Usage: bash bench/store_propagation/run.sh [changes per backend] [follower processes]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec .venv/bin/python -m bench.store_propagation.bench "${1:-20}" "${2:-4}"
