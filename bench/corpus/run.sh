#!/usr/bin/env bash
# The codemods on published apps (tests/corpus): per app and in total, routes in the app's
# url_map, in the report, converted (verified), partial, manual, % converted (targets: 50 %
# converted, 100 % reported). The first run fetches the sdists and builds one venv per app into
# the corpus cache (see docs/developer.md). Usage: bash bench/corpus/run.sh [pytest options]
set -euo pipefail
cd "$(dirname "$0")/../.."
exec .venv/bin/pytest -q -n 2 --dist loadgroup -m corpus tests/corpus/test_flask_corpus.py "$@"
