from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from facit.core.models import Job


@login_required
def job_status(request: HttpRequest, job_id: str) -> HttpResponse:
    """Progress of one background job; polled by htmx until it finishes."""
    job = get_object_or_404(Job, pk=job_id)
    if job.created_by_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied
    # htmx polls for the fragment; a person opening the link gets a whole page.
    template = (
        "includes/job_progress.html" if request.headers.get("HX-Request") else "core/job.html"
    )
    return render(request, template, {"job": job})
