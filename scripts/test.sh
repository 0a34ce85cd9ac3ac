#!/usr/bin/env bash
# The whole suite on SQLite, then again on PostgreSQL when FACIT_TEST_POSTGRES_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export FACIT_TESTING=1
ARGS=("$@")
WORKERS="${FACIT_TEST_WORKERS:-2}"

echo "== tests on SQLite"
env -u DATABASE_URL $PY -m pytest -n "$WORKERS" --dist loadfile "${ARGS[@]}"

if [[ -n "${FACIT_TEST_POSTGRES_URL:-}" ]]; then
  echo "== tests on PostgreSQL (${FACIT_TEST_POSTGRES_URL})"
  $PY - <<'PY'
import os, sys
import psycopg
try:
    psycopg.connect(os.environ["FACIT_TEST_POSTGRES_URL"], connect_timeout=5).close()
except Exception as exc:
    sys.exit(f"Cannot connect to FACIT_TEST_POSTGRES_URL: {exc}")
PY
  DATABASE_URL="$FACIT_TEST_POSTGRES_URL" $PY -m pytest -n "$WORKERS" --dist loadfile "${ARGS[@]}"
fi
