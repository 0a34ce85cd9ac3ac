"""The RQ worker of the production stack (`rqworker --worker-class facit.core.rq_worker.Worker`).

A job whose worker died (killed, out of memory) or ran out of time never reaches facit's own
error handling in `job_task`; RQ finds it abandoned when its heartbeat lapses. This worker
then marks facit's Job row failed with a clear message, so no page waits for it forever, and
it looks for abandoned jobs every half minute instead of every ten.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rq.worker import Worker as RQWorker

logger = logging.getLogger("facit.worker")

# RQ finds a job abandoned once its heartbeat (every JOB_MONITORING_INTERVAL s, valid for
# that + 60 s) lapses, at its next maintenance, which an idle worker reaches when its wait
# for work (worker TTL - 15 s; serve.sh passes --worker-ttl 45) ends: within about two
# minutes of a worker's death.
MAINTENANCE_INTERVAL = 30
JOB_MONITORING_INTERVAL = 15


def job_lost(rq_job: Any, exc_type: Any, exc_value: Any, traceback: Any) -> bool:
    """RQ exception handler: the task died outside Python's reach; its Job is failed."""
    from facit.core.models import Job

    job_id = (getattr(rq_job, "kwargs", None) or {}).get("job_id")
    if job_id:
        updated = Job.objects.filter(
            pk=job_id, status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
        ).update(
            status=Job.Status.FAILED,
            error=_(
                "The worker running this job stopped before it finished; nothing of it was "
                "kept. Please start it again."
            ),
            finished_at=timezone.now(),
        )
        if updated:
            logger.warning(
                "job lost with its worker",
                extra={"job": str(job_id), "error": getattr(exc_type, "__name__", str(exc_type))},
            )
    return True  # let RQ's own handling go on


class Worker(RQWorker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("maintenance_interval", MAINTENANCE_INTERVAL)
        kwargs.setdefault("job_monitoring_interval", JOB_MONITORING_INTERVAL)
        super().__init__(*args, **kwargs)
        self.push_exc_handler(job_lost)
