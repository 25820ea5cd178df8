#!/usr/bin/env bash
# `make demo`: seed a SQLite database under .strangler/ and serve the flask_shop example THROUGH
# the strangler front on HOST:PORT (strangler.toml: the JSON API migrated to FastAPI by the codemod,
# in `new` mode; everything else answered by the legacy Flask app).
set -euo pipefail

HOST="${1:-127.0.0.1}"
PORT="${2:-8000}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV_BIN="${VENV_BIN:-$ROOT/.venv/bin}"
STATE="$ROOT/.strangler"

mkdir -p "$STATE/uploads"
if [[ ! -s "$STATE/secret_key" ]]; then
    "$VENV_BIN/python" -c 'import secrets; print(secrets.token_urlsafe(32))' > "$STATE/secret_key"
fi

export DATABASE_URL="${DATABASE_URL:-sqlite:///$STATE/flask_shop.db}"
export UPLOAD_FOLDER="$STATE/uploads"
export SECRET_KEY="${SECRET_KEY:-$(cat "$STATE/secret_key")}"

cd "$ROOT"
"$VENV_BIN/flask" --app legacy_examples.flask_shop.wsgi seed

# Two admin tokens made for this demo run only: the config gets their SHA-256 through the
# environment ([[admin.tokens]] as STRANGLER_ADMIN__TOKENS); the tokens themselves are printed
# below, the one exception to printing no credentials.
make_token() {  # ROLE NAME -> "token sha256"
    "$VENV_BIN/strangler" admin token --role "$1" --name "$2" --json \
        | "$VENV_BIN/python" -c 'import json, sys; t = json.load(sys.stdin); print(t["token"], t["sha256"])'
}
read -r VIEWER_TOKEN VIEWER_SHA256 < <(make_token viewer demo-viewer)
read -r OPERATOR_TOKEN OPERATOR_SHA256 < <(make_token operator demo-operator)
if [[ -z "${VIEWER_SHA256:-}" || -z "${OPERATOR_SHA256:-}" ]]; then
    echo "demo: could not make the admin tokens (strangler admin token failed)" >&2
    exit 1
fi
export STRANGLER_ADMIN__TOKENS="[{\"name\": \"demo-viewer\", \"role\": \"viewer\", \"sha256\": \"$VIEWER_SHA256\"}, {\"name\": \"demo-operator\", \"role\": \"operator\", \"sha256\": \"$OPERATOR_SHA256\"}]"

cat <<MESSAGE

flask_shop is starting at http://$HOST:$PORT/ behind the strangler front
  shop:  http://$HOST:$PORT/            API: http://$HOST:$PORT/api/products
  migrated (answered by FastAPI, migrated/flask_shop): every /api route, e.g. http://$HOST:$PORT/api/products/1
  front: http://$HOST:$PORT/healthz  http://$HOST:$PORT/readyz  http://$HOST:$PORT/metrics
  routes: $VENV_BIN/strangler routes --config strangler.toml
  dashboard: http://$HOST:$PORT/_strangler/   (admin API: http://$HOST:$PORT/_strangler/api/routes)
    viewer token (reads):              $VIEWER_TOKEN
    operator token (flips, rollbacks): $OPERATOR_TOKEN
    made for this run only; the cutover runbook: docs/runbook.md
  admin: admin@example.com / admin-password
  user:  alice@example.com / alice-password
Press Ctrl+C to stop.

MESSAGE

exec "$VENV_BIN/strangler" serve --config "${STRANGLER_CONFIG:-$ROOT/strangler.toml}" \
    --host "$HOST" --port "$PORT"
