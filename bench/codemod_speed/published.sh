#!/usr/bin/env bash
# `strangler codemod` on published apps (flask-monitoringdashboard, django-spirit), each run a
# fresh process in the app's own venv (built into the corpus cache on first use), against a bare
# libcst parse+render of the same files in the same venv: CPU and wall time, --no-verify and
# verified (the warm child's CPU counted), medians of interleaved runs.
# Usage: bash bench/codemod_speed/published.sh [runs]   (default 3; a few minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."
exec .venv/bin/python -m bench.codemod_speed.published "${1:-3}"
