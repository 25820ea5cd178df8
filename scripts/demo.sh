#!/usr/bin/env bash
# `make demo`: seed a SQLite database under .strangler/ and serve the flask_shop example with
# gunicorn on HOST:PORT (until the strangler front exists, the legacy app alone).
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

cat <<MESSAGE

flask_shop is starting at http://$HOST:$PORT/
  shop:  http://$HOST:$PORT/            API: http://$HOST:$PORT/api/products
  admin: admin@example.com / admin-password
  user:  alice@example.com / alice-password
Press Ctrl+C to stop.

MESSAGE

exec "$VENV_BIN/gunicorn" --worker-class gthread --workers 2 --threads 4 \
    --bind "$HOST:$PORT" --access-logfile - legacy_examples.flask_shop.wsgi:app
