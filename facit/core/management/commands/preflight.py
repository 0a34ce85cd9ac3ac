"""Refuse to start the production stack with a missing setting or an unreachable service.

`manage.py preflight` prints one line per problem, naming the setting and what to do, and
exits 1; with everything in place it prints nothing and exits 0.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections


class Command(BaseCommand):
    help = "Check the production settings and that the database, cache and queue answer."

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        if settings.DEBUG:
            problems.append("DEBUG is on: the production stack runs with DEBUG=false.")
        if not settings.ALLOWED_HOSTS:
            problems.append("ALLOWED_HOSTS is empty: set the host names the site answers to.")
        engine = settings.DATABASES["default"]["ENGINE"]
        if engine != "django.db.backends.postgresql":
            problems.append(
                "DATABASE_URL must name a PostgreSQL database "
                "(postgresql://user@host:5432/name) for the production stack."
            )
        if not settings.REDIS_URL:
            problems.append("REDIS_URL is not set: the stack's cache and queues need Redis.")
        if settings.TASK_BACKEND != "rq":
            problems.append("TASK_BACKEND must be rq for the production stack.")
        if problems:
            raise CommandError("\n".join(problems))

        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as exc:
            db = settings.DATABASES["default"]
            raise CommandError(
                f"Cannot reach the database {db.get('NAME')!r} on "
                f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432} "
                f"({type(exc).__name__}). Is PostgreSQL running, and is DATABASE_URL right?"
            ) from None
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3).ping()
        except Exception as exc:
            raise CommandError(
                f"Cannot reach Redis at REDIS_URL ({type(exc).__name__}). Is redis-server running?"
            ) from None
