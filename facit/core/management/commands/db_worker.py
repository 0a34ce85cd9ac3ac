"""django-tasks-db's `db_worker`, made to outlast a locked database.

SQLite answers "database is locked" while another process (a CLI import, say) holds a long
write. The upstream worker ignores that only while fetching a task; anywhere else the error
ends the process. Here the worker waits with growing back-off and carries on.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import close_old_connections
from django.db.utils import OperationalError
from django_tasks_db.management.commands import db_worker as upstream
from django_tasks_db.utils import is_locked_database_exception

logger = logging.getLogger("facit.worker")

BACKOFF_START = 0.5
BACKOFF_MAX = 30.0


class RetryingWorker(upstream.Worker):
    def run(self) -> None:
        delay = BACKOFF_START
        last_error = 0.0
        while True:
            try:
                super().run()
                return
            except OperationalError as exc:
                if not is_locked_database_exception(exc) or not self.running:
                    raise
                if time.monotonic() - last_error > 2 * BACKOFF_MAX:
                    delay = BACKOFF_START  # a new episode starts from a short wait
                last_error = time.monotonic()
                logger.warning(
                    "database is locked; the worker retries", extra={"retry_in_s": delay}
                )
                close_old_connections()
                time.sleep(delay)
                delay = min(delay * 2, BACKOFF_MAX)


class Command(upstream.Command):
    help = upstream.Command.help + " (retries with back-off while the database is locked)"
    # No system checks at start-up: on a locked SQLite database Django's JSON feature probe
    # fails, the checks then report every JSONField as unsupported and the worker exits.
    # `migrate` and `check --deploy` run the checks; the worker only runs tasks.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        original = upstream.Worker
        upstream.Worker = RetryingWorker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            upstream.Worker = original  # type: ignore[misc]
