"""Background work of the literature domain (imports, retraining), with progress."""

from __future__ import annotations

from typing import Any

from django.tasks import task

from facit.core.jobs import JobReporter, job_task


class ImportFailed(Exception):
    """Raised so the job is marked failed; the message names the line, record and reason."""


@job_task
def _import_job(*, reporter: JobReporter, batch_id: int) -> dict[str, Any]:
    from facit.literature.imports.services import references_import
    from facit.literature.models import ImportBatch

    batch = ImportBatch.objects.select_related("review", "created_by").get(pk=batch_id)
    summary = references_import(
        batch=batch, progress=lambda done, total, msg: reporter.progress(done, total, msg)
    )
    if summary.errors:
        raise ImportFailed(summary.errors[0]["message"])
    return summary.as_dict()


@task()
def import_references_task(job_id: str, batch_id: int) -> dict[str, Any] | None:
    return _import_job(job_id, batch_id=batch_id)


@job_task
def _rank_job(*, reporter: JobReporter, review_id: int) -> dict[str, Any]:
    from facit.literature.screening.ranking_service import review_rank

    return review_rank(review_id=review_id, progress=reporter.progress)


@task()
def rank_references_task(job_id: str, review_id: int) -> dict[str, Any] | None:
    return _rank_job(job_id, review_id=review_id)
