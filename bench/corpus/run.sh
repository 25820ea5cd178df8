#!/usr/bin/env bash
# The codemods on published apps (tests/corpus): per app and in total, routes in the app's
# url_map (Django: the URL patterns its resolver serves), in the report, converted (verified),
# partial, manual, % converted (targets: 50 % converted, 100 % reported). The first run fetches
# the sdists and builds one venv per app into the corpus cache (see docs/developer.md).
# Usage: bash bench/corpus/run.sh [flask|django|all] [pytest options]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/../.."
corpora=(tests/corpus/test_flask_corpus.py tests/corpus/test_django_corpus.py)
case "${1:-all}" in
    flask) corpora=(tests/corpus/test_flask_corpus.py); shift ;;
    django) corpora=(tests/corpus/test_django_corpus.py); shift ;;
    all) [ $# -gt 0 ] && shift ;;
esac
exec .venv/bin/pytest -q -n 2 --dist loadgroup -m corpus "${corpora[@]}" "$@"
