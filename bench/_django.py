"""Set up Django on a throwaway database for a benchmark script."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def setup(database_url: str | None = None) -> str:
    """Configure settings for a fresh database and migrate it. Returns the database URL."""
    if database_url is None:
        path = Path(tempfile.mkdtemp(prefix="facit-bench-")) / "bench.sqlite3"
        database_url = f"sqlite:///{path}"
    if database_url.startswith("postgres"):
        _create_postgres_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "facit.settings")
    os.environ.setdefault("FACIT_TESTING", "1")
    os.environ["AXES_ENABLED"] = "false"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        # A clean schema each run, so the generated data is the same on every database.
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    return database_url


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _create_postgres_database(url: str) -> None:
    """Create the benchmark database if it does not exist yet."""
    from urllib.parse import urlparse

    import psycopg

    name = urlparse(url).path.lstrip("/")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def postgres_child_ok(script: str, quick: bool) -> bool:
    """Run `script` again in a child process with --pg-child when FACIT_BENCH_POSTGRES_URL is
    set (a second process, so Django connects to PostgreSQL from the start). True when it is
    not set or the child met its targets."""
    if not os.environ.get("FACIT_BENCH_POSTGRES_URL"):
        return True
    import subprocess
    import sys

    args = [sys.executable, script, "--pg-child", *(["--quick"] if quick else [])]
    return subprocess.call(args, env={**os.environ}) == 0
