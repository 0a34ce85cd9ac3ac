"""Background jobs with progress, on top of Django's tasks API.

A view calls `job_start(...)`; the task function, decorated with `@job_task`, receives a
`JobReporter` to report progress. The page polls `core:job` (htmx) to show a progress bar.
"""

from __future__ import annotations

import functools
import time
import traceback
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.tasks import Task
from django.utils import timezone

from facit.core.models import Job


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
    *, kind: str, task: Task, created_by: Any = None, label: str = "", **kwargs: Any
) -> Job:
    """Create a Job row and enqueue `task(job_id=..., **kwargs)` once the transaction commits."""
    job = Job.objects.create(
        kind=kind,
        label=label[:200],
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )
    transaction.on_commit(lambda: task.enqueue(job_id=str(job.pk), **kwargs))
    return job


def job_task(func: Callable[..., dict[str, Any] | None]) -> Callable[..., dict[str, Any] | None]:
    """Wrap a task body: mark the job running, store its result or its error."""

    @functools.wraps(func)
    def wrapper(job_id: str, **kwargs: Any) -> dict[str, Any] | None:
        job = Job.objects.get(pk=job_id)
        Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
        try:
            result = func(reporter=JobReporter(job), **kwargs) or {}
        except Exception as exc:
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED,
                error=str(exc)[:5000] or traceback.format_exc(limit=3),
                finished_at=timezone.now(),
            )
            return None
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.DONE, result=result, finished_at=timezone.now()
        )
        return result

    return wrapper
