"""The production stack's tests: they start `scripts/serve.sh` and talk to it over HTTP.

They run only with FACIT_STACK_TESTS=1 (`.ci/run` sets it after the suite; `make
test-stack` too). The smoke test uses the machine's PostgreSQL and Redis
(FACIT_STACK_DATABASE_URL, a database it empties; FACIT_STACK_REDIS_URL, a Redis database
it empties); the fault tests start their own PostgreSQL cluster and redis-server.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.stack.harness import Postgres, Redis, Stack, free_port, stack_env


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("FACIT_STACK_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="production stack tests run with FACIT_STACK_TESTS=1")
    for item in items:
        if "tests/stack/" in str(item.fspath):
            item.add_marker(skip)


def _recreate(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


@pytest.fixture(scope="session")
def stack_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("stack-logs")


@pytest.fixture(scope="module")
def machine_stack(stack_logs: Path) -> Iterator[Stack]:
    """The stack on the machine's PostgreSQL and Redis, as CI runs it."""
    database_url = os.environ.get(
        "FACIT_STACK_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/facit_stack"
    )
    redis_url = os.environ.get("FACIT_STACK_REDIS_URL", "redis://127.0.0.1:6379/14")
    _recreate(database_url)
    _flush(redis_url)
    stack = Stack(
        env=stack_env(database_url=database_url, redis_url=redis_url),
        port=free_port(),
        log=stack_logs / "machine-stack.log",
    )
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def own_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Postgres, Redis]]:
    """A PostgreSQL cluster and a redis-server of the tests' own, which they may stop."""
    # Not under pytest's own temporary directory: the postgres user must reach it.
    pg_root = Path(tempfile.mkdtemp(prefix="facit-stack-pg-"))
    pg_root.chmod(0o755)
    postgres = Postgres(pg_root)
    postgres.init()
    postgres.start()
    redis = Redis(tmp_path_factory.mktemp("redis"))
    redis.start()
    try:
        yield postgres, redis
    finally:
        redis.stop()
        with contextlib.suppress(Exception):  # already stopped by a failing test
            postgres.stop("immediate")
        shutil.rmtree(pg_root, ignore_errors=True)


@pytest.fixture(scope="module")
def own_stack(own_services: tuple[Postgres, Redis], stack_logs: Path) -> Iterator[Stack]:
    postgres, redis = own_services
    stack = Stack(
        # The load comes from one address: the anonymous API limit (120/min per IP)
        # would answer most of it 429, which is the limit working, not what is measured.
        env=stack_env(
            database_url=postgres.createdb("facit"),
            redis_url=redis.url(0),
            FACIT_API_ANON_RATE="100000/m",
        ),
        port=free_port(),
        log=stack_logs / "own-stack.log",
    )
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
