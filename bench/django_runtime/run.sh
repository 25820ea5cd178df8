#!/usr/bin/env bash
# What the Django runtime costs a FastAPI request, in-process, as ratios measured side by side:
# a route using no Django, the same route asking for the (anonymous, then logged-in) user, and
# Django itself answering its own /api/me/ for the same session. Usage:
#   bash bench/django_runtime/run.sh [requests_per_round]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec .venv/bin/python -m bench.django_runtime.bench "${1:-200}"
