#!/usr/bin/env bash
# The whole suite on SQLite; with FACIT_TEST_POSTGRES_URL set, the whole suite on PostgreSQL
# too, and then the browser journeys run once, on PostgreSQL (the production database): on
# SQLite every test but the browser ones. The browser tests drive the same pages on either
# database and take most of the time; what differs between the databases is below the pages
# and is tested on both. FACIT_TEST_BROWSER_ON_BOTH=1 runs them on both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export FACIT_TESTING=1
ARGS=("$@")
WORKERS="${FACIT_TEST_WORKERS:-2}"
SQLITE_ONLY=()

if [[ -n "${FACIT_TEST_POSTGRES_URL:-}" ]]; then
  $PY - <<'PY'
import os, sys
import psycopg
try:
    psycopg.connect(os.environ["FACIT_TEST_POSTGRES_URL"], connect_timeout=5).close()
except Exception as exc:
    sys.exit(f"Cannot connect to FACIT_TEST_POSTGRES_URL: {exc}")
PY
  [[ "${FACIT_TEST_BROWSER_ON_BOTH:-}" == "1" ]] || SQLITE_ONLY=(-m "not browser")
fi

echo "== tests on SQLite${SQLITE_ONLY:+ (browser tests: on PostgreSQL below)}"
env -u DATABASE_URL $PY -m pytest -n "$WORKERS" --dist loadfile "${SQLITE_ONLY[@]}" "${ARGS[@]}"

if [[ -n "${FACIT_TEST_POSTGRES_URL:-}" ]]; then
  echo "== tests on PostgreSQL (${FACIT_TEST_POSTGRES_URL})"
  DATABASE_URL="$FACIT_TEST_POSTGRES_URL" $PY -m pytest -n "$WORKERS" --dist loadfile "${ARGS[@]}"
fi
