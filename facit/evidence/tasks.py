"""Background work of the evidence registry."""

from __future__ import annotations

from typing import Any

from django.tasks import task

from facit.core.jobs import JobReporter, job_task
from facit.evidence.registry.services import interventions_recompute_all


@task()
@job_task
def recompute_levels(*, reporter: JobReporter) -> dict[str, Any]:
    """Recompute every intervention's level, e.g. after the rules changed."""
    count = interventions_recompute_all(on_progress=reporter.progress)
    return {"recomputed": count}
