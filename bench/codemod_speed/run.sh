#!/usr/bin/env bash
# Lines per second of `strangler codemod flask` and its ratio to a bare libcst parse+render of
# the same files (target: at most 3x). Usage: bash bench/codemod_speed/run.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec .venv/bin/python -m bench.codemod_speed.bench "${1:-5}"
