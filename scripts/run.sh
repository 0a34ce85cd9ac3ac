#!/usr/bin/env bash
# Migrate, load the verified data (and demo data when FACIT_DEMO is on), then serve on
# 127.0.0.1:PORT with the database task worker beside the web server in one process group.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8000}"
PY=.venv/bin/python

$PY manage.py migrate --noinput -v0
$PY manage.py seed
if [[ "${FACIT_DEMO:-false}" == "true" ]]; then
  $PY manage.py seed_demo
fi

trap 'kill 0' EXIT INT TERM
# The task worker is started again whenever it exits (scripts/supervise).
scripts/supervise db_worker $PY manage.py db_worker --queue-name default &
echo "facit: http://127.0.0.1:${PORT}/ (Ctrl+C stops the server and the task worker)"
$PY manage.py runserver "127.0.0.1:${PORT}" --noreload &
wait -n
