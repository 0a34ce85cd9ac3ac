"""What the literature domain adds to other domains' pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from facit.literature.models import Extraction


def extracted_from_reviews(request: HttpRequest, intervention: Any) -> str:
    """For reviewers: which of this intervention's evaluations came from which review."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_role("reviewer"):
        return ""
    links = list(
        Extraction.objects.filter(evaluation__intervention=intervention)
        .select_related("reference__review", "evaluation")
        .order_by("reference__review__title", "evaluation_id")
    )
    if not links:
        return ""
    return render_to_string(
        "literature/_intervention_section.html", {"links": links}, request=request
    )
