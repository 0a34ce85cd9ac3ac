"""Background jobs with progress, on top of Django's tasks API.

A view calls `job_start(...)`; the task function, decorated with `@job_task`, receives a
`JobReporter` to report progress. The page polls `core:job` (htmx) to show a progress bar.
"""

from __future__ import annotations

import functools
import logging
import time
import traceback
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.translation import gettext as _

from facit.core.logs import current_request_id, request_id_var
from facit.core.models import Job

logger = logging.getLogger("facit.jobs")


class JobsUnavailable(Exception):
    """The task queue cannot be reached: the job is refused before anything is stored."""


def queue_check() -> None:
    """Raise `JobsUnavailable` when the configured queue cannot take a job now."""
    if getattr(settings, "TASK_BACKEND", "") != "rq":
        return  # the database backend queues in the same database as the job row
    try:
        import django_rq

        django_rq.get_connection("default").ping()
    except Exception as exc:
        raise JobsUnavailable(
            _(
                "Background work is unavailable right now, so nothing was started or saved. "
                "Please try again in a few minutes."
            )
        ) from exc


def _enqueue(job_pk: Any, task: Task[..., Any], kwargs: dict[str, Any]) -> None:
    try:
        task.enqueue(job_id=str(job_pk), **kwargs)
    except Exception as exc:
        # Never leave a job "queued" that no worker will ever see.
        logger.error(
            "job could not be queued", extra={"job": str(job_pk), "error": type(exc).__name__}
        )
        Job.objects.filter(pk=job_pk).update(
            status=Job.Status.FAILED,
            error=_("The job could not be queued (the task queue was unreachable)."),
            finished_at=timezone.now(),
        )


class JobReporter:
    """Writes progress at most a few times a second so the worker is not slowed down."""

    def __init__(self, job: Job, min_interval: float = 0.25) -> None:
        self.job = job
        self._last = 0.0
        self._min_interval = min_interval

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        now = time.monotonic()
        if now - self._last < self._min_interval and (total is None or done < total):
            return
        self._last = now
        fields: dict[str, int | str] = {"done": done}
        if total is not None:
            fields["total"] = total
        if message:
            fields["message"] = message[:500]
        Job.objects.filter(pk=self.job.pk).update(**fields)


def job_start(
    *, kind: str, task: Task[..., Any], created_by: Any = None, label: str = "", **kwargs: Any
) -> Job:
    """Create a Job row and enqueue `task(job_id=..., **kwargs)` once the transaction commits.

    Raises `JobsUnavailable` (nothing stored) when the queue cannot be reached; the job keeps
    the id of the request that started it, so its log lines can be followed from the request.
    """
    queue_check()
    job = Job.objects.create(
        kind=kind,
        label=label[:200],
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        request_id=current_request_id()[:64],
    )
    transaction.on_commit(lambda: _enqueue(job.pk, task, kwargs))
    return job


def job_task(func: Callable[..., dict[str, Any] | None]) -> Callable[..., dict[str, Any] | None]:
    """Wrap a task body: mark the job running, store its result or its error."""

    @functools.wraps(func)
    def wrapper(job_id: str, **kwargs: Any) -> dict[str, Any] | None:
        job = Job.objects.get(pk=job_id)
        token = request_id_var.set(job.request_id or f"job-{job.pk}")
        try:
            return _run(job, **kwargs)
        finally:
            request_id_var.reset(token)

    def _run(job: Job, **kwargs: Any) -> dict[str, Any] | None:
        logger.info("job started", extra={"job": str(job.pk), "kind": job.kind})
        Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
        try:
            result = func(reporter=JobReporter(job), **kwargs) or {}
        except Exception as exc:
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED,
                error=str(exc)[:5000] or traceback.format_exc(limit=3),
                finished_at=timezone.now(),
            )
            logger.warning(
                "job failed",
                extra={"job": str(job.pk), "kind": job.kind, "error": type(exc).__name__},
            )
            return None
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.DONE, result=result, finished_at=timezone.now()
        )
        logger.info("job done", extra={"job": str(job.pk), "kind": job.kind})
        return result

    return wrapper
