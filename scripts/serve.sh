#!/usr/bin/env bash
# The production stack in one process group: DEBUG off, static files collected, migrations,
# gunicorn with WEB_CONCURRENCY workers, two RQ workers on Redis (each started again if it
# exits). Ctrl+C or a TERM to the group stops all of it. Settings come from the environment
# (see .env.example); a missing one, or a database or Redis that does not answer, stops it
# before anything starts.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-${PORT:-8000}}"
PY=.venv/bin/python

export DEBUG=false
export TASK_BACKEND=rq
export DATABASE_CONN_MAX_AGE="${DATABASE_CONN_MAX_AGE:-60}"
WEB_CONCURRENCY="${WEB_CONCURRENCY:-3}"
WEB_THREADS="${WEB_THREADS:-4}"
RQ_WORKERS="${RQ_WORKERS:-2}"

missing=()
for name in SECRET_KEY DATABASE_URL REDIS_URL ALLOWED_HOSTS; do
  [[ -n "${!name:-}" ]] || missing+=("$name")
done
if (( ${#missing[@]} )); then
  {
    echo "facit: cannot start the production stack; these settings are missing: ${missing[*]}"
    echo "  SECRET_KEY     a long random string (python -c 'import secrets; print(secrets.token_urlsafe(50))')"
    echo "  DATABASE_URL   postgresql://user@host:5432/name"
    echo "  REDIS_URL      redis://127.0.0.1:6379/0 (cache and queues)"
    echo "  ALLOWED_HOSTS  the host names the site answers to, e.g. facit.example.org"
    echo "  See .env.example for every setting."
  } >&2
  exit 2
fi

# Settings, the database and Redis, before anything starts (clear message, exit 1).
$PY manage.py preflight
$PY manage.py collectstatic --noinput -v0
$PY manage.py migrate --noinput -v0
$PY manage.py seed -v0 >/dev/null
if [[ "${FACIT_DEMO:-false}" == "true" ]]; then
  $PY manage.py seed_demo >/dev/null
fi

trap 'trap - EXIT INT TERM; kill 0 2>/dev/null; wait' EXIT INT TERM
for i in $(seq 1 "$RQ_WORKERS"); do
  scripts/supervise "rqworker-$i" $PY manage.py rqworker --job-class django_tasks_rq.Job \
    --worker-class facit.core.rq_worker.Worker --worker-ttl 45 \
    default &
done
echo "facit: production stack on http://127.0.0.1:${PORT}/ (gunicorn ${WEB_CONCURRENCY}x${WEB_THREADS}, ${RQ_WORKERS} RQ workers; Ctrl+C stops all)" >&2
.venv/bin/gunicorn facit.wsgi:application \
  --bind "${BIND:-127.0.0.1}:${PORT}" \
  --workers "$WEB_CONCURRENCY" --threads "$WEB_THREADS" \
  --timeout "${GUNICORN_TIMEOUT:-60}" --graceful-timeout 20 \
  --log-level warning --error-logfile - &
wait -n
