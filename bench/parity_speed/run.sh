#!/usr/bin/env bash
# Cases per second: strangler parity vs schemathesis sending the same cases to the migrated app
# alone. Target: parity costs at most 2.5x (it sends each case three times, restores the database
# and diffs). Usage: bash bench/parity_speed/run.sh [max_examples]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec .venv/bin/python -m bench.parity_speed.bench "${1:-25}"
